"""A teacher asks for something from the coaching menu; the coach accepts with a time; after
the session the log form opens prefilled, and the logged contact lands on both timelines."""

import datetime
import urllib.error
import urllib.request
import zoneinfo

import pytest
import vobject
from django.utils import timezone
from playwright.sync_api import expect

from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tests.support import kind
from bettertogether.menu.models import CoachingSession, RequestStatus, SupportRequest
from bettertogether.menu.services import menu_item_create, request_accept, request_create
from bettertogether.menu.sessions import session_cancel
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    expect_field_error,
    sign_in_as,
)
from bettertogether.testing.factories import built_in_support_kinds

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _built_in_kinds(cast):
    built_in_support_kinds()


def _local(cast, moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(cast.network.time_zone))


def test_coach_adds_a_menu_item(page, server, cast):
    sign_in_as(page, server, cast.coach)
    page.goto(f"{server}/menu/")
    page.get_by_role("link", name="Add an item").click()
    check_axe(page)

    page.get_by_label("Title").fill("Set up your smartboard")
    page.get_by_label("Kind of support").select_option(label="Tech help")
    page.get_by_label("Typical length in minutes").fill("20")
    page.get_by_label("What you get").fill("A board that works when the bell rings")
    page.get_by_role("button", name="Add to the menu").click()

    expect(page.get_by_text("Added to the menu: Set up your smartboard")).to_be_visible()
    table = page.get_by_role("table", name="Each item with how far its requests went")
    expect(table.get_by_role("rowheader", name="Set up your smartboard")).to_be_visible()
    check_axe(page)
    check_console(page)


def test_request_accept_session_and_prefilled_log(open_page, server, cast):
    menu_item_create(actor=cast.coach, title="Co-plan a lesson", kind=kind("Co-planning"),
                     typical_minutes=45, description="We plan next week's lesson together.",
                     outcome="A lesson plan you both believe in")

    # The teacher asks, from a phone.
    teacher = open_page(viewport=PHONE)
    sign_in_as(teacher, server, cast.teacher)
    teacher.goto(f"{server}/menu/")
    expect(teacher.get_by_role("heading", name="Cora Coach")).to_be_visible()
    check_no_horizontal_scroll(teacher)
    check_axe(teacher)
    teacher.get_by_role("link", name="Ask for this Co-plan a lesson from Cora Coach").click()
    teacher.get_by_label("A note to your coach").fill("Fractions unit, week 3")
    teacher.get_by_label("Times that suit you").fill("Tuesdays after 3")
    teacher.get_by_role("button", name="Send request").click()
    expect(teacher.get_by_text("Sent to Cora Coach.")).to_be_visible()
    expect(teacher.get_by_text("Waiting for the coach")).to_be_visible()
    check_no_horizontal_scroll(teacher)
    request = SupportRequest.objects.get()

    # The coach sees it and says yes, for a time that has just begun.
    coach = open_page()
    sign_in_as(coach, server, cast.coach)
    coach.goto(f"{server}/")
    coach.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    coach.get_by_role("link", name="Co-plan a lesson for Tess Teacher").click()
    expect(coach.get_by_text("Fractions unit, week 3")).to_be_visible()
    check_axe(coach)
    now = _local(cast, timezone.now()).replace(second=0, microsecond=0)
    start = now - datetime.timedelta(minutes=10)  # a coach may accept the minutes running
    if start.date() != now.date():  # just after midnight: the session starts at midnight
        start = now.replace(hour=0, minute=0)
    end = start + datetime.timedelta(minutes=45)  # the form takes an end time on that day
    accept = coach.get_by_role("region", name="Say yes with a time")
    accept.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    accept.get_by_label("Ends at").fill(end.strftime("%H:%M"))
    accept.get_by_label("Where").select_option(label="Classroom")
    accept.get_by_role("button", name="Schedule it").click()

    expect(coach.get_by_text("Scheduled. The teacher has been told.")).to_be_visible()
    session = CoachingSession.objects.get()
    assert session.request_id == request.pk
    assert list(session.attendees.all()) == [cast.teacher]
    assert session.starts_at == start
    check_axe(coach)

    # After the session, the log form opens prefilled from it.
    coach.get_by_role("link", name="Log this session").click()
    expect(coach.get_by_label("Teachers")).to_have_values([str(cast.teacher.pk)])
    expect(coach.get_by_label("Kind of support")).to_have_value(str(kind("Co-planning").pk))
    expect(coach.get_by_label("Minutes")).to_have_value("45")
    expect(coach.get_by_label("When")).to_have_value(start.strftime("%Y-%m-%dT%H:%M"))
    coach.get_by_label("Shared note").fill("Planned the fraction strips lesson")
    coach.get_by_role("button", name="Log it").click()

    expect(coach.get_by_text("Logged Co-plan a lesson.")).to_be_visible()
    interaction = Interaction.objects.get()
    assert list(interaction.teachers.all()) == [cast.teacher]
    assert interaction.minutes == 45
    session.refresh_from_db()
    assert session.interaction_id == interaction.pk
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE

    # The teacher sees it done, and on their coaching timeline.
    teacher.goto(f"{server}/requests/mine/")
    expect(teacher.get_by_role("cell", name="Done")).to_be_visible()
    teacher.goto(f"{server}/coaching/mine/")
    expect(teacher.get_by_text("Planned the fraction strips lesson")).to_be_visible()
    check_console(teacher)
    check_console(coach)


def test_decline_needs_a_message_and_the_teacher_reads_it(open_page, server, cast):
    item = menu_item_create(actor=cast.coach, title="Model a strategy",
                            kind=kind("Modelling a lesson"), typical_minutes=40)
    request = request_create(actor=cast.teacher, coach=cast.coach, item=item,
                             note="Turn and talk")

    coach = open_page()
    sign_in_as(coach, server, cast.coach)
    coach.goto(f"{server}/requests/{request.pk}/")
    decline = coach.get_by_role("region", name="Decline")
    decline.get_by_role("button", name="Decline with this message").click()
    expect_field_error(coach, "Your message to the teacher",
                       "Say a word to the teacher: why not now, or what else might help.")
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    check_axe(coach)

    decline = coach.get_by_role("region", name="Decline")
    decline.get_by_label("Your message to the teacher").fill(
        "Testing week is full; can we do it the week after?")
    decline.get_by_role("button", name="Decline with this message").click()
    expect(coach.get_by_text("Declined, with your message to the teacher.")).to_be_visible()

    teacher = open_page(viewport=PHONE)
    sign_in_as(teacher, server, cast.teacher)
    teacher.goto(f"{server}/requests/{request.pk}/")
    message = teacher.get_by_text("Testing week is full; can we do it the week after?")
    expect(message).to_be_visible()
    expect(teacher.get_by_text("Declined", exact=True)).to_be_visible()
    check_no_horizontal_scroll(teacher)
    check_axe(teacher)


def test_teacher_takes_a_proposed_time(open_page, server, cast):
    item = menu_item_create(actor=cast.coach, title="Observe and give feedback",
                            kind=kind("Observation"), typical_minutes=30)
    request = request_create(actor=cast.teacher, coach=cast.coach, item=item)
    coach = open_page()
    sign_in_as(coach, server, cast.coach)
    coach.goto(f"{server}/requests/{request.pk}/")
    start = _local(cast, timezone.now() + datetime.timedelta(days=2)).replace(
        hour=10, minute=15, second=0, microsecond=0)
    propose = coach.get_by_role("region", name="Propose another time")
    propose.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    propose.get_by_label("Ends at").fill("10:45")
    propose.get_by_role("button", name="Propose").click()
    expect(coach.get_by_text("Proposed.")).to_be_visible()

    teacher = open_page()
    sign_in_as(teacher, server, cast.teacher)
    teacher.goto(f"{server}/requests/{request.pk}/")
    teacher.get_by_role("button", name="Take this time").click()

    expect(teacher.get_by_text("It is in both your calendars.")).to_be_visible()
    expect(teacher.get_by_role("heading", name="Observe and give feedback")).to_be_visible()
    session = CoachingSession.objects.get()
    assert session.starts_at == start
    check_axe(teacher)


def test_calendar_address_made_in_the_browser_feeds_an_independent_parser(page, server, cast):
    item = menu_item_create(actor=cast.coach, title="Co-plan a lesson", kind=kind("Co-planning"),
                            typical_minutes=45)
    request = request_create(actor=cast.teacher, coach=cast.coach, item=item,
                             note="CANARY-NOTE-in-the-request")
    start = _local(cast, timezone.now() + datetime.timedelta(days=3)).replace(
        hour=15, minute=30, second=0, microsecond=0)
    session = request_accept(actor=cast.coach, request=request, starts_at=start,
                             ends_at=start + datetime.timedelta(minutes=45), place="classroom",
                             location="Room 12")

    sign_in_as(page, server, cast.teacher)
    page.goto(f"{server}/sessions/")
    page.get_by_role("link", name="Add them to your own calendar").click()
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Copy this address into your calendar").input_value()
    assert address.startswith(f"{server}/calendar/") and address.endswith(".ics")
    check_axe(page)

    with urllib.request.urlopen(address, timeout=10) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        text = response.read().decode()
    calendar = vobject.readOne(text)
    (event,) = calendar.vevent_list
    assert event.summary.value == "Co-plan a lesson"
    assert event.uid.value == f"{session.uid}@bettertogether"
    assert event.dtstart.value == start
    assert f"DTSTART;TZID=America/Chicago:{start:%Y%m%dT%H%M%S}" in text
    assert calendar.vtimezone.tzid.value == "America/Chicago"
    assert event.status.value == "CONFIRMED"
    assert event.organizer.value == f"mailto:{cast.coach.email}"
    assert "CANARY-NOTE" not in text

    # Cancelled in the app, the same event comes back cancelled, one sequence on.
    session_cancel(actor=cast.coach, session=session)
    with urllib.request.urlopen(address, timeout=10) as response:
        (event,) = vobject.readOne(response.read().decode()).vevent_list
    assert event.status.value == "CANCELLED"
    assert int(event.sequence.value) == 1

    # Turned off, the address answers 404.
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Turn it off").click()
    expect(page.get_by_text("Your calendar address is turned off.")).to_be_visible()
    try:
        urllib.request.urlopen(address, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        pytest.fail("A turned-off calendar address still answers.")
