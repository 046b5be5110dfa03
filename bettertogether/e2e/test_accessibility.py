"""Every main page, as the person who uses it: WCAG 2.1 AA, a strict CSP, 360 px.

Each page is checked with axe-core at desktop width, then at 360 px it must not scroll
sideways and its Menu button must open the navigation (axe runs again with the menu open).
The pages only read, so the world they show is built once for the module. Keyboard-only use
is `test_keyboard.py`'s. With SCREENSHOTS=1 the desktop and 360 px pictures land in
test-artifacts/screenshots/.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bettertogether.accounts.services import invitation_send
from bettertogether.coaching.models import SupportKind
from bettertogether.directory.models import Role
from bettertogether.directory.services import caseload_assign, membership_grant, profile_update
from bettertogether.goals import starter as goals_starter
from bettertogether.goals.cycles import cycle_start, stage_complete, stage_update
from bettertogether.goals.models import CycleTemplate
from bettertogether.goals.services import goal_create, growth_goal_create
from bettertogether.menu.services import menu_item_create, request_create
from bettertogether.menu.sessions import session_schedule
from bettertogether.rostering.corpus import sis_bundle
from bettertogether.rostering.services import roster_import
from bettertogether.rostering.testing import write_bundle
from bettertogether.testing import factories as f
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    open_nav_menu,
    screenshot,
    sign_in_as,
)
from bettertogether.testing.cast import build_cast

pytestmark = pytest.mark.browser

INVITATION_TOKEN = "an-invitation-for-ines"


@dataclass(frozen=True)
class Screen:
    name: str
    persona: str | None  # a cast member, or None for a visitor who is not signed in
    path: Callable[..., str]
    status: int = 200


SCREENS = [
    Screen("home-coach", "coach", lambda c: "/"),
    Screen("home-teacher", "teacher", lambda c: "/"),
    Screen("home-leader", "leader", lambda c: "/"),
    Screen("home-admin", "admin", lambda c: "/"),
    Screen("profile", "teacher", lambda c: "/profile/"),
    Screen("profile-edit", "teacher", lambda c: "/profile/edit/"),
    Screen("password-change", "teacher", lambda c: "/accounts/password/"),
    Screen("people", "admin", lambda c: "/people/"),
    Screen("person", "coach", lambda c: f"/people/{c.teacher.pk}/"),
    Screen("schools", "admin", lambda c: "/schools/"),
    Screen("school", "leader", lambda c: f"/schools/{c.school.pk}/"),
    Screen("network", "admin", lambda c: f"/schools/{c.network.pk}/"),
    Screen("school-settings", "admin", lambda c: f"/schools/{c.school.pk}/settings/"),
    Screen("network-settings", "admin", lambda c: f"/schools/{c.network.pk}/settings/"),
    Screen("school-caseloads", "admin", lambda c: f"/schools/{c.school.pk}/caseloads/"),
    Screen("school-create", "admin", lambda c: "/schools/new/"),
    Screen("caseload", "coach", lambda c: "/coaching/caseload/"),
    Screen("relationship-rules", "admin", lambda c: f"/coaching/rules/{c.network.pk}/"),
    Screen("menu-coach", "coach", lambda c: "/menu/"),
    Screen("menu-teacher", "teacher", lambda c: "/menu/"),
    Screen("menu-item-new", "coach", lambda c: "/menu/items/new/"),
    Screen("menu-network", "admin", lambda c: f"/menu/networks/{c.network.pk}/"),
    Screen("request-new", "teacher", lambda c: f"/menu/items/{c.menu_item.pk}/request/"),
    Screen("requests-inbox", "coach", lambda c: "/requests/"),
    Screen("requests-mine", "teacher", lambda c: "/requests/mine/"),
    Screen("request-coach", "coach", lambda c: f"/requests/{c.support_request.pk}/"),
    Screen("request-teacher", "teacher", lambda c: f"/requests/{c.support_request.pk}/"),
    Screen("sessions-coach", "coach", lambda c: "/sessions/"),
    Screen("sessions-teacher", "teacher", lambda c: "/sessions/"),
    Screen("session", "coach", lambda c: f"/sessions/{c.coaching_session.pk}/"),
    Screen("session-new", "coach", lambda c: "/sessions/new/"),
    Screen("session-edit", "coach", lambda c: f"/sessions/{c.coaching_session.pk}/edit/"),
    Screen("session-log", "coach", lambda c: f"/sessions/{c.past_session.pk}/log/"),
    Screen("calendar", "teacher", lambda c: "/calendar/"),
    Screen("goals-coach", "coach", lambda c: "/goals/"),
    Screen("goals-teacher", "teacher", lambda c: "/goals/"),
    Screen("goal-new", "coach", lambda c: "/goals/new/"),
    Screen("goal", "coach", lambda c: f"/goals/{c.goal.pk}/"),
    Screen("goal-teacher", "teacher", lambda c: f"/goals/{c.goal.pk}/"),
    Screen("goal-edit", "teacher", lambda c: f"/goals/{c.goal.pk}/edit/"),
    Screen("cycle", "coach", lambda c: f"/cycles/{c.cycle.pk}/"),
    Screen("cycle-teacher", "teacher", lambda c: f"/cycles/{c.cycle.pk}/"),
    Screen("stage", "coach", lambda c: f"/cycles/{c.cycle.pk}/stages/{c.stage.pk}/"),
    Screen("stage-log", "coach", lambda c: f"/cycles/{c.cycle.pk}/stages/{c.stage.pk}/log/"),
    Screen("growth-new", "teacher", lambda c: "/goals/growth/new/"),
    Screen("school-goals", "leader", lambda c: f"/goals/schools/{c.school.pk}/"),
    Screen("resources", "coach", lambda c: "/goals/resources/"),
    Screen("resource-new", "coach", lambda c: "/goals/resources/new/"),
    Screen("templates", "admin", lambda c: f"/goals/templates/{c.network.pk}/"),
    Screen("template-built-in", "admin",
           lambda c: f"/goals/templates/{c.network.pk}/{c.cycle.template_id}/"),
    Screen("invitations", "admin", lambda c: "/accounts/invitations/"),
    Screen("activity", "admin", lambda c: "/activity/"),
    Screen("rosters", "admin", lambda c: "/rostering/"),
    Screen("roster-import", "admin", lambda c: f"/rostering/{c.roster_run.pk}/"),
    Screen("roster-problems", "admin", lambda c: f"/rostering/{c.roster_problems.pk}/"),
    Screen("notifications", "teacher", lambda c: "/notifications/"),
    Screen("notification-settings", "teacher", lambda c: "/notifications/settings/"),
    Screen("not-found", "coach", lambda c: "/no-such-page/", status=404),
    Screen("login", None, lambda c: "/accounts/login/"),
    Screen("password-reset", None, lambda c: "/accounts/password/reset/"),
    Screen("invitation-accept", None, lambda c: f"/accounts/invite/{INVITATION_TOKEN}/"),
]


@pytest.fixture(scope="module")
def lived_in(shared_server, tmp_path_factory):
    """The cast a few weeks into the year: profiles filled in, a caseload, invitations —
    built once for every screen of the module (each only reads it)."""
    cast = build_cast()
    tmp_path = tmp_path_factory.mktemp("lived_in")
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    maths = f.SubjectFactory(network=cast.network, name="Mathematics")
    profile_update(
        actor=cast.teacher, person=cast.teacher, full_name=cast.teacher.full_name,
        grades=[grade], subjects=[maths], years_experience=6,
        interests="Number talks, and the school garden on Fridays.",
    )
    for name in ["Maximiliana Vandenberghe-Oyelaran", "Sam Okafor", "Priya Raman"]:
        teacher = f.PersonFactory(full_name=name)
        membership_grant(actor=cast.admin, person=teacher, organisation=cast.school,
                         role=Role.TEACHER)
        caseload_assign(actor=cast.admin, coach=cast.coach, teacher=teacher,
                        school=cast.school, school_year=cast.school_year)
    invitation_send(actor=cast.admin, email="nina.newcoach@riverside.test",
                    full_name="Nina Newcoach", organisation=cast.other_school, role=Role.COACH)
    f.InvitationFactory(token=INVITATION_TOKEN, email="ines@riverside.test",
                        full_name="Ines Invitee", organisation=cast.school,
                        role=Role.TEACHER, invited_by=cast.admin)
    f.NotificationFactory(recipient=cast.teacher, kind="request_answered",
                          title="Cora Coach answered your request for Co-planning")
    read = f.NotificationFactory(recipient=cast.teacher, kind="session_tomorrow",
                                 title="Co-planning with Cora Coach tomorrow at 09:00")
    read.read_at = read.created_at
    read.save(update_fields=["read_at"])
    # Written the way some student information systems write it: warnings to list.
    bundle = write_bundle(tmp_path / "district.zip", sis_bundle("shouting"))
    cast.roster_run = roster_import(actor=cast.admin, network=cast.network, path=bundle,
                                    dry_run=False)
    _menu_lived_in(cast)
    _goals_lived_in(cast)
    broken = tmp_path / "staff.csv"
    broken.write_text("name,E-mail,role,school\n" + "".join(
        f"Ada {n},not-an-email-{n},teacher,Oak\n" for n in range(25)))  # 20, and 5 more
    cast.roster_problems = roster_import(actor=cast.admin, network=cast.network, path=broken,
                                         dry_run=True)
    return cast


def _menu_lived_in(cast):
    """A menu, a request waiting for an answer, a session coming up and one to log."""
    f.built_in_support_kinds()
    kinds = {k.name: k for k in SupportKind.objects.filter(network=None)}
    menu_item_create(actor=cast.admin, network=cast.network, title="New-teacher welcome",
                     kind=kinds["Check-in"], typical_minutes=30)
    cast.menu_item = menu_item_create(
        actor=cast.coach, title="Co-plan a lesson", kind=kinds["Co-planning"],
        typical_minutes=45, description="We plan next week's lesson together.",
        outcome="A lesson plan you both believe in")
    menu_item_create(actor=cast.coach, title="Set up your smartboard", kind=kinds["Tech help"],
                     typical_minutes=15)
    cast.support_request = request_create(actor=cast.teacher, coach=cast.coach,
                                          item=cast.menu_item, note="Fractions, week 3",
                                          preferred_times="Tuesdays after 3")
    now = timezone.now()
    cast.coaching_session = session_schedule(
        actor=cast.coach, teachers=[cast.teacher], kind=kinds["Observation"],
        title="Observe the number talk", starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, minutes=30), place="classroom",
        location="Room 12", agenda="Look for who talks, and how much.")
    cast.past_session = session_schedule(
        actor=cast.coach, teachers=[cast.teacher], kind=kinds["Co-planning"],
        title="Plan the unit", starts_at=now - datetime.timedelta(hours=2),
        ends_at=now - datetime.timedelta(hours=1))


def _goals_lived_in(cast):
    """A goal with a Student-Centered cycle two stages in, and a growth goal."""
    goals_starter.install()
    cast.goal = goal_create(
        actor=cast.coach, teachers=[cast.teacher], title="Explaining reasoning in fractions",
        student_outcome="Students explain their reasoning when they compare fractions.",
        success_criteria="I can compare two fractions.\nI can explain how I know.",
        measure="Exit ticket scored on the reasoning rubric", baseline="8 of 24 students",
        target="18 of 24 students", expectations="Coach models on Tuesday; teacher tries it.",
        is_powerful=True, is_student_focused=True, activate=True)
    template = CycleTemplate.objects.get(network=None, name="Student-Centered Coaching cycle")
    cast.cycle = cycle_start(actor=cast.coach, goal=cast.goal, template=template,
                             started_on=timezone.localdate() - datetime.timedelta(days=10))
    first, second = cast.cycle.stages.order_by("position")[:2]
    stage_update(actor=cast.coach, stage=first, plan="Agree the goal and the rubric.",
                 happened="Agreed.")
    stage_complete(actor=cast.coach, stage=first)
    cast.stage = second
    growth_goal_create(actor=cast.teacher, title="Ask more open questions",
                       description="Students talk more than I do in discussions.")


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_page_accessible_at_desktop_and_phone_width(page, shared_server, lived_in, screen):
    server = shared_server
    if screen.persona:
        sign_in_as(page, server, getattr(lived_in, screen.persona))

    response = page.goto(server + screen.path(lived_in))

    assert response.status == screen.status
    assert page.url == server + screen.path(lived_in), "the page redirected"
    check_axe(page)
    screenshot(page, screen.name)
    page.set_viewport_size(PHONE)
    check_no_horizontal_scroll(page)
    screenshot(page, screen.name)
    if screen.persona:
        open_nav_menu(page)
        check_no_horizontal_scroll(page)
        check_axe(page)
    check_console(page)
