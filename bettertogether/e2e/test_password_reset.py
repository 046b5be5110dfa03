"""Forgotten passwords: the reset link arrives by SMTP and replaces the old password."""

import pytest
from playwright.sync_api import expect

from bettertogether.testing.browser import check_console, sign_in
from bettertogether.testing.factories import PASSWORD
from bettertogether.testing.smtp import link_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lighthouse-keeper-42"


def request_reset(page, server, email):
    page.goto(f"{server}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def test_password_reset_sets_new_password(page, server, cast, smtp_sink):
    request_reset(page, server, cast.teacher.email)

    message = smtp_sink.wait_for(cast.teacher.email)
    assert message["Subject"] == "Reset your Better Together password"
    link = link_in(message, path="/accounts/password/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")

    page.get_by_role("link", name="Sign in").click()
    sign_in(page, server, cast.teacher.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Tess")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, cast.teacher.email, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    check_console(page)


def test_password_reset_unknown_address_looks_the_same_and_sends_nothing(
    page, server, cast, smtp_sink
):
    request_reset(page, server, "nobody@riverside.test")

    expect(page.get_by_role("main")).to_contain_text("If that address belongs to an account")
    assert smtp_sink.messages == []
