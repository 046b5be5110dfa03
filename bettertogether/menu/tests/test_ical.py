"""The calendar feed, read back with an independent parser (vobject): one event per session
of the person, a stable UID, a rising SEQUENCE, the organisation's time zone, the people,
and never a word of what was written."""

import datetime

import pytest
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bettertogether.directory.models import Role
from bettertogether.menu import services, sessions
from bettertogether.menu.ical import PRODUCT_ID, calendar_for
from bettertogether.menu.tests.support import accept, at, move, schedule
from bettertogether.testing import factories as f


def _read(person):
    text = calendar_for(person=person).decode()
    return vobject.readOne(text), text


def _events(person):
    calendar, _text = _read(person)
    return {event.summary.value: event for event in calendar.contents.get("vevent", [])}


def test_feed_is_an_icalendar_version_2_with_our_product_id(cast):
    calendar, _text = _read(cast.teacher)

    assert calendar.name == "VCALENDAR"
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value == PRODUCT_ID
    assert calendar.method.value == "PUBLISH"
    assert "vevent" not in calendar.contents


def test_feed_holds_one_event_per_session_as_coach_and_as_attendee(cast, second_coach, asked):
    accept(cast.coach, asked)
    schedule(cast.coach, [cast.teacher], title="Team planning", starts_at=at(days=2))
    schedule(cast.coach, [cast.other_teacher], title="Otto's check-in", starts_at=at(days=3))
    f.MembershipFactory(person=second_coach, organisation=cast.school, role=Role.TEACHER)
    schedule(cast.coach, [second_coach], title="Sam as a learner", starts_at=at(days=4))
    schedule(second_coach, [cast.teacher], title="Sam with Tess", starts_at=at(days=5))

    assert sorted(_events(cast.coach)) == [
        "Co-plan a lesson", "Otto's check-in", "Sam as a learner", "Team planning"]
    assert sorted(_events(cast.teacher)) == ["Co-plan a lesson", "Sam with Tess",
                                             "Team planning"]
    # As coach of one session and attendee of another.
    assert sorted(_events(second_coach)) == ["Sam as a learner", "Sam with Tess"]
    assert sorted(_events(cast.other_teacher)) == ["Otto's check-in"]
    assert _events(cast.leader) == {}


def test_feed_event_uid_is_stable_and_sequence_rises_with_each_change(cast):
    session = schedule(cast.coach, [cast.teacher])
    before = _events(cast.teacher)["Grade 3 team planning"]

    move(cast.coach, session, at(days=2))
    after = _events(cast.teacher)["Grade 3 team planning"]

    assert before.uid.value == after.uid.value == f"{session.uid}@bettertogether"
    assert (int(before.sequence.value), int(after.sequence.value)) == (0, 1)
    assert after.dtstart.value == at(days=2)


def test_feed_event_of_a_cancelled_session_stays_with_status_cancelled(cast):
    session = schedule(cast.coach, [cast.teacher])
    assert _events(cast.teacher)["Grade 3 team planning"].status.value == "CONFIRMED"

    sessions.session_cancel(actor=cast.coach, session=session)

    event = _events(cast.teacher)["Grade 3 team planning"]
    assert (event.status.value, int(event.sequence.value), event.transp.value) == (
        "CANCELLED", 1, "TRANSPARENT")


@pytest.mark.parametrize(("start", "offset"), [
    (datetime.datetime(2031, 1, 14, 21, 30, tzinfo=datetime.UTC), -6),  # 15:30 CST
    (datetime.datetime(2031, 7, 15, 20, 30, tzinfo=datetime.UTC), -5),  # 15:30 CDT
])
def test_feed_times_are_in_the_organisations_zone_with_its_vtimezone(cast, start, offset):
    schedule(cast.coach, [cast.teacher], starts_at=start, minutes=45)

    calendar, text = _read(cast.teacher)

    (event,) = calendar.vevent_list
    assert f"DTSTART;TZID=America/Chicago:{start:%Y%m%d}T153000" in text
    assert f"DTEND;TZID=America/Chicago:{start:%Y%m%d}T161500" in text
    # vobject resolves the TZID through the feed's own VTIMEZONE.
    assert event.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["America/Chicago"]
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["America/Chicago"]
    assert (event.dtstart.value.hour, event.dtstart.value.minute) == (15, 30)
    assert event.dtstart.value.utcoffset() == datetime.timedelta(hours=offset)
    assert event.dtstart.value == start  # the same instant
    assert event.dtend.value == start + datetime.timedelta(minutes=45)


def test_feed_winter_and_summer_sessions_both_parse_to_their_instants(cast):
    # One VTIMEZONE part per change of offset: a reader that takes only the first date of
    # an RDATE list (vobject does) would put the summer sessions an hour out.
    starts = [datetime.datetime(year, month, 15, 21 if month == 1 else 20, 30,
                                tzinfo=datetime.UTC)
              for year in (2027, 2029, 2033) for month in (1, 7)]
    for n, start in enumerate(starts):
        schedule(cast.coach, [cast.teacher], title=f"Session {n}", starts_at=start)

    calendar, text = _read(cast.teacher)

    assert "RDATE" not in text
    assert [event.dtstart.value for event in calendar.vevent_list] == starts
    assert {(e.dtstart.value.hour, e.dtstart.value.minute) for e in calendar.vevent_list} == {
        (15, 30)}


def test_feed_times_of_another_network_use_its_zone(cast):
    coach = f.PersonFactory(full_name="Nell North", email="nell@northfield.test")
    teacher = f.PersonFactory(full_name="Ned North", email="ned@northfield.test")
    f.MembershipFactory(person=coach, organisation=cast.outsider_school, role=Role.COACH)
    f.MembershipFactory(person=teacher, organisation=cast.outsider_school, role=Role.TEACHER)
    start = datetime.datetime(2031, 7, 15, 8, 0, tzinfo=datetime.UTC)
    schedule(coach, [teacher], starts_at=start)

    calendar, text = _read(teacher)

    (event,) = calendar.vevent_list
    assert "DTSTART;TZID=Europe/London:20310715T090000" in text
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/London"]
    assert event.dtstart.value == start


def test_feed_event_names_the_coach_as_organizer_and_the_teachers_as_attendees(cast):
    teammate = f.PersonFactory(full_name="Tom Teammate", email="tom@riverside.test")
    f.MembershipFactory(person=teammate, organisation=cast.school, role=Role.TEACHER)
    schedule(cast.coach, [cast.teacher, teammate], location="Library")

    event = _events(cast.teacher)["Grade 3 team planning"]

    assert event.organizer.value == "mailto:coach@riverside.test"
    assert event.organizer.params["CN"] == ["Cora Coach"]
    assert [(a.value, a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"])
            for a in event.attendee_list] == [
        ("mailto:teacher@riverside.test", ["Tess Teacher"], ["REQ-PARTICIPANT"], ["ACCEPTED"]),
        ("mailto:tom@riverside.test", ["Tom Teammate"], ["REQ-PARTICIPANT"], ["ACCEPTED"]),
    ]
    assert event.location.value == "Library, Lincoln Elementary"


def test_feed_event_describes_itself_by_a_link_to_the_session_only(cast, settings):
    session = schedule(cast.coach, [cast.teacher], agenda="AGENDA-NOT-IN-FEED")

    event = _events(cast.teacher)["Grade 3 team planning"]

    link = settings.SITE_URL + reverse("menu:session", args=[session.pk])
    assert event.description.value == link
    assert event.url.value == link


def test_feed_leaves_out_sessions_long_past(cast):
    session = schedule(cast.coach, [cast.teacher], title="Long ago")
    recent = schedule(cast.coach, [cast.teacher], title="Last month")
    for moved, days in ((session, 200), (recent, 30)):
        moved.starts_at = timezone.now() - datetime.timedelta(days=days)
        moved.ends_at = moved.starts_at + datetime.timedelta(minutes=45)
        moved.save(update_fields=["starts_at", "ends_at"])

    assert sorted(_events(cast.teacher)) == ["Last month"]


def test_feed_through_its_address_is_what_the_parser_reads(cast, asked):
    session = accept(cast.coach, asked, location="Room 12")
    token = services.calendar_feed_reset(actor=cast.teacher)

    response = Client().get(reverse("menu:feed", args=[token]))

    (event,) = vobject.readOne(response.content.decode()).vevent_list
    assert (event.summary.value, event.uid.value, event.dtstart.value) == (
        "Co-plan a lesson", f"{session.uid}@bettertogether", session.starts_at)
    assert "Fractions unit" not in response.content.decode()
