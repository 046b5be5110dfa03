"""Keyboard alone: signing in, the skip link, the navigation and the phone menu."""

import pytest
from playwright.sync_api import expect

from bettertogether.testing import factories as f
from bettertogether.testing.browser import PHONE, check_console, sign_in_as

pytestmark = pytest.mark.browser


def test_keyboard_alone_signs_in_and_navigates(page, server, cast):
    page.goto(f"{server}/accounts/login/")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(cast.coach.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(f.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Cora")

    # The first Tab lands on the skip link, which shows itself and jumps to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["x"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # From the top of a fresh page, Tab reaches the navigation and Enter follows a link.
    page.reload()
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload")
    for _ in range(6):
        page.keyboard.press("Tab")
        if nav_link.evaluate("link => link === document.activeElement"):
            break
    expect(nav_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server}/coaching/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    check_console(page)


def test_keyboard_alone_opens_and_closes_the_phone_menu(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/")
    menu = page.get_by_role("button", name="Menu", exact=True)
    nav = page.get_by_role("navigation", name="Main")

    for _ in range(3):  # skip link, home link, Menu
        page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Home")).to_be_focused()

    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
