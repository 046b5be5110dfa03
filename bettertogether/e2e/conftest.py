"""Fixtures for the browser tests: one Chromium for the package, a fresh context per page.

Every page a test opens is watched: a Content Security Policy violation, an uncaught
JavaScript error or a failed asset fails the test when it ends (tests may also call
`check_console(page)` at the moment that matters).
"""

import os

import pytest
from django.db import connections
from django.test import override_settings
from playwright.sync_api import sync_playwright

from bettertogether.testing import restore
from bettertogether.testing.browser import DESKTOP, launch_chromium, require_chromium, watch
from bettertogether.testing.cast import build_cast
from bettertogether.testing.smtp import smtp_sink  # noqa: F401 (a fixture)

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """Let the test body use the ORM while Playwright's event loop runs in this thread.

    Playwright's sync API keeps an asyncio loop running in the main thread from launch to
    close, and Django refuses ORM calls from a thread with a running loop. The switch is
    on for this package only and off again before any other test (or any subprocess a
    test starts, such as `manage.py check --deploy`) runs.
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if previous is None:
        del os.environ[ASYNC_UNSAFE]
    else:
        os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser(_orm_beside_playwright):
    """One Chromium for all the browser tests (they all live in this package)."""
    require_chromium()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open a page in a new browser context (its own cookies): `open_page(viewport=...)`."""
    opened = []

    def make(*, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(10_000)  # a page of this app answers in well under 1 s
        page = context.new_page()
        opened.append((context, watch(page)))
        return page

    yield make
    problems = [problem for _, page_watch in opened for problem in page_watch.problems()]
    for context, _ in opened:
        context.close()
    if problems:
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(open_page):
    """A page in a fresh browser context, 1280×800."""
    return open_page()


@pytest.fixture
def server(live_server, transactional_db, django_db_serialized_rollback, settings):
    """The running app's base URL. Links in emails point at it."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def cast(server):
    """The usual cast, committed so the live server thread sees it."""
    return build_cast()


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's own helper for tests on the live server (it lets the server's host in,
    and gives the test a database emptied when it ends), except that a test on
    `shared_server` keeps the data its module committed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if "shared_server" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(scope="module")
def shared_server(django_db_setup, live_server, django_db_blocker):
    """The running app's base URL, for a module of checks that only read: the data the
    module builds (with its own module-scoped fixture) is committed once for all its tests,
    and the database is emptied and its built-in rows loaded back when the last one ends.
    A test on it must not change what the others read."""
    with django_db_blocker.unblock(), override_settings(SITE_URL=live_server.url):
        for connection in connections.all():
            if getattr(connection, "_test_serialized_contents", None) is None:
                # No flushing test in this run kept a copy of the migrated database: the
                # database holds just that now (every earlier test rolled back or reset it).
                connection._test_serialized_contents = (
                    connection.creation.serialize_db_to_string())
        try:
            yield live_server.url
        finally:
            restore.reset_databases()
