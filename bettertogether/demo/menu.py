"""Demo data for the coaching menu: what each coach offers, teachers' requests and how the
coach answered, the sessions they became, and the notifications they left behind.

`seed_small` tells the same story every time, dated from today: each coach's own menu and
the network's, requests from the demo teachers in every status, sessions this week and
next (teacher@riverside.example meets coach@riverside.example tomorrow), sessions already
logged, one called off and moved. Rows are written with the ORM; the few logged sessions
go through `interaction_log` so the coach's log holds them. Nothing is emailed or queued.

`seed_district` (in `menu_district.py`) writes the benchmark's menus, requests and sessions
in bulk.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bettertogether.coaching.models import SupportKind
from bettertogether.coaching.services import interaction_log
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.moments import clock_text, moment_text
from bettertogether.menu.models import (
    CoachingSession,
    MenuItem,
    RequestStatus,
    SessionStatus,
    SupportRequest,
)
from bettertogether.menu.services import shared_school
from bettertogether.notifications.models import Notification

from . import cast
from .common import OUTSIDER_NETWORK, SMALL_NETWORK, email_part
from .menu_district import seed_district  # noqa: F401 (the district seeder)
from .menu_story import MEETINGS, MENUS, REQUESTS, TOMORROW, Ask, Meeting
from .menu_vocabulary import GB_ITEMS, GB_NETWORK_ITEMS, US_ITEMS, US_NETWORK_ITEMS

_NETWORKS = {
    SMALL_NETWORK: (cast.RIVERSIDE, "riverside.example", US_ITEMS, US_NETWORK_ITEMS),
    OUTSIDER_NETWORK: (cast.NORTHFIELD, "northfield.example", GB_ITEMS, GB_NETWORK_ITEMS),
}
# Whose notifications the demo shows: (network, cast key).
NOTIFIED = ((SMALL_NETWORK, "coach"), (SMALL_NETWORK, "teacher"))
S = RequestStatus


class _Network(NamedTuple):
    org: Organisation
    zone: ZoneInfo
    today: datetime.date
    now: datetime.datetime
    people: dict[str, Person]
    items: dict[tuple[str | None, str], MenuItem]  # (coach key or None, title) → item


def seed_small(rng: random.Random, **_options) -> None:
    kinds = {k.name: k for k in SupportKind.objects.filter(network=None)}
    notes: list[Notification] = []
    for name in _NETWORKS:
        net = _network(name, kinds)
        for ask in REQUESTS[name]:
            _request(rng, net, ask, notes)
        for meeting in MEETINGS[name]:
            _meeting(rng, net, kinds, meeting, notes)
    Notification.objects.bulk_create(notes)


def _network(name: str, kinds: dict[str, SupportKind]) -> _Network:
    members, domain, catalogue, network_catalogue = _NETWORKS[name]
    org = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=name)
    emails = {m.key: m.email or f"{email_part(m.name)}@{domain}" for m in members}
    by_email = {p.email: p for p in Person.objects.filter(email__in=emails.values())}
    people = {key: by_email[email] for key, email in emails.items()}
    zone = zone_of(org)
    now = timezone.now()
    today = timezone.localdate(now, timezone=zone)
    written = now - datetime.timedelta(days=75)  # the menus went up weeks ago
    rows = [(None, title, offer) for title, offer in network_catalogue.items()]
    rows += [(coach, title, catalogue[title]) for coach, titles in MENUS[name].items()
             for title in titles]
    made = MenuItem.objects.bulk_create(
        MenuItem(network=org, coach=people[coach] if coach else None, title=title,
                 description=offer.description, kind=kinds[offer.kind],
                 typical_minutes=offer.minutes, outcome=offer.outcome,
                 created_at=written, updated_at=written)
        for coach, title, offer in rows)
    items = {(coach, title): item for (coach, title, _o), item in zip(rows, made, strict=True)}
    return _Network(org, zone, today, now, people, items)


def _school_day(today: datetime.date, offset: int) -> datetime.date:
    """`offset` weekdays after today (before it when negative); 0 is today."""
    day, step = today, (1 if offset > 0 else -1)
    for _ in range(abs(offset)):
        day += datetime.timedelta(days=step)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=step)
    return day


def _at(net: _Network, offset: int | str, time: str) -> datetime.datetime:
    """A local time on a school day (or tomorrow, whatever day that is), as an aware time."""
    day = (net.today + datetime.timedelta(days=1) if offset == TOMORROW
           else _school_day(net.today, int(offset)))
    hour, minute = (int(part) for part in time.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=net.zone)


def _before_now(net: _Network, moment: datetime.datetime, minutes: int = 10):
    return min(moment, net.now - datetime.timedelta(minutes=minutes))


def _request(rng: random.Random, net: _Network, ask: Ask, notes: list) -> None:
    coach, teacher = net.people[ask.coach], net.people[ask.teacher]
    item = net.items.get((ask.coach, ask.item)) or net.items[(None, ask.item)]
    asked = _before_now(net, _at(net, -ask.asked, ask.asked_time), minutes=40)
    answered = None
    if ask.status != S.PENDING and not (ask.status == S.WITHDRAWN and ask.at is None):
        answered = _before_now(net, max(_at(net, -ask.asked + 1, "07:45"),
                                        asked + datetime.timedelta(hours=2)))
    start = _at(net, *ask.at) if ask.at else None
    end = start + datetime.timedelta(minutes=item.typical_minutes) if start else None
    proposed = ask.status == S.PROPOSED or (ask.status == S.WITHDRAWN and start)
    changed = answered or asked
    if ask.status == S.WITHDRAWN:
        changed = _before_now(net, (answered or asked) + datetime.timedelta(hours=20))
    request = SupportRequest.objects.create(
        network=net.org, school=shared_school(coach=coach, teacher=teacher), teacher=teacher,
        coach=coach, item=item, note=ask.note, preferred_times=ask.times,
        status=ask.status, coach_message=ask.message,
        proposed_start=start if proposed else None, proposed_end=end if proposed else None,
        proposed_place=ask.place if proposed else "",
        idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
        created_at=asked, answered_at=answered, updated_at=changed)
    session = None
    if ask.status in (S.SCHEDULED, S.DONE):
        session = _session(rng, net, coach=coach, teachers=(teacher,), kind=item.kind,
                           title=item.title, start=start, end=end, place=ask.place,
                           location=ask.location, created=answered, logged=ask.logged,
                           request=request)
    _notify_request(net, ask, request, session, notes)


def _session(rng: random.Random, net: _Network, *, coach: Person, teachers, kind, title: str,
             start, end, place: str, location: str, created, changed=None, logged: str = "",
             request: SupportRequest | None = None, agenda: str = "",
             cancelled: bool = False) -> CoachingSession:
    interaction = None
    if logged:
        interaction = interaction_log(
            actor=coach, kind=kind, teachers=teachers,
            minutes=int((end - start).total_seconds() // 60), occurred_at=start, place=place,
            shared_note=logged, idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4))
        changed = _before_now(net, end + datetime.timedelta(minutes=20))
        if request is not None:
            SupportRequest.objects.filter(pk=request.pk).update(updated_at=changed)
    session = CoachingSession.objects.create(
        network=net.org, school=shared_school(coach=coach, teacher=teachers[0]), coach=coach,
        request=request, kind=kind, title=title, starts_at=start, ends_at=end, place=place,
        location=location, agenda=agenda,
        status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
        sequence=1 if cancelled else 0, uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        interaction=interaction, created_at=created, updated_at=changed or created,
        idempotency_key=None if request else uuid.UUID(int=rng.getrandbits(128), version=4))
    session.attendees.set(teachers)
    return session


def _meeting(rng: random.Random, net: _Network, kinds: dict, meeting: Meeting,
             notes: list) -> None:
    start = _at(net, meeting.day, meeting.time)
    end = start + datetime.timedelta(minutes=meeting.minutes)
    before = min(meeting.day, 0) - meeting.scheduled
    created = _before_now(net, _at(net, before, "12:30"))
    changed = _before_now(net, _at(net, before + 2, "12:15")) if meeting.cancelled else None
    teachers = tuple(net.people[key] for key in meeting.teachers)
    coach = net.people[meeting.coach]
    session = _session(rng, net, coach=coach, teachers=teachers, kind=kinds[meeting.kind],
                       title=meeting.title, start=start, end=end, place=meeting.place,
                       location=meeting.location, created=created, changed=changed,
                       logged=meeting.logged, agenda=meeting.agenda,
                       cancelled=meeting.cancelled)
    for key in meeting.teachers:
        if (net.org.name, key) not in NOTIFIED:
            continue
        values = {"coach": coach.full_name, "title": meeting.title, "when": _when(net, session)}
        notes.append(_note(net, key, Notification.Kind.SESSION_SCHEDULED,
                           _title(net, "%(coach)s scheduled %(title)s for %(when)s", values),
                           session, created, read=meeting.day < 0 or meeting.cancelled))
        if meeting.cancelled:
            notes.append(_note(net, key, Notification.Kind.SESSION_CANCELLED,
                               _title(net, "%(title)s on %(when)s is cancelled", values),
                               session, session.updated_at, read=True))


def _title(net: _Network, text: str, values: dict) -> str:
    """A notification title in the network's language, as the menu's services write it."""
    with translation.override(net.org.locale):
        return gettext(text) % values


def _when(net: _Network, session: CoachingSession) -> str:
    with translation.override(net.org.locale):
        return moment_text(session.starts_at, zone=net.zone, with_zone=True)


def _note(net: _Network, key: str, kind: str, title: str, target, created, *,
          read: bool, dedupe_key: str = "") -> Notification:
    name = "menu:request" if isinstance(target, SupportRequest) else "menu:session"
    return Notification(
        recipient=net.people[key], network=net.org, kind=kind, title=title,
        url=reverse(name, args=[target.pk]), dedupe_key=dedupe_key, created_at=created,
        emailed_at=created + datetime.timedelta(minutes=1),
        read_at=_before_now(net, created + datetime.timedelta(hours=3), 5) if read else None)


def _notify_request(net: _Network, ask: Ask, request: SupportRequest,
                    session: CoachingSession | None, notes: list) -> None:
    """What the demo coach and teacher were told about this request, as the services do."""
    values = {"teacher": net.people[ask.teacher].full_name, "item": request.item.title,
              "coach": net.people[ask.coach].full_name}
    if (net.org.name, ask.coach) in NOTIFIED:
        notes.append(_note(net, ask.coach, Notification.Kind.REQUEST_NEW,
                           _title(net, "%(teacher)s asked for %(item)s", values), request,
                           request.created_at, read=ask.status != S.PENDING))
    if session is not None and ask.at[0] == TOMORROW:  # the reminder job ran this morning
        reminded = _before_now(net, _at(net, 0, "06:00"), 5)
        local = timezone.localtime(session.starts_at, net.zone)
        reminder = _title(net, "Tomorrow at %(time)s: %(title)s",
                          {"time": clock_text(local, with_zone=True), "title": session.title})
        for key in (ask.coach, ask.teacher):
            if (net.org.name, key) in NOTIFIED:
                notes.append(_note(
                    net, key, Notification.Kind.SESSION_TOMORROW, reminder, session,
                    reminded, read=False,
                    dedupe_key=f"session-tomorrow:{session.pk}:{local.date().isoformat()}"))
    if (net.org.name, ask.teacher) not in NOTIFIED or request.answered_at is None:
        return
    if ask.status == S.PROPOSED:
        text, target, read = "%(coach)s proposed a time for %(item)s", request, False
    elif ask.status == S.DECLINED:
        text, target, read = "%(coach)s answered your request for %(item)s", request, True
    elif session is not None:
        values = {"title": session.title, "when": _when(net, session)}
        text, target, read = "%(title)s is scheduled for %(when)s", session, True
    else:
        return
    notes.append(_note(net, ask.teacher, Notification.Kind.REQUEST_ANSWERED
                       if target is request else Notification.Kind.SESSION_SCHEDULED,
                       _title(net, text, values), target, request.answered_at, read=read))
