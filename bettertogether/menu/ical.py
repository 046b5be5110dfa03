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

import contextlib
import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Person

from .models import CoachingSession, SessionStatus
from .selectors import session_ids_of

FEED_PAST_DAYS = 90
FEED_CACHE_SECONDS = 3600
PRODUCT_ID = "-//Better Together//Coaching sessions//EN"
ZONES_FROM = datetime.date(2020, 1, 1)


def feed_sessions(*, person: Person, now: datetime.datetime | None = None):
    """The person's sessions, as coach or attendee, from 90 days back on."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_PAST_DAYS)
    return CoachingSession.objects.filter(pk__in=session_ids_of(person_id=person.pk),
                                          ends_at__gte=since)


def _with_people(sessions):
    return (sessions.select_related("coach", "school", "network")
            .prefetch_related(Prefetch("attendees", queryset=Person.objects.only(
                "id", "full_name", "email").order_by("full_name", "pk")))
            .defer("agenda")
            .order_by("starts_at", "id"))


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
    zone = zone_of(session.network)
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
    """The whole feed, as the bytes a calendar client downloads.

    Built once and kept in the cache until one of its sessions changes (every change bumps
    a session's `updated_at`), one drops out of the window, or an hour passes.
    """
    sessions = feed_sessions(person=person, now=now)
    stamp = sessions.aggregate(n=Count("id"), last=Max("updated_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    name = hashlib.sha256(person.full_name.encode()).hexdigest()[:16]
    key = f"ical:v1:{person.pk}:{stamp['n']}:{last}:{name}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Better Together — {person.full_name}")
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={
        "value": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for session in _with_people(sessions):
        calendar.add_component(_event(session))
    _add_timezones(calendar)
    body = calendar.to_ical()
    cache.set(key, body, FEED_CACHE_SECONDS)
    return body


def _add_timezones(calendar: Calendar) -> None:
    """A VTIMEZONE for each zone the events use (they come before the events)."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        with contextlib.suppress(ValueError):  # a zone icalendar does not know
            calendar.subcomponents.insert(position, _vtimezone(tzid))


@functools.cache
def _vtimezone(tzid: str) -> Timezone:
    """A zone's VTIMEZONE with one STANDARD or DAYLIGHT part per change of offset.

    `icalendar` lists every later change of a part as one RDATE with many dates; some
    readers (vobject among them) take only the first of those dates and put a summer
    session an hour out. One part per change reads the same everywhere. The range is
    fixed (2020 to icalendar's 2038, before any session of this product and after any a
    feed holds), so every feed defines a zone the same way, whatever a client remembers
    of an earlier one. Built once per zone and process.
    """
    zone = Timezone.from_tzid(tzid, first_date=ZONES_FROM)
    zone.subcomponents = [single for part in zone.subcomponents
                          for single in _one_per_change(part)]
    return zone


def _one_per_change(part):
    dates = part.pop("RDATE", [])
    yield part
    for value in dates if isinstance(dates, list) else [dates]:
        for moment in value.dts:
            single = type(part)()
            for name, prop in part.items():
                if name != "DTSTART":
                    single[name] = prop
            single.add("dtstart", moment.dt)
            yield single
