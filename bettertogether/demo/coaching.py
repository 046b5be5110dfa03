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

import bisect
import datetime
import random
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from bettertogether.coaching.models import (
    Interaction,
    InteractionTeacher,
    PersonalNote,
    Place,
    SupportKind,
)
from bettertogether.coaching.services import interaction_log, personal_note_add
from bettertogether.directory.models import (
    CaseloadAssignment,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
)

from . import cast
from .common import (
    DISTRICT_NETWORK,
    OUTSIDER_NETWORK,
    SMALL_NETWORK,
    Year,
    email_part,
    english_years,
    us_semester_years,
)
from .district import DistrictScale

# The district dataset is written as of this day (exclusive), whatever day it is built on.
DISTRICT_TODAY = datetime.date(2026, 11, 24)

FAVOURS = ("Tech help", "Copies and materials", "Check-in")
CYCLE = ("Co-planning", "Modelling a lesson", "Co-planning", "Observation",
         "Feedback conversation", "Data dive", "Co-teaching", "Check-in")
TEAM_KINDS = ("Co-planning", "Data dive", "PD session")
OWN_TIME = ("Planning", "Meetings", "Duties", "Own learning")

# Minutes by kind: (shortest, longest), in steps of five.
MINUTES = {
    "Tech help": (5, 20), "Copies and materials": (5, 15), "Check-in": (5, 20),
    "Co-planning": (30, 60), "Modelling a lesson": (40, 60), "Co-teaching": (40, 60),
    "Observation": (20, 50), "Feedback conversation": (20, 45), "Data dive": (30, 60),
    "PD session": (45, 90), "Planning": (20, 60), "Meetings": (30, 60), "Duties": (15, 45),
    "Own learning": (30, 90),
}

PLACES = {
    "Tech help": (Place.CLASSROOM, Place.CLASSROOM, Place.EMAIL),
    "Copies and materials": (Place.OFFICE,),
    "Check-in": (Place.HALLWAY, Place.CLASSROOM, Place.EMAIL),
    "Co-planning": (Place.CLASSROOM, Place.MEETING, Place.VIRTUAL),
    "Modelling a lesson": (Place.CLASSROOM,),
    "Co-teaching": (Place.CLASSROOM,),
    "Observation": (Place.CLASSROOM,),
    "Feedback conversation": (Place.CLASSROOM, Place.OFFICE),
    "Data dive": (Place.MEETING, Place.OFFICE),
    "PD session": (Place.MEETING,),
    "Planning": (Place.OFFICE,),
    "Meetings": (Place.MEETING, Place.VIRTUAL),
    "Duties": (Place.HALLWAY, Place.OTHER),
    "Own learning": (Place.VIRTUAL, Place.OTHER, Place.OFFICE),
}

SHARED_NOTES = {
    "Tech help": (
        "Set up the document camera for the science fair",
        "Fixed the projector connection and saved the settings",
        "Reset the classroom printer queue",
        "Showed how to share the slides with students in the learning platform",
        "Got the new interactive display talking to the laptop",
        "Set up breakout groups for the video call with families",
    ),
    "Copies and materials": (
        "Copied the reading packets for next week",
        "Laminated the number lines for small groups",
        "Printed and cut the vocabulary cards",
        "Formatted the unit test so it fits on two pages",
        "Pulled the levelled readers for the new group",
    ),
    "Check-in": (
        "Quick chat about how the new seating plan is going",
        "Asked how the first week of centres went",
        "Caught up after the field trip",
        "Talked through the parent email before it went out",
        "Checked how the new routine for transitions is landing",
    ),
    "Co-planning": (
        "Planned the launch of the persuasive writing unit",
        "Mapped out small groups for next week from the exit tickets",
        "Planned a number talk to open each math lesson",
        "Built the lab stations together; roles card for each group",
        "Sketched the success criteria for the research project",
    ),
    "Modelling a lesson": (
        "Modelled a think-aloud with the mentor text",
        "Modelled the turn-and-talk routine with the whole class",
        "Modelled a guided reading group while you watched the timing",
        "Modelled the warm-up with mini whiteboards",
    ),
    "Co-teaching": (
        "Co-taught the stations lesson; you led, I took the small group",
        "Team-taught the lab; the exit ticket went well",
    ),
    "Observation": (
        "Visited for the first 20 minutes; focused on student talk as agreed",
        "Tallied questions asked and who answered them",
        "Watched the small-group rotation; notes on timing to share",
        "Scripted the launch of the lesson for our conversation",
    ),
    "Feedback conversation": (
        "Looked at the student talk tally together; next step: more wait time",
        "Agreed to try cold-calling with whiteboards next week",
        "Reviewed the exit tickets: 18 of 24 met the target",
        "Celebrated the transitions: down to under two minutes",
    ),
    "Data dive": (
        "Sorted the reading assessment into groups for intervention",
        "Looked at the unit test item by item; fractions need reteaching",
        "Compared the fall benchmark with last spring's results",
    ),
    "PD session": (
        "Ran the session on checking for understanding",
        "Led the workshop on small-group instruction",
        "Shared strategies for academic vocabulary",
    ),
}

PRIVATE_NOTES = (
    "Seemed overwhelmed — check in after conferences",
    "Mentioned a difficult class this year; go gently",
    "Ready for a coaching cycle? Ask after the break",
    "Nervous about the observation from the principal",
    "Wants ideas but not in front of the team",
    "Much more relaxed than last month",
    "Brought up the workload again — offer help with grading",
    "Asked for resources on behaviour; follow up",
)

OWN_TIME_NOTES = {
    "Planning": ("Prep for Thursday's PD", "Updated the coaching menu",
                 "Planned the next round of learning walks"),
    "Meetings": ("Coaches' team meeting at the district office",
                 "Leadership team: shared this month's coaching totals"),
    "Duties": ("Lunch duty", "Covered a class for an hour", "Bus duty"),
    "Own learning": ("Read two chapters of the coaching book club text",
                     "Webinar on student-centered coaching"),
}


def _minutes(rng: random.Random, kind: str) -> int:
    low, high = MINUTES[kind]
    return low + 5 * rng.randint(0, (high - low) // 5)


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
                minutes=_minutes(self.rng, kind), occurred_at=when,
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
    zone = ZoneInfo(network.time_zone)
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


# --- The district: two million rows in bulk --------------------------------------------

DISTRICT_OWN_TIME = 0.10  # share of the coach's own time
DISTRICT_GROUPS = 0.15  # share of contacts with 2-4 teachers
DISTRICT_SHARED = 0.30
DISTRICT_PRIVATE = 0.10
CHUNK_COACHES = 20

DISTRICT_KIND_WEIGHTS = {
    "Tech help": 15, "Copies and materials": 10, "Check-in": 20, "Co-planning": 12,
    "Modelling a lesson": 6, "Co-teaching": 6, "Observation": 10,
    "Feedback conversation": 10, "Data dive": 6, "PD session": 5,
}
DISTRICT_OWN_WEIGHTS = {"Planning": 4, "Meetings": 3, "Duties": 2, "Own learning": 1}

PERSONAL_NOTES = (
    "Their daughter just started college",
    "Runs the robotics club",
    "Coaches the girls' soccer team",
    "New baby in the spring",
    "Prefers email to drop-ins",
    "Training for a half marathon",
    "Moved here from Texas this summer",
    "Plays bass in a band on weekends",
    "Caring for a parent; keep meetings short",
    "Wants to become an instructional coach",
    "Loves graphic novels; lend them the new one",
    "Worried about the new curriculum rollout",
)

_INTERACTION_COLUMNS = (
    "id", "coach_id", "network_id", "school_id", "kind_id", "minutes", "occurred_at",
    "place", "shared_note", "private_note", "idempotency_key", "created_at", "updated_at",
)
_LINK_COLUMNS = ("id", "interaction_id", "teacher_id", "coach_id", "occurred_at")


def seed_district(rng: random.Random, **options) -> None:
    scale: DistrictScale = options.get("size") or DistrictScale()
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=DISTRICT_NETWORK)
    years = list(SchoolYear.objects.filter(network=network).order_by("starts_on")
                 .prefetch_related("terms"))
    days = _district_days(years, ZoneInfo(network.time_zone))
    coach_ids = list(
        Membership.objects.filter(network=network, role=Role.COACH)
        .values_list("person_id", flat=True).distinct().order_by("person_id")
    )
    caseloads = _district_caseloads(years)
    kinds = {k.name: k.pk for k in SupportKind.objects.filter(network=None)}

    weights = [rng.lognormvariate(0, 0.35) for _ in coach_ids]
    counts = _share(scale.interactions, weights)
    with _bulk_load([Interaction, InteractionTeacher]):
        next_id = _next_id(Interaction)
        next_link = _next_id(InteractionTeacher)
        for start in range(0, len(coach_ids), CHUNK_COACHES):
            rows, links = [], []
            for coach_id, count in zip(coach_ids[start:start + CHUNK_COACHES],
                                       counts[start:start + CHUNK_COACHES], strict=True):
                made, made_links = _coach_rows(
                    rng, coach_id, network.pk, count, days, caseloads.get(coach_id, {}),
                    kinds, next_id, next_link)
                next_id += len(made)
                next_link += len(made_links)
                rows += made
                links += made_links
            _write(Interaction, _INTERACTION_COLUMNS, rows)
            _write(InteractionTeacher, _LINK_COLUMNS, links)
    _personal_notes(rng, caseloads, scale.personal_notes, years)
    _finish([Interaction, InteractionTeacher, PersonalNote])


def _share(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _district_days(years: list[SchoolYear], zone: ZoneInfo) -> list[tuple[int, datetime.datetime]]:
    """(year index, local midnight in UTC) of every school day before `DISTRICT_TODAY`."""
    days = []
    for index, year in enumerate(years):
        for term in sorted(year.terms.all(), key=lambda t: t.starts_on):
            day = term.starts_on
            while day <= term.ends_on and day < DISTRICT_TODAY:
                if day.weekday() < 5:
                    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
                    days.append((index, midnight.astimezone(datetime.UTC)))
                day += datetime.timedelta(days=1)
    return days


def _district_caseloads(years: list[SchoolYear]) -> dict[int, dict[int, list[tuple[int, int]]]]:
    """coach → year index → [(teacher, school)] in the order they were assigned."""
    index = {year.pk: i for i, year in enumerate(years)}
    caseloads: dict[int, dict[int, list[tuple[int, int]]]] = {}
    rows = CaseloadAssignment.objects.filter(school_year__in=years).order_by("pk").values_list(
        "coach_id", "school_year_id", "teacher_id", "school_id")
    for coach_id, year_id, teacher_id, school_id in rows.iterator(chunk_size=10000):
        caseloads.setdefault(coach_id, {}).setdefault(index[year_id], []).append(
            (teacher_id, school_id))
    return caseloads


def _coach_rows(rng: random.Random, coach_id: int, network_id: int, count: int,
                days: list, caseload: dict[int, list[tuple[int, int]]], kinds: dict[str, int],
                first_id: int, first_link: int) -> tuple[list[tuple], list[tuple]]:
    """`count` interactions of one coach in order of time, and their links to teachers."""
    random_ = rng.random
    contact_names = list(DISTRICT_KIND_WEIGHTS)
    contact_cum = _cumulative(DISTRICT_KIND_WEIGHTS.values())
    own_names = list(DISTRICT_OWN_WEIGHTS)
    own_cum = _cumulative(DISTRICT_OWN_WEIGHTS.values())
    by_school = {
        year: _group_by_school(pairs) for year, pairs in caseload.items()
    }
    n_days = len(days)
    drafts = []
    for _ in range(count):
        year, midnight = days[int(random_() * n_days)]
        pairs = caseload.get(year)
        minute = 7 * 60 + 5 * int(random_() * 114)  # 07:00 to 16:25, local time
        occurred = midnight + datetime.timedelta(minutes=minute)
        if not pairs or random_() < DISTRICT_OWN_TIME:
            kind = own_names[bisect.bisect(own_cum, random_() * own_cum[-1])]
            teachers: tuple[int, ...] = ()
            school_id = None
        else:
            kind = contact_names[bisect.bisect(contact_cum, random_() * contact_cum[-1])]
            # Some teachers of a caseload see their coach far more often than others.
            teacher_id, school_id = pairs[int(len(pairs) * random_() ** 1.6)]
            teachers = (teacher_id,)
            if random_() < DISTRICT_GROUPS:
                colleagues = by_school[year][school_id]
                if len(colleagues) > 1:
                    size = min(len(colleagues), 2 + int(random_() * 3))
                    others = [t for t in rng.sample(colleagues, size) if t != teacher_id]
                    teachers = (teacher_id, *others[: size - 1])
        low, high = MINUTES[kind]
        minutes = low + 5 * int(random_() * ((high - low) // 5 + 1))
        places = PLACES[kind]
        place = places[int(random_() * len(places))]
        shared = ""
        if teachers and random_() < DISTRICT_SHARED:
            notes = SHARED_NOTES[kind]
            shared = notes[int(random_() * len(notes))]
        private = ""
        if random_() < DISTRICT_PRIVATE:
            notes = PRIVATE_NOTES if teachers else OWN_TIME_NOTES[kind]
            private = notes[int(random_() * len(notes))]
        key = uuid.UUID(int=rng.getrandbits(128), version=4)
        drafts.append((occurred, kinds[kind], minutes, place, shared, private, key,
                       school_id, teachers))
    drafts.sort(key=lambda d: d[0])
    rows, links = [], []
    link_id = first_link
    for offset, (occurred, kind_id, minutes, place, shared, private, key, school_id,
                 teachers) in enumerate(drafts):
        pk = first_id + offset
        logged = occurred + datetime.timedelta(minutes=minutes)
        rows.append((pk, coach_id, network_id, school_id, kind_id, minutes, occurred, place,
                     shared, private, key, logged, logged))
        for teacher_id in teachers:
            links.append((link_id, pk, teacher_id, coach_id, occurred))
            link_id += 1
    return rows, links


def _cumulative(weights: Iterable[int]) -> list[int]:
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _group_by_school(pairs: list[tuple[int, int]]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for teacher_id, school_id in pairs:
        groups.setdefault(school_id, []).append(teacher_id)
    return groups


def _personal_notes(rng: random.Random, caseloads: dict, total: int,
                    years: list[SchoolYear]) -> None:
    """`total` personal notes about teachers of the coaches' caseloads."""
    pairs = sorted({(coach_id, teacher_id)
                    for coach_id, by_year in caseloads.items()
                    for year_pairs in by_year.values()
                    for teacher_id, _school in year_pairs})
    if not pairs or not years:
        return
    start = datetime.datetime.combine(years[0].starts_on, datetime.time(15),
                                      tzinfo=datetime.UTC)
    span = (datetime.datetime.combine(DISTRICT_TODAY, datetime.time(0), tzinfo=datetime.UTC)
            - start).total_seconds()
    notes = (
        PersonalNote(coach_id=coach_id, teacher_id=teacher_id,
                     text=rng.choice(PERSONAL_NOTES),
                     created_at=start + datetime.timedelta(seconds=int(rng.random() * span)))
        for coach_id, teacher_id in (rng.choice(pairs) for _ in range(total))
    )
    PersonalNote.objects.bulk_create(notes, batch_size=5000)


# --- Writing in bulk ---------------------------------------------------------------------


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _write(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        statement = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in columns))
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    objects = (model(**dict(zip(columns, row, strict=True))) for row in rows)
    model.objects.bulk_create(objects, batch_size=2000)


@contextmanager
def _bulk_load(models: list) -> Iterator[None]:
    """On PostgreSQL, load without the tables' secondary indexes and constraints, then
    rebuild them once: far faster than updating them (and checking every foreign key)
    row by row. Elsewhere, nothing to do."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        # Run the foreign-key checks still pending from the earlier seeders now: a table
        # with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        constraints, indexes = [], []
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') "
                "ORDER BY contype DESC, conname", [table])
            constraints += [(table, name, definition) for name, definition, _t in cursor]
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint c WHERE c.conindid = pg_index.indexrelid"
                ") ORDER BY 1", [table])
            indexes += list(cursor)
        quote = connection.ops.quote_name
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _finish(models: list) -> None:
    """Move the id sequences past the ids written by hand; fresh planner statistics."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            cursor.execute(f"ANALYZE {tables}")
