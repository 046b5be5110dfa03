"""Demo data for the coach's log: interactions with teachers, the coach's own time and
personal notes.

`seed_small` logs a believable autumn (and the end of last year) for each coach of the
small demo through the real services: small favours first, deeper work later with some
teachers, a few grade-level teams, and a couple of teachers not reached at all or not for
weeks, so the caseload has something to nudge about.

`seed_district` writes the benchmark's two million interactions over three school years in
bulk: PostgreSQL `COPY` (with the tables' indexes and foreign keys rebuilt once at the
end), `bulk_create` in batches elsewhere.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from bettertogether.coaching.models import (
    SupportKind,
)
from bettertogether.coaching.services import interaction_log, personal_note_add
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import (
    Organisation,
    Person,
)

from . import cast
from .coaching_district import seed_district  # noqa: F401 (the district seeder)
from .coaching_vocabulary import (
    CYCLE,
    FAVOURS,
    OWN_TIME,
    OWN_TIME_NOTES,
    PLACES,
    PRIVATE_NOTES,
    SHARED_NOTES,
    TEAM_KINDS,
    minutes_of,
)
from .common import (
    OUTSIDER_NETWORK,
    SMALL_NETWORK,
    Year,
    email_part,
    english_years,
    us_semester_years,
)

# --- The small demo: through the services, as the coaches would have logged it --------


@dataclass(frozen=True)
class CoachPlan:
    """How a coach's autumn went, teacher by teacher (keys of `cast`)."""

    network: str
    coach: str
    deep: tuple[str, ...]  # small favours first, then a coaching cycle
    light: tuple[str, ...]  # small favours and check-ins
    stale: tuple[str, ...]  # a few early contacts, nothing in the last four weeks
    never: tuple[str, ...]  # on the caseload, not contacted yet
    teams: tuple[tuple[str, ...], ...]  # grade-level or department teams
    last_year: tuple[str, ...]
    personal: tuple[tuple[str, str], ...]  # (teacher key, personal note)
    own_time: int


PLANS = (
    CoachPlan(
        SMALL_NETWORK, "coach",
        deep=("teacher", "t03", "t16", "t20"),
        light=("t02", "t07", "t10", "t11", "t18"),
        stale=("t09", "t25"),
        never=("t22",),
        teams=(("teacher", "t02", "t03"), ("t16", "t20")),
        last_year=("teacher", "t03", "t05", "t08", "t16", "t19", "t21", "t27"),
        personal=(("t10", "Their daughter just started college"),
                  ("teacher", "Runs the garden club; bring seedlings in the spring"),
                  ("t20", "First year out of a teaching residency; lives an hour away"),
                  ("t16", "Training for a marathon in March")),
        own_time=12,
    ),
    CoachPlan(
        SMALL_NETWORK, "techcoach",
        deep=("t30", "t38", "t06"),
        light=("t04", "t17", "t20", "t23", "t28", "t32", "t33"),
        stale=("t13", "t36"),
        never=("t40",),
        teams=(("t30", "t38"), ("t04", "t06")),
        last_year=("t17", "t23", "t29", "t31", "t33", "t35", "t37"),
        personal=(("t06", "Runs the robotics club"),
                  ("t33", "Builds drones at the weekend"),
                  ("t28", "Prefers email to drop-ins")),
        own_time=9,
    ),
    CoachPlan(
        SMALL_NETWORK, "mathcoach",
        deep=("t09", "t02", "teacher"),
        light=("t03", "t04", "t05", "t06", "t08"),
        stale=("t10",),
        never=("t12",),
        teams=(("t02", "t08", "t03", "t09"), ("teacher", "t04")),
        last_year=("t02", "t04", "t09", "t13"),
        personal=(("t02", "Their son plays on the same soccer team as mine"),
                  ("t09", "Worried about the new curriculum rollout"),
                  ("t05", "Retiring at the end of next year")),
        own_time=10,
    ),
    CoachPlan(
        OUTSIDER_NETWORK, "coach",
        deep=("n02", "teacher", "n03"),
        light=(),
        stale=("n04",),
        never=(),
        teams=(("n02", "n04"),),
        last_year=("n02", "n05"),
        personal=(("n02", "Their daughter just started university"),
                  ("teacher", "Runs the school choir; concert on 10 December"),
                  ("n03", "Back from maternity leave in September")),
        own_time=14,
    ),
)

_NETWORKS = {
    SMALL_NETWORK: (cast.RIVERSIDE, "riverside.example", us_semester_years),
    OUTSIDER_NETWORK: (cast.NORTHFIELD, "northfield.example", english_years),
}


def _school_days(year: Year, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weekdays in the terms of `year` from `start` up to, not including, `end`."""
    days = []
    for _name, first, last in year.terms:
        day = max(first, start)
        while day <= last and day < end:
            if day.weekday() < 5:
                days.append(day)
            day += datetime.timedelta(days=1)
    return days


class _CoachLog:
    """Collects one coach's interactions, then logs them in order of time."""

    def __init__(self, rng: random.Random, coach: Person, zone: ZoneInfo, kinds: dict):
        self.rng, self.coach, self.zone, self.kinds = rng, coach, zone, kinds
        self.entries: list[tuple[datetime.datetime, str, tuple[Person, ...], str, str]] = []

    def at(self, day: datetime.date, kind: str) -> datetime.datetime:
        rng = self.rng
        if kind in FAVOURS:  # before school, at lunch or after school
            start = rng.choice((7 * 60 + 15, 11 * 60 + 30, 15 * 60 + 10))
            minute = start + 5 * rng.randint(0, 9)
        elif kind in ("Meetings", "PD session"):
            minute = 15 * 60 + 15 + 5 * rng.randint(0, 6)
        else:
            minute = 8 * 60 + 15 + 5 * rng.randint(0, 72)
        return datetime.datetime.combine(
            day, datetime.time(minute // 60, minute % 60), tzinfo=self.zone)

    def add(self, day: datetime.date, kind: str, teachers: tuple[Person, ...] = (),
            shared_share: float = 0.6, private_share: float = 0.2) -> None:
        rng = self.rng
        shared = private = ""
        if teachers and kind in SHARED_NOTES and rng.random() < shared_share:
            shared = rng.choice(SHARED_NOTES[kind])
        if teachers and rng.random() < private_share:
            private = rng.choice(PRIVATE_NOTES)
        if not teachers and rng.random() < 0.3:
            private = rng.choice(OWN_TIME_NOTES[kind])
        self.entries.append((self.at(day, kind), kind, teachers, shared, private))

    def write(self) -> None:
        for when, kind, teachers, shared, private in sorted(self.entries, key=lambda e: e[0]):
            interaction_log(
                actor=self.coach, kind=self.kinds[kind], teachers=teachers,
                minutes=minutes_of(self.rng, kind), occurred_at=when,
                place=self.rng.choice(PLACES[kind]), shared_note=shared, private_note=private,
                idempotency_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            )


def seed_small(rng: random.Random, **_options) -> None:
    kinds = {k.name: k for k in SupportKind.objects.filter(network=None)}
    for plan in PLANS:
        _seed_coach(rng, plan, kinds)


def _seed_coach(rng: random.Random, plan: CoachPlan, kinds: dict) -> None:
    members, domain, calendar = _NETWORKS[plan.network]
    emails = {m.key: m.email or f"{email_part(m.name)}@{domain}" for m in members}
    keys = {*plan.deep, *plan.light, *plan.stale, *plan.last_year, plan.coach}
    keys |= {key for team in plan.teams for key in team}
    people = {p.email: p for p in Person.objects.filter(email__in=[emails[k] for k in keys])}
    person = {key: people[emails[key]] for key in keys}
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=plan.network)
    zone = zone_of(network)
    years = calendar()
    last, current = years[-2], years[-1]
    today = min(timezone.localdate(timezone=zone), current.ends_on + datetime.timedelta(days=1))
    days = _school_days(current, current.starts_on, today)
    if len(days) < 30:  # too early in the year to tell a story: nothing to log yet
        return
    early, later = days[:20], days[15:]
    stale_cutoff = today - datetime.timedelta(days=35)
    log = _CoachLog(rng, person[plan.coach], zone, kinds)

    for key in plan.light:
        for _ in range(rng.randint(2, 4)):
            day = rng.choice(early) if rng.random() < 0.5 else rng.choice(days)
            log.add(day, rng.choice(FAVOURS), (person[key],))
    for key in plan.stale:
        for _ in range(rng.randint(1, 2)):
            day = rng.choice([d for d in early if d < stale_cutoff] or early[:5])
            log.add(day, rng.choice(FAVOURS), (person[key],))
    for key in plan.deep:
        for _ in range(rng.randint(1, 3)):
            log.add(rng.choice(early), rng.choice(FAVOURS), (person[key],))
        _cycle(rng, log, days, person[key], rng.randint(4, 6))
    for team in plan.teams:
        stale = any(key in plan.stale for key in team)
        options = [d for d in later if not stale or d < stale_cutoff] or early
        for _ in range(rng.randint(2, 3)):
            log.add(rng.choice(options), rng.choice(TEAM_KINDS),
                    tuple(person[key] for key in team))
    for _ in range(plan.own_time):
        log.add(rng.choice(days), rng.choice(OWN_TIME))

    # The end of last year: the last two months of its final term.
    last_days = _school_days(last, last.terms[-1][2] - datetime.timedelta(days=60),
                             last.ends_on + datetime.timedelta(days=1))
    for key in plan.last_year:
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice(FAVOURS + CYCLE)
            log.add(rng.choice(last_days), kind, (person[key],))
    for _ in range(plan.own_time // 3):
        log.add(rng.choice(last_days), rng.choice(OWN_TIME))
    log.write()

    for key, text in plan.personal:
        personal_note_add(actor=person[plan.coach], teacher=person[key], text=text)


def _cycle(rng: random.Random, log: _CoachLog, days: list[datetime.date], teacher: Person,
           steps: int) -> None:
    """A coaching cycle from week four on: planning, modelling, observing, feedback…"""
    index = rng.randint(15, max(15, len(days) - 4 * steps))
    for kind in CYCLE[:steps]:
        if index >= len(days):
            return
        log.add(days[index], kind, (teacher,), shared_share=0.8)
        index += rng.randint(2, 6)
