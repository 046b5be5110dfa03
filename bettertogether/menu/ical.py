"""A person's coaching sessions as an RFC 5545 calendar, built with the `icalendar` library.

What a feed carries, and why:
- Each session is a VEVENT whose UID never changes, whose SEQUENCE rises with every change
  and whose DTSTAMP/LAST-MODIFIED say when it last changed, so a client replaces its copy.
- Times are given in the organisation's time zone with its VTIMEZONE, so a session at
  15:30 in Chicago stays at 15:30 there across daylight-saving changes.
- A cancelled session stays in the feed with STATUS:CANCELLED: clients remove it.
- ORGANIZER is the coach and each teacher an ATTENDEE (name and email).
- No note ever: the agenda and everything written between coach and teacher stay in the
  app. The description is a link to the session page, which checks who is looking.

A feed address is secret but may be shared with a calendar service, so it carries only
what a shared calendar entry would: title, time, place and people.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from bettertogether.directory.models import Person

from .models import CoachingSession, SessionStatus

FEED_PAST_DAYS = 90
PRODUCT_ID = "-//Better Together//Coaching sessions//EN"


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def feed_sessions(*, person: Person, now: datetime.datetime | None = None):
    """The person's sessions, as coach or attendee, from 90 days back on: two queries."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        CoachingSession.objects.filter(Q(coach_id=person.pk) | Q(attendees__id=person.pk),
                                       ends_at__gte=since)
        .distinct()
        .select_related("coach", "school", "network")
        .prefetch_related(Prefetch("attendees", queryset=Person.objects.only(
            "id", "full_name", "email").order_by("full_name", "pk")))
        .defer("agenda")
        .order_by("starts_at", "id")
    )


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.full_name)
    if role is not None:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def _where(session: CoachingSession) -> str:
    place = session.get_place_display() if session.place else ""
    parts = [part for part in (session.location, place, session.school.name) if part]
    return ", ".join(dict.fromkeys(parts))


def _event(session: CoachingSession) -> Event:
    zone = _zone(session.network.time_zone)
    event = Event()
    event.add("uid", f"{session.uid}@bettertogether")
    event.add("sequence", session.sequence)
    event.add("dtstamp", session.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("created", session.created_at.astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("location", _where(session))
    event.add("url", settings.SITE_URL + reverse("menu:session", args=[session.pk]))
    event.add("description", settings.SITE_URL + reverse("menu:session", args=[session.pk]))
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("organizer", _address(session.coach))
    for attendee in session.attendees.all():
        event.add("attendee", _address(attendee, role="REQ-PARTICIPANT"))
    return event


def calendar_for(*, person: Person, now: datetime.datetime | None = None) -> bytes:
    """The whole feed, as the bytes a calendar client downloads."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Better Together — {person.full_name}")
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={
        "value": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for session in feed_sessions(person=person, now=now):
        calendar.add_component(_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()
