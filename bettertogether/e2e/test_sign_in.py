"""Signing in and out with an email address and a password, in a real browser."""

import pytest
from playwright.sync_api import expect

from bettertogether.testing.browser import check_console, sign_in
from bettertogether.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

WRONG_PASSWORD = "not-the-password"
MISMATCH = "That email address and password do not match an account"


def test_sign_in_with_password_lands_on_home(page, server, cast):
    sign_in(page, server, cast.coach.email, PASSWORD)

    assert page.url == f"{server}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Cora")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My caseload")
    check_console(page)


def test_sign_in_wrong_password_shows_error_and_stays(page, server, cast):
    sign_in(page, server, cast.coach.email, WRONG_PASSWORD)

    assert page.url == f"{server}/accounts/login/"
    expect(page.get_by_role("alert")).to_contain_text(MISMATCH)
    expect(page.get_by_label("Email address")).to_have_value(cast.coach.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_out_ends_the_session(page, server, cast):
    sign_in(page, server, cast.coach.email, PASSWORD)

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{server}/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    page.goto(f"{server}/profile/")
    expect(page).to_have_url(f"{server}/accounts/login/?next=/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_locks_out_one_account_from_one_address(page, open_page, server, cast, settings):
    settings.AXES_ENABLED = True
    assert settings.AXES_FAILURE_LIMIT == 5

    for _ in range(4):
        sign_in(page, server, cast.teacher.email, WRONG_PASSWORD)
        expect(page.get_by_role("alert")).to_contain_text(MISMATCH)
    sign_in(page, server, cast.teacher.email, WRONG_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")

    # Even the right password is refused now, for this account from this address.
    sign_in(page, server, cast.teacher.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts")

    # A colleague in the same classroom network (same address) still signs in.
    colleague = open_page()
    sign_in(colleague, server, cast.other_teacher.email, PASSWORD)
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Welcome back, Otto")
