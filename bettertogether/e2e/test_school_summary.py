"""What a school leader sees of coaching in their school, and the network admin's kinds of
support, in a real browser: WCAG 2.1 AA (axe-core), the strict CSP, 360 px wide, and a kind
added and switched off by the keyboard-and-mouse path an admin takes."""

import pytest
from playwright.sync_api import expect

from bettertogether.coaching import services
from bettertogether.coaching.models import SupportKind
from bettertogether.directory.models import LeaderVisibility
from bettertogether.testing import factories as f
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    screenshot,
    sign_in_as,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def coached(cast):
    """A school whose leaders see who was coached, with a few weeks of contacts (five
    teachers: the fewest a school's leaders see any figure of)."""
    kinds = f.built_in_support_kinds()
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    cast.school.save(update_fields=["leader_visibility"])
    f.MembershipFactory(person=f.PersonFactory(full_name="Rosa Quinn"),
                        organisation=cast.school, role="teacher")
    for name in ("Maximiliana Vandenberghe-Oyelaran", "Sam Okafor"):
        teacher = f.PersonFactory(full_name=name)
        f.MembershipFactory(person=teacher, organisation=cast.school, role="teacher")
        services.interaction_log(actor=cast.coach, kind=kinds["Feedback conversation"],
                                 teachers=[teacher, cast.teacher])
    services.interaction_log(actor=cast.coach, kind=kinds["Tech help"], teachers=[cast.teacher])
    services.interaction_log(actor=cast.coach, kind=kinds["Planning"])
    services.support_kind_create(actor=cast.admin, network=cast.network,
                                 name="Instructional rounds", default_minutes=60,
                                 is_contact=True)
    return cast


@pytest.mark.parametrize(("name", "persona", "path"), [
    ("school-summary-leader", "leader", lambda c: f"/coaching/schools/{c.school.pk}/"),
    ("school-summary-admin-term", "admin",
     lambda c: f"/coaching/schools/{c.school.pk}/?period=term"),
    ("support-kinds", "admin", lambda c: f"/coaching/networks/{c.network.pk}/support-kinds/"),
    ("support-kind-edit", "admin", lambda c: (
        f"/coaching/networks/{c.network.pk}/support-kinds/"
        f"{SupportKind.objects.get(name='Instructional rounds').pk}/")),
])
def test_page_accessible_at_desktop_and_phone_width(page, server, coached, name, persona,
                                                    path):
    sign_in_as(page, server, getattr(coached, persona))

    response = page.goto(server + path(coached))

    assert response.status == 200
    check_axe(page)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    check_no_horizontal_scroll(page)
    screenshot(page, name)
    check_console(page)


def test_admin_adds_a_kind_and_switches_it_off(page, server, coached):
    sign_in_as(page, server, coached.admin)
    page.goto(f"{server}/coaching/networks/{coached.network.pk}/support-kinds/")

    page.get_by_label("Name").fill("Learning walk")
    page.get_by_label("Usual minutes").fill("25")
    page.get_by_role("button", name="Add it").click()

    expect(page.get_by_text("Added “Learning walk”: coaches can log it now.")).to_be_visible()
    page.get_by_role("button", name="Switch off Learning walk").click()
    expect(page.get_by_text("Switched off “Learning walk”")).to_be_visible()
    assert not SupportKind.objects.get(network=coached.network, name="Learning walk").is_active
    check_console(page)
