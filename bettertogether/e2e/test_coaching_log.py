"""The coach logs a small favour in seconds; the teacher's page shows it."""

import pytest
from playwright.sync_api import expect

from bettertogether.coaching.models import Interaction
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    sign_in,
    sign_in_as,
)
from bettertogether.testing.factories import PASSWORD, built_in_support_kinds

pytestmark = pytest.mark.browser
CONFIRMATION = "Logged: Copies and materials with Tess Teacher (5 min)"


@pytest.fixture(autouse=True)
def _built_in_kinds(cast):
    built_in_support_kinds()


def _log_copies(page, cast):
    page.get_by_label("Teachers").select_option(str(cast.teacher.pk))
    page.get_by_label("Kind of support").select_option(label="Copies and materials (5 min)")


def test_coach_logs_a_small_favour_with_usual_minutes(page, server, cast):
    sign_in(page, server, cast.coach.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log").click()
    expect(page.get_by_role("heading", name="Log", exact=True)).to_be_visible()
    check_axe(page)

    _log_copies(page, cast)
    page.get_by_role("button", name="Log it").click()

    expect(page.get_by_text(CONFIRMATION)).to_be_visible()
    recent = page.get_by_role("table", name="Your recent log")
    expect(recent.get_by_role("cell", name="Copies and materials", exact=True)).to_be_visible()
    expect(recent.get_by_role("cell", name="Tess Teacher", exact=True)).to_be_visible()
    assert Interaction.objects.count() == 1
    check_console(page)


def test_double_click_on_log_it_logs_once(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.goto(f"{server}/coaching/log/")
    _log_copies(page, cast)

    page.get_by_role("button", name="Log it").dblclick()

    expect(page.get_by_text(CONFIRMATION)).to_be_visible()
    assert Interaction.objects.count() == 1


def test_teacher_page_shows_the_entry_and_logs_from_there(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.goto(f"{server}/coaching/teachers/{cast.teacher.pk}/")
    expect(page.get_by_role("heading", name="Tess Teacher")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Log something with Tess Teacher").click()
    expect(page.get_by_label("Teachers")).to_have_values([str(cast.teacher.pk)])
    page.get_by_label("Kind of support").select_option(label="Copies and materials (5 min)")
    page.get_by_text("More: when, where, notes").click()
    page.get_by_label("Shared note").fill("Thirty copies of the fractions worksheet")
    page.get_by_role("button", name="Log it").click()

    expect(page).to_have_url(f"{server}/coaching/teachers/{cast.teacher.pk}/")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_text("Copies and materials", exact=True)).to_be_visible()
    expect(timeline.get_by_text("Thirty copies of the fractions worksheet")).to_be_visible()
    check_axe(page)


def test_log_page_shows_errors_next_to_fields(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.goto(f"{server}/coaching/log/")

    page.get_by_role("button", name="Log it").click()

    expect(page.get_by_label("Kind of support")).to_have_attribute("aria-invalid", "true")
    assert Interaction.objects.count() == 0
    check_axe(page)


@pytest.mark.parametrize("path", ["/coaching/log/", "/coaching/teachers/{pk}/",
                                  "/coaching/log/all/"])
def test_coaching_pages_fit_a_phone(open_page, server, cast, path):
    page = open_page(viewport=PHONE)
    sign_in_as(page, server, cast.coach)
    page.goto(server + path.format(pk=cast.teacher.pk))
    page.get_by_text("More: when, where, notes").or_(page.locator("h1")).first.click()

    check_no_horizontal_scroll(page)
    check_axe(page)


def test_teacher_sees_my_coaching(open_page, server, cast):
    page = open_page(viewport=PHONE)
    sign_in_as(page, server, cast.teacher)
    page.goto(f"{server}/coaching/mine/")

    expect(page.get_by_role("heading", name="My coaching")).to_be_visible()
    check_no_horizontal_scroll(page)
    check_axe(page)
