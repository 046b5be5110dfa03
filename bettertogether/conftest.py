import pytest
from django.test import Client

from bettertogether.testing.cast import build_cast

# A real OpenID Connect provider on loopback, for single sign-on tests.
from bettertogether.testing.oidc import oidc_provider  # noqa: F401 (a pytest fixture)

# A real SMTP server on loopback: a test that asks for `smtp_sink` sends its email there.
from bettertogether.testing.smtp import smtp_sink  # noqa: F401 (a pytest fixture)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db):
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
