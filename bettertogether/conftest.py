import copy

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from bettertogether.testing import restore
from bettertogether.testing.cast import build_cast

# A real OpenID Connect provider on loopback, for single sign-on tests.
from bettertogether.testing.oidc import oidc_provider  # noqa: F401 (a pytest fixture)

# A real SMTP server on loopback: a test that asks for `smtp_sink` sends its email there.
from bettertogether.testing.smtp import smtp_sink  # noqa: F401 (a pytest fixture)

# The real database task queue: a test that asks for `task_queue` reads and runs its rows.
from bettertogether.testing.tasks import task_queue  # noqa: F401 (a pytest fixture)


def pytest_configure(config):
    # The built-in rows come back after a flushing test a table at a time.
    restore.install()


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    """Where a test run's uploaded and generated files go: never the checkout's media/."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_root):
    cache.clear()
    if settings.MEDIA_ROOT == settings.BASE_DIR / "media":
        settings.MEDIA_ROOT = _media_root
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _flushes_the_database(item) -> bool:
    """A test on `transactional_db` (the browser tests, the race tests) ends with a flush."""
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    return bool(marker and marker.kwargs.get("transaction"))


def _keeps_a_copy(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if "django_db_serialized_rollback" in getattr(item, "fixturenames", ()):
        return True
    return bool(marker and marker.kwargs.get("serialized_rollback"))


def pytest_collection_modifyitems(config, items):
    """Every flushing test keeps a copy of the migrated database to load back afterwards.

    The other tests that ask for the `cast` share one built per module (`_module_cast`),
    and in each module they run after its flushing tests, which build their own: a flush
    must never run while the module's cast is in its open transaction.
    """
    for item in items:
        if _flushes_the_database(item):
            if not _keeps_a_copy(item):
                marker = item.get_closest_marker("django_db")
                kwargs = dict(marker.kwargs) if marker else {}
                kwargs.update(transaction=True, serialized_rollback=True)
                item.add_marker(pytest.mark.django_db(**kwargs), append=False)  # the closest
        elif "cast" in getattr(item, "fixturenames", ()):
            item.fixturenames.insert(0, "_module_cast")
    modules: dict = {}
    items.sort(key=lambda item: (modules.setdefault(item.path, len(modules)),
                                 "_module_cast" in getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the rows the data migrations installed once a flushing test has ended.

    A flush empties every table, built-ins included (kinds of support, cycle templates,
    conversation resources). The suite runs in parallel in no fixed order, so the next test
    on the same worker must not find them gone. The flushing tests ask for
    `django_db_serialized_rollback`, which keeps a copy of the migrated database. This runs
    after every fixture of the test is torn down; it empties the tables once more (content
    types and permissions made again after the test's own flush would clash with the copy)
    and loads the copy.
    """
    result = yield
    # After the session's last test the test database is already gone.
    if nextitem is not None and _flushes_the_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            restore.reset_databases()
    return result


@pytest.fixture(scope="module")
def _module_cast(django_db_setup, django_db_blocker):
    """The cast, built once for a module's tests inside a transaction rolled back when the
    module ends; each test's own changes roll back to it as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def cast(request, db):
    """Riverside's people and schools, and an outsider from Northfield (`testing/cast.py`).
    A test gets its own copy of the objects, so changing one in memory changes no other
    test's."""
    if "_module_cast" in request.fixturenames:
        return copy.deepcopy(request.getfixturevalue("_module_cast"))
    return build_cast()


@pytest.fixture
def client_for(db):
    """A signed-in test client for any person: `client_for(cast.coach)`."""

    def make(person):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def lincoln_of_five(cast):
    """Three more teachers at Lincoln (in no caseload, never contacted), so it has the five a
    school needs before its leaders see any figure of it (`directory.disclosure`)."""
    from bettertogether.testing import factories as f

    return [f.MembershipFactory(person=f.PersonFactory(full_name=f"Lincoln colleague {n}"),
                                organisation=cast.school, role="teacher").person
            for n in range(1, 4)]
