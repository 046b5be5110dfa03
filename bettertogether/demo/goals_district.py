"""The benchmark district's goals and coaching cycles, written in bulk.

Goals are spread over the three school years and the coaches in proportion to their
caseloads (so bench-bigcoach, with 300 teachers this year, has six times the goals), set
with one teacher or a team of the same school, favouring the teachers a coach sees most,
as the coach's log does. About six in ten goals have a cycle from a built-in template:
most completed, some stopped early, and a tenth of all cycles under way as of
`DISTRICT_TODAY`, with stages done, due and overdue. Each cycle measures its class (8 to
32 students, so some fall under the leaders' minimum group of 10) once to three times:
before, at one to three checkpoints and after; to reach the dataset's number of points,
some cycles check an exit ticket every few school days instead. This year's stages hold
contacts of the coach's log with the cycle's teacher from their dates; a third of the
goals, their cycles and those contacts are tagged with the network's framework. The bench
coach and teacher have a cycle under way with an overdue stage, one completed this year,
a draft goal from a request and growth goals. Rows go in with `COPY` on PostgreSQL
(`goals_district_rows`), `bulk_create` elsewhere; each measure's growth columns are
computed from its points at the end (`goals.growth.growth_refresh_all`).
"""

from __future__ import annotations

import bisect
import datetime
import random
from zoneinfo import ZoneInfo

from bettertogether.coaching.models import InteractionTeacher
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Organisation, Person, SchoolYear
from bettertogether.goals.growth import growth_refresh_all
from bettertogether.goals.models import CycleTemplate, Framework, FrameworkItem
from bettertogether.goals.starter import install
from bettertogether.menu.models import SupportRequest

from .coaching_district import bulk_load, district_caseloads, finish_bulk_load, share_out
from .coaching_vocabulary import DISTRICT_TODAY
from .common import BENCH_PERSONAS, DISTRICT_NETWORK
from .district import DistrictScale
from .goals_district_rows import DAY, Rows
from .goals_vocabulary import (
    COACH_REFLECTIONS,
    DISTRICT_FRAMEWORK,
    FRAMEWORK,
    GROWTH_GOALS,
    IDEAS,
)
from .menu_district import school_days

IMPACT, SCC, TECH = "Impact Cycle", "Student-Centered Coaching cycle", "Tech integration cycle"
TEMPLATES = ((IMPACT, 35), (SCC, 45), (TECH, 20))
ACTIVE, STOPPED = 0.10, 0.06  # shares of all cycles; the rest are completed
OUTCOMES = {"completed": (("met", 55), ("partly_met", 32), ("not_met", 13)),
            "stopped": (("partly_met", 30), ("not_met", 70))}
# Goals without a cycle: status weights in past years and in this one.
NO_CYCLE = {"past": (("met", 30), ("partly_met", 10), ("not_met", 5), ("dropped", 40),
                     ("draft", 5), ("active", 10)),
            "now": (("draft", 45), ("active", 42), ("dropped", 6), ("met", 7))}
MEASURES = ((0, 5), (1, 45), (2, 40), (3, 10))  # measures per cycle
TEAM, TAGGED, FROM_REQUEST, LINKS_PER_STAGE = 0.12, 0.35, 0.08, 2
MONITORED_MAX = 45  # checkpoints of a measure checked at (nearly) every lesson


def _pick(rng: random.Random, weighted):
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights)[0]


def seed_district(rng: random.Random, **options) -> None:
    scale: DistrictScale = options.get("size") or DistrictScale()
    install()
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=DISTRICT_NETWORK)
    zone = zone_of(network)
    years = list(SchoolYear.objects.filter(network=network).order_by("starts_on")
                 .prefetch_related("terms"))
    days: dict[int, list[datetime.date]] = {i: [] for i in range(len(years))}
    for index, midnight in school_days(years, zone, years[0].starts_on, DISTRICT_TODAY):
        days[index].append(midnight.date())
    templates = {
        t.name: (t.pk, [(s.position, s.name, s.purpose, s.guidance, s.expected_days,
                         s.collects_evidence) for s in t.stages.order_by("position")])
        for t in CycleTemplate.objects.filter(network=None).prefetch_related("stages")}
    rows = Rows(rng, network.pk, zone, DISTRICT_TODAY, templates)
    tags = {code: item.pk for code, item in framework_create(network, DISTRICT_FRAMEWORK).items()}
    caseloads = district_caseloads(years)
    requests: dict[tuple[int, int], list] = {}
    for pk, coach, teacher, created in SupportRequest.objects.filter(
            network=network).order_by("created_at", "pk").values_list(
            "pk", "coach_id", "teacher_id", "created_at").iterator(chunk_size=10000):
        requests.setdefault((coach, teacher), []).append((created, pk))
    this_year = len(years) - 1
    people = dict(Person.objects.filter(email__in=BENCH_PERSONAS.values())
                  .values_list("email", "pk"))
    bench = (people.get(BENCH_PERSONAS["coach"]), people.get(BENCH_PERSONAS["teacher"]))
    pair = next((p for p in caseloads.get(bench[0], {}).get(this_year, ()) if p[0] == bench[1]),
                None)
    persona = pair is not None and len(days[this_year]) > 60  # 3 goals, 2 cycles of its own
    slots = _slots(rng, scale.goals - 3 * persona, caseloads, days)
    for (coach, year, teachers, school), state in zip(
            slots, _states(rng, slots, scale.cycles - 2 * persona, this_year), strict=True):
        _goal(rng, rows, tags, requests, days[year], coach, teachers, school, state,
              year == this_year)
    kept = _persona(rows, tags, requests, days[this_year], bench[0], pair) if persona else set()
    _monitor(rng, rows.plans, scale.evidence_points, kept)
    for plan in rows.plans:
        rows.points_of(plan)
    _link_stages(rows, zone, days[this_year][0] if days[this_year] else DISTRICT_TODAY)
    _growth(rng, rows, caseloads, this_year, scale.growth_goals - 2 * persona, days, bench[1])
    models = [table.model for table in rows.tables()]
    with bulk_load(models):
        for table in rows.tables():
            table.write(rng)
    finish_bulk_load(models)
    # The points went in without the evidence services: store each measure's growth.
    growth_refresh_all(measure_ids=[row[0] for row in rows.measures.rows])


def framework_create(network: Organisation, spec: tuple) -> dict[str, FrameworkItem]:
    """The network's framework (title, version, how many standards of `FRAMEWORK`): its
    standards and their indicators, by code. The small demo's too."""
    title, version, standards = spec
    framework = Framework.objects.create(network=network, title=title, version=version,
                                         publisher=network.name)
    items, position = {}, 0
    for code, statement, indicators in FRAMEWORK[:standards]:
        parent = items[code] = FrameworkItem.objects.create(
            framework=framework, level=FrameworkItem.Level.STANDARD, code=code,
            statement=statement, position=position)
        made = FrameworkItem.objects.bulk_create(
            FrameworkItem(framework=framework, parent=parent, code=child_code,
                          level=FrameworkItem.Level.INDICATOR, statement=child,
                          position=position + n)
            for n, (child_code, child) in enumerate(indicators, start=1))
        items.update({item.code: item for item in made})
        position += len(indicators) + 1
    return items


def _slots(rng: random.Random, goals: int, caseloads: dict, days: dict) -> list[tuple]:
    """(coach, year, teachers, school) of every goal: each coach-year's share in proportion
    to its caseload and to how much of the year has gone by."""
    full = max(len(d) for d in days.values()) or 1
    keys = [(coach, year) for coach in sorted(caseloads) for year in sorted(caseloads[coach])
            if days.get(year)]
    weights = [len(caseloads[c][y]) * len(days[y]) / full for c, y in keys]
    slots = []
    for (coach, year), count in zip(keys, share_out(goals, weights), strict=True):
        pairs = caseloads[coach][year]
        for _ in range(count):
            teacher, school = pairs[int(len(pairs) * rng.random() ** 1.6)]
            teachers = [teacher]
            if rng.random() < TEAM:
                colleagues = [t for t, s in pairs if s == school and t != teacher]
                teachers += rng.sample(colleagues, min(len(colleagues), rng.randint(1, 3)))
            slots.append((coach, year, teachers, school))
    return slots


def _states(rng: random.Random, slots: list, cycles: int, this_year: int) -> list:
    """Which goals have a cycle and in what state: a tenth of the cycles under way this
    year, the others completed or stopped early in any year."""
    current = [i for i, slot in enumerate(slots) if slot[1] == this_year]
    active = set(rng.sample(current, min(round(cycles * ACTIVE), len(current) // 2)))
    others = [i for i in range(len(slots)) if i not in active]
    cycled = set(rng.sample(others, min(cycles - len(active), len(others))))
    return ["active" if i in active else None if i not in cycled else
            "stopped" if rng.random() < STOPPED / (1 - ACTIVE) else "completed"
            for i in range(len(slots))]


def _start(rng: random.Random, rows: Rows, year_days: list, template: str, state: str):
    """A school day to start a cycle on: early enough to be finished by the end of the
    year (or by today), or, under way, late enough that it is not finished yet."""
    total = sum(stage[4] for stage in rows.templates[template][1])
    if state == "active":
        low = bisect.bisect_left(year_days, DISTRICT_TODAY - (total + 25) * DAY)
        high = bisect.bisect_right(year_days, DISTRICT_TODAY - 4 * DAY)
    else:
        low, high = 0, bisect.bisect_right(year_days, year_days[-1] - (total * 1.25 + 10) * DAY)
    return year_days[rng.randrange(low, high)] if low < high else None


def _request(rng: random.Random, requests: dict, coach: int, teacher: int, before):
    asked = requests.get((coach, teacher))
    if not asked or rng.random() >= FROM_REQUEST:
        return None
    found = bisect.bisect_left(asked, (before,)) - 1
    return asked[found][1] if found >= 0 and before - asked[found][0] < 60 * DAY else None


def _goal(rng: random.Random, rows: Rows, tags: dict, requests: dict, year_days: list,
          coach: int, teachers: list, school: int, state: str | None, now: bool) -> None:
    idea = rng.choice(IDEAS)
    klass = rows.klass(idea)
    tagged = [tags[c] for c in idea.indicators if c in tags] if rng.random() < TAGGED else []
    template = _pick(rng, TEMPLATES)
    started = _start(rng, rows, year_days, template, state) if state else None
    if state and started is None:
        template = TECH
        started = _start(rng, rows, year_days, template, state)
    if started is None:  # a goal without a cycle
        status = _pick(rng, NO_CYCLE["now" if now else "past"])
        day = rng.choice(year_days[-40:] if now and status == "draft" else year_days)
        created = rows.at(day, 15)
        closed = None
        if status not in ("draft", "active"):
            closed = rows.at(min(year_days[-1], day + rng.randint(20, 80) * DAY), 16)
        rows.goal(idea, coach, school, teachers, status, created, klass, closed=closed,
                  request=_request(rng, requests, coach, teachers[0], created), tags=tagged,
                  checks=rng.randint(1, 4) if status == "draft" else rng.choice((4, 5, 5)),
                  reflection=rng.choice(COACH_REFLECTIONS[status])
                  if status in COACH_REFLECTIONS else "")
        return
    outcome = _pick(rng, OUTCOMES[state]) if state != "active" else ""
    created = rows.at(max(year_days[0], started - rng.randint(2, 14) * DAY), 15)
    goal = rows.goal(idea, coach, school, teachers, outcome or "active", created, klass,
                     request=_request(rng, requests, coach, teachers[0], created),
                     tags=tagged, checks=rng.choice((4, 5, 5)))
    rows.cycle(goal, idea, coach, school, teachers, template, started, state, outcome,
               year_days[-1] + DAY, klass, tags=tagged, measures=_pick(rng, MEASURES),
               this_year=now)


def _persona(rows: Rows, tags: dict, requests: dict, year_days: list, coach: int,
             pair: tuple[int, int]) -> set[int]:
    """The bench teacher with the bench coach: a Student-Centered cycle under way with
    three stages done and the fourth overdue, an Impact Cycle completed this autumn, a
    draft goal from the teacher's latest request, and two growth goals. The cycles' ids."""
    teacher, school = pair
    tagged = [tags[c] for c in ("1.1", "3.1") if c in tags]
    cycles = set()
    for idea, template, started, state, done in (
            (IDEAS[1], SCC, DISTRICT_TODAY - 46 * DAY, "active", 3),
            (IDEAS[0], IMPACT, year_days[5], "completed", None)):
        started -= max(0, started.weekday() - 4) * DAY
        klass = rows.klass(idea)
        outcome = "met" if state == "completed" else ""
        goal = rows.goal(idea, coach, school, [teacher], outcome or "active",
                         rows.at(started - 5 * DAY), klass, tags=tagged)
        cycles.add(rows.cycle(
            goal, idea, coach, school, [teacher], template, started, state, outcome,
            DISTRICT_TODAY, klass, tags=tagged, measures=2, this_year=True, done_count=done,
            private="Likes to see the student work before we meet; send it the day before.")[0])
    asked = requests.get((coach, teacher), [])
    rows.goal(IDEAS[6], coach, school, [teacher], "draft", rows.at(DISTRICT_TODAY - 2 * DAY),
              rows.klass(IDEAS[6]), request=asked[-1][1] if asked else None, checks=2)
    for title, description in GROWTH_GOALS[:2]:
        rows.growth_goal(teacher, title, description, "active",
                         rows.at(year_days[10 + len(title) % 7], 19))
    return cycles


def _monitor(rng: random.Random, plans: list, target: int, kept: set[int]) -> None:
    """Until the evidence has about `target` points, check the measures of some of the
    longest cycles at (nearly) every lesson, exit tickets rather than one to three
    checkpoints: few cycles, so most keep the usual shape. `kept` cycles keep theirs."""
    extra = target - sum(1 + len(p.checkpoints) + (p.after is not None)
                         for p in plans if p.before is not None)
    by_cycle: dict[int, list] = {}
    for plan in plans:
        if (plan.before is not None and (plan.last - plan.before).days >= 10
                and plan.cycle not in kept):
            by_cycle.setdefault(plan.cycle, []).append(plan)
    span = {cycle: max((p.last - p.before).days for p in ps) for cycle, ps in by_cycle.items()}
    longest = sorted(by_cycle, key=lambda cycle: (-span[cycle], rng.random()))
    for cycle in longest:
        if extra <= 0:
            return
        for plan in by_cycle[cycle]:
            step, day, dense = rng.choice((1, 1, 1, 2)), plan.before, []
            while len(dense) < MONITORED_MAX:
                for _ in range(step):
                    day += DAY
                    while day.weekday() >= 5:
                        day += DAY
                if day >= plan.last:
                    break
                dense.append(day)
            extra -= len(dense) - len(plan.checkpoints)
            plan.checkpoints = dense


def _link_stages(rows: Rows, zone: ZoneInfo, year_start: datetime.date) -> None:
    """Up to two contacts of the coach's log with the cycle's teacher in each of this
    year's stages, from the days the stage ran; tagged like the cycle."""
    coaches = sorted({window[1] for window in rows.windows})
    midnight = datetime.datetime.combine(year_start, datetime.time(0), tzinfo=zone)
    log: dict[tuple[int, int], list] = {}
    for coach, teacher, occurred, interaction in InteractionTeacher.objects.filter(
            coach_id__in=coaches, occurred_at__gte=midnight).order_by(
            "occurred_at", "interaction_id").values_list(
            "coach_id", "teacher_id", "occurred_at", "interaction_id").iterator(chunk_size=20000):
        log.setdefault((coach, teacher), []).append((occurred, interaction))
    used = set()
    for stage, coach, teacher, begin, end, tag in rows.windows:
        contacts = log.get((coach, teacher), [])
        first = datetime.datetime.combine(begin, datetime.time(0), tzinfo=zone)
        last = datetime.datetime.combine(end + DAY, datetime.time(0), tzinfo=zone)
        taken = 0
        for occurred, interaction in contacts[bisect.bisect_left(contacts, (first,)):]:
            if occurred >= last or taken == LINKS_PER_STAGE:
                break
            if interaction not in used:
                used.add(interaction)
                taken += 1
                rows.stage_links.add(stage, interaction)
                if tag is not None:
                    rows.interaction_tags.add(interaction, tag)


def _growth(rng: random.Random, rows: Rows, caseloads: dict, this_year: int, total: int,
            days: dict, bench_teacher: int | None) -> None:
    """Teachers' own growth goals, most of them written this year."""
    teachers = sorted({t for by_year in caseloads.values()
                       for t, _s in by_year.get(this_year, ()) if t != bench_teacher})
    for _ in range(min(total, len(teachers) * 2) if teachers else 0):
        title, description = rng.choice(GROWTH_GOALS)
        year = this_year if rng.random() < 0.7 else rng.randrange(len(days))
        status = _pick(rng, (("active", 70), ("done", 20), ("set_aside", 10)))
        rows.growth_goal(rng.choice(teachers), title, description, status,
                         rows.at(rng.choice(days[year]), 19))
