"""The coach's caseload: who needs attention, logged from the row, and the stage moves on."""

import re

import pytest
from playwright.sync_api import expect

from bettertogether.coaching.models import Interaction
from bettertogether.testing.browser import check_axe, check_console, sign_in_as
from bettertogether.testing.factories import built_in_support_kinds

pytestmark = pytest.mark.browser
CONFIRMATION = "Logged: Copies and materials with Tess Teacher (5 min)"


@pytest.fixture(autouse=True)
def _built_in_kinds(cast):
    built_in_support_kinds()


def test_coach_reaches_a_never_contacted_teacher_from_the_caseload(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.goto(f"{server}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    nudges = page.get_by_role("region", name="Not reached in 21 days")
    expect(nudges.get_by_role("link", name="Tess Teacher", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Tess Teacher")
    expect(row).to_contain_text("New")
    expect(row).to_contain_text("Never")
    check_axe(page)

    row.get_by_role("link", name="Log something with Tess Teacher").click()
    expect(page.get_by_label("Teachers")).to_have_values([str(cast.teacher.pk)])
    page.get_by_label("Kind of support").select_option(label="Copies and materials (5 min)")
    page.get_by_role("button", name="Log it").click()

    expect(page).to_have_url(f"{server}/coaching/caseload/")
    expect(page.get_by_text(CONFIRMATION)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Tess Teacher")
    expect(row).to_contain_text("Connected")
    expect(row).to_contain_text(re.compile(r"just now|1\s+minute ago"))
    expect(row).to_contain_text("1 contact so far")
    expect(page.get_by_role("region", name=re.compile("Not reached in"))).to_have_count(0)
    assert Interaction.objects.count() == 1
    check_axe(page)
    check_console(page)
