"""Single sign-on in a real browser, against a real OpenID Connect provider on loopback."""

import pytest
from playwright.sync_api import expect

from bettertogether.directory.models import Person
from bettertogether.testing.browser import check_axe
from bettertogether.testing.oidc import start_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider(live_server):
    running = start_provider([live_server.url])
    yield running
    running.stop()


@pytest.fixture
def sso_server(server, provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()
    return server


def sign_in_with_provider(page, server, username, password):
    page.goto(f"{server}/accounts/login/")
    page.get_by_role("button", name="Sign in with Test SSO").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider")
    page.get_by_label("Provider username").fill(username)
    page.get_by_label("Provider password").fill(password)
    page.get_by_role("button", name="Sign in to the provider").click()


def test_sso_signs_in_a_rostered_teacher(page, sso_server, cast):
    sign_in_with_provider(page, sso_server, "tess", "provider-pass-1")

    expect(page).to_have_url(f"{sso_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Tess")


def test_sso_refuses_someone_nobody_invited(page, sso_server, cast):
    people = Person.objects.count()

    sign_in_with_provider(page, sso_server, "stranger", "provider-pass-2")

    expect(page.get_by_role("heading", level=1)).to_have_text("We could not sign you in")
    expect(page.locator("main")).to_contain_text(
        "There is no Better Together account for stranger@elsewhere.test"
    )
    assert Person.objects.count() == people
    page.goto(f"{sso_server}/")
    expect(page).to_have_url(f"{sso_server}/accounts/login/?next=/")


def test_sign_in_page_with_a_provider_is_accessible(page, sso_server):
    page.goto(f"{sso_server}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with Test SSO")).to_be_visible()
    check_axe(page)
