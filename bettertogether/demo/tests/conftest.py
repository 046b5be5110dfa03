"""The small demo, seeded once per test module that reads it.

Seeding takes seconds; most of these tests only read what it made. `small_demo` seeds it
once for the module, inside a transaction rolled back when the module ends; each test's own
changes are rolled back as usual. A test that seeds a dataset of its own (the district, or
the small demo under watch) runs before the module's `small_demo` tests, so it never finds
the shared one there.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# As every test runs (the root conftest): tasks at once, email in memory.
_TEST_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    "MAILERS": {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
}


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**_TEST_SETTINGS), transaction.atomic():
        call_command("seed_demo", scale="small", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """In each module here, the tests on the shared small demo come last (a stable sort;
    this hook sees the whole session, whose other tests keep their places)."""
    here = Path(__file__).parent
    places = [n for n, item in enumerate(items) if item.path.parent == here]
    modules = {}
    ours = sorted((items[n] for n in places), key=lambda item: (
        modules.setdefault(item.path, len(modules)),
        "small_demo" in getattr(item, "fixturenames", ())))
    for n, item in zip(places, ours, strict=True):
        items[n] = item
