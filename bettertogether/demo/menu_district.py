"""The benchmark district's coaching menus, requests and sessions, written in bulk.

Each coach offers six items of their own and the network's three. Most sessions are ones
that happened, drawn from the coach's log already written (`coaching_district`): each is
linked to the interaction it was logged as, with its teachers and time; a session with one
teacher came from that teacher's request (done), one with a team the coach scheduled. Then
what is going on as of `DISTRICT_TODAY`: sessions held but not logged yet, sessions to come
(a few hundred a week soon, team sessions through the end of the school year), open
requests, and declined, withdrawn and cancelled ones over the three years. The bench
personas each get a calendar feed (`BENCH_CALENDAR_TOKENS`). Rows go in with `COPY` on
PostgreSQL (`menu_district_rows`), `bulk_create` elsewhere.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db.models import Max, Min

from bettertogether.accounts.models import token_digest
from bettertogether.coaching.models import Interaction, InteractionTeacher, SupportKind
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Membership, Organisation, Person, Role, SchoolYear
from bettertogether.menu.models import CalendarFeed, CoachingSession, MenuItem, SupportRequest

from .coaching_district import district_caseloads, finish_bulk_load
from .coaching_vocabulary import DISTRICT_TODAY
from .common import BENCH_CALENDAR_TOKENS, BENCH_PERSONAS, DISTRICT_NETWORK
from .district import DistrictScale
from .menu_district_rows import Item, Rows
from .menu_vocabulary import US_ITEMS, US_NETWORK_ITEMS

OWN_ITEMS = 6
# Shares of all sessions: held but not logged yet, to come within three weeks (from
# requests), team sessions to come through the end of the year, cancelled. The rest were
# held and logged.
UNLOGGED, SOON, LATER, CANCELLED = 0.01, 0.025, 0.055, 0.04
# Shares of all requests still open: waiting for the coach; a time proposed.
PENDING, PROPOSED = 0.01, 0.007
# About this share of the coach's log can be a logged session (a contact with one teacher
# of a kind on the coach's menu, or with a team): sample enough to find the sessions.
ELIGIBLE = 0.3
TEAMS = 0.12  # of the logged sessions, at most this share are with a team
CHUNK = 5000


def seed_district(rng: random.Random, **options) -> None:
    scale: DistrictScale = options.get("size") or DistrictScale()
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=DISTRICT_NETWORK)
    zone = zone_of(network)
    years = list(SchoolYear.objects.filter(network=network).order_by("starts_on")
                 .prefetch_related("terms"))
    this_year = len(years) - 1
    kinds = {k.name: k.pk for k in SupportKind.objects.filter(network=None)}
    coach_ids = list(Membership.objects.filter(network=network, role=Role.COACH)
                     .values_list("person_id", flat=True).distinct().order_by("person_id"))
    caseloads = district_caseloads(years)
    pairs = {y: [(c, t, s) for c in sorted(caseloads) for t, s in caseloads[c].get(y, [])]
             for y in range(len(years))}
    current = pairs[this_year]
    now = datetime.datetime.combine(DISTRICT_TODAY, datetime.time(0), tzinfo=zone)
    past = school_days(years, zone, years[0].starts_on, DISTRICT_TODAY)
    future = school_days(years, zone, DISTRICT_TODAY, years[-1].ends_on + datetime.timedelta(1))
    people = dict(Person.objects.filter(email__in=BENCH_PERSONAS.values())
                  .values_list("email", "pk"))
    bench = (people.get(BENCH_PERSONAS["coach"]), people.get(BENCH_PERSONAS["teacher"]))
    rows = Rows(rng, network.pk, kinds, _menus(rng, network, coach_ids, kinds), now)

    unlogged, soon = round(scale.sessions * UNLOGGED), round(scale.sessions * SOON)
    later, cancelled = round(scale.sessions * LATER), round(scale.sessions * CANCELLED)
    boosts = {c: len(caseloads[c].get(this_year, ())) / scale.caseload for c in caseloads
              if len(caseloads[c].get(this_year, ())) > 1.5 * scale.caseload}
    held = scale.sessions - unlogged - soon - later - cancelled
    for row in _from_the_log(rng, rows, network.pk, held, boosts, past, bench):
        rows.logged(row)
    if current and past and future:
        team = {}
        for coach, teacher, school in current:
            team.setdefault((coach, school), []).append(teacher)
        for _ in range(unlogged):
            rows.ahead(rng.choice(current), rng.choice(past[-8:])[1])
        for _ in range(soon):
            rows.ahead(rng.choice(current), _soon(rng, future, 15))
        for _ in range(later):
            pair = rng.choice(current)
            rows.team(pair, team[pair[0], pair[2]], rng.choice(future)[1])
        for _ in range(round(scale.requests * PENDING)):
            rows.open(rng.choice(current), rng.choice(past[-10:])[1])
        for _ in range(round(scale.requests * PROPOSED)):
            rows.open(rng.choice(current), rng.choice(past[-10:])[1], _soon(rng, future, 10))
        persona = next((p for p in current if p[:2] == bench), None)
        if persona is not None and len(past) >= 20:
            rows.persona(persona, past, future)
    for _ in range(cancelled if past and future else 0):
        year, midnight = rng.choice(past) if rng.random() < 0.9 else rng.choice(future)
        if pairs[year]:
            rows.cancelled(rng.choice(pairs[year]), midnight)
    for _ in range(max(0, scale.requests - len(rows.requests)) if past else 0):
        year, midnight = rng.choice(past)
        if pairs[year]:
            rows.closed(rng.choice(pairs[year]), midnight)
    rows.write()
    finish_bulk_load([SupportRequest, CoachingSession, CoachingSession.attendees.through])
    CalendarFeed.objects.bulk_create(
        CalendarFeed(person_id=people[BENCH_PERSONAS[persona]], token_digest=token_digest(token),
                     created_at=now - datetime.timedelta(days=30))
        for persona, token in BENCH_CALENDAR_TOKENS.items() if BENCH_PERSONAS[persona] in people)


def _soon(rng: random.Random, future: list, within: int) -> datetime.datetime:
    """One of the next `within` school days, the nearest the likeliest."""
    return future[min(int(rng.triangular(0, within, 0)), len(future) - 1)][1]


def _menus(rng: random.Random, network: Organisation, coach_ids: list[int],
           kinds: dict[str, int]) -> dict[int, tuple[list[Item], dict[str, Item]]]:
    """Six items of each coach's own and the network's three. For each coach: what they
    offer (their own items three times, to choose from), and the item of each kind."""
    created = datetime.datetime(2024, 8, 12, 14, tzinfo=datetime.UTC)
    offers = {**US_ITEMS, **US_NETWORK_ITEMS}
    plan = [(None, title) for title in US_NETWORK_ITEMS]
    plan += [(coach_id, title) for coach_id in coach_ids
             for title in rng.sample(sorted(US_ITEMS), OWN_ITEMS)]
    made = MenuItem.objects.bulk_create(
        (MenuItem(network=network, coach_id=coach_id, title=title,
                  kind_id=kinds[offers[title].kind], typical_minutes=offers[title].minutes,
                  description=offers[title].description, outcome=offers[title].outcome,
                  created_at=created, updated_at=created)
         for coach_id, title in plan), batch_size=2000)
    entries = [(item.coach_id, (item.pk, offers[item.title].kind, item.title,
                                item.typical_minutes)) for item in made]
    shared = [entry for coach_id, entry in entries if coach_id is None]
    own: dict[int, list[Item]] = {coach_id: [] for coach_id in coach_ids}
    for coach_id, entry in entries:
        if coach_id is not None:
            own[coach_id].append(entry)
    menus = {}
    for coach_id, items in own.items():
        by_kind = {entry[1]: entry for entry in shared}
        by_kind.update({entry[1]: entry for entry in reversed(items)})  # own ones first
        menus[coach_id] = (items * 3 + shared, by_kind)
    return menus


def school_days(years: list[SchoolYear], zone: ZoneInfo, start: datetime.date,
          end: datetime.date) -> list[tuple[int, datetime.datetime]]:
    """(year index, local midnight) of every school day from `start` up to `end`."""
    days = []
    for index, year in enumerate(years):
        for term in sorted(year.terms.all(), key=lambda t: t.starts_on):
            day = max(term.starts_on, start)
            while day <= term.ends_on and day < end:
                if day.weekday() < 5:
                    days.append((index, datetime.datetime.combine(day, datetime.time(0),
                                                                  tzinfo=zone)))
                day += datetime.timedelta(days=1)
    return days


def _from_the_log(rng: random.Random, rows: Rows, network_id: int, want: int,
                  boosts: dict[int, float], past: list, bench: tuple) -> list[tuple]:
    """About `want` interactions of the coach's log that are logged sessions, in order of
    id, each with its teachers: an even share of every coach's log, more of a coach whose
    caseload this year is bigger, and a few of the bench coach's with the bench teacher."""
    log = Interaction.objects.filter(network_id=network_id)
    lo, hi = log.aggregate(lo=Min("id"), hi=Max("id")).values()
    if lo is None or want <= 0:
        return []
    rate = min(1.0, want / ((hi - lo + 1) * ELIGIBLE))
    ids = set(rng.sample(range(lo, hi + 1), int((hi - lo + 1) * rate)))
    year_start = next((midnight for year, midnight in past if year == past[-1][0]), None)
    for coach_id, boost in sorted(boosts.items()) if year_start is not None else ():
        first, last = log.filter(coach_id=coach_id, occurred_at__gte=year_start).aggregate(
            lo=Min("id"), hi=Max("id")).values()
        if first is not None:
            share = min(1.0, rate * (boost - 1))
            ids.update(rng.sample(range(first, last + 1), int((last - first + 1) * share)))
    forced = set()
    if all(bench):
        pair = sorted(InteractionTeacher.objects.filter(coach_id=bench[0], teacher_id=bench[1])
                      .values_list("interaction_id", flat=True))
        forced = set(rng.sample(pair, min(12, len(pair))))
    ordered = sorted(ids | forced)
    found, teachers = [], {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        found += log.filter(id__in=chunk, school__isnull=False).order_by("id").values_list(
            "id", "coach_id", "school_id", "kind__name", "minutes", "occurred_at", "place")
        links = (InteractionTeacher.objects.filter(interaction_id__in=chunk)
                 .order_by("interaction_id", "teacher_id")
                 .values_list("interaction_id", "teacher_id"))
        for interaction_id, teacher_id in links:
            teachers.setdefault(interaction_id, []).append(teacher_id)
    found = [row for row in ((*r, tuple(teachers.get(r[0], ()))) for r in found)
             if rows.eligible(row)]
    kept = [row for row in found if row[0] in forced]
    teams = [row for row in found if row[0] not in forced and len(row[-1]) > 1]
    singles = [row for row in found if row[0] not in forced and len(row[-1]) == 1]
    if len(kept) + len(teams) + len(singles) > want:
        # Most sessions come from a teacher's request; the coach schedules some for teams.
        teams = rng.sample(teams, min(len(teams), round(want * TEAMS)))
        singles = rng.sample(singles, min(len(singles), max(0, want - len(kept) - len(teams))))
    return sorted(kept + teams + singles)
