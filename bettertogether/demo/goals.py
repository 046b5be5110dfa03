"""Demo data for goals and coaching cycles: goals set together, cycles from the built-in
templates with their stages, contacts logged into stages, class-level evidence, the
coach's private notes, reflections, growth goals and a framework with tags.

`seed_small` tells the story of `goals_story` and `goals_story_others` through the real
services (so the activity log, the coach's log and every rule are as the product leaves
them), then dates what it wrote from the story: a goal set seven weeks ago says so.

`seed_district` (in `goals_district.py`) writes the benchmark's goals and cycles in bulk.
"""

from __future__ import annotations

import datetime
import random
import re
import uuid
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone

from bettertogether.coaching.models import Interaction, SupportKind
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Organisation, Person
from bettertogether.goals import cycles as cycle_services
from bettertogether.goals import evidence, services
from bettertogether.goals.models import (
    CHECKLIST,
    Cycle,
    CycleTemplate,
    EvidenceMeasure,
    EvidencePoint,
    FrameworkItem,
    Goal,
    GrowthGoal,
    InteractionIndicator,
)
from bettertogether.goals.starter import install
from bettertogether.menu.models import SupportRequest

from . import cast
from .common import OUTSIDER_NETWORK, SMALL_NETWORK, email_part
from .goals_district import framework_create, seed_district  # noqa: F401 (the district seeder)
from .goals_story import CycleStory, GoalStory
from .goals_story_others import GOALS, GROWTH
from .goals_vocabulary import SMALL_FRAMEWORK

_NETWORKS = {
    SMALL_NETWORK: (cast.RIVERSIDE, "riverside.example", SMALL_FRAMEWORK),
    OUTSIDER_NETWORK: (cast.NORTHFIELD, "northfield.example", None),
}
_DAY = re.compile(r"\{([+-]\d+)\}")


class _Network(NamedTuple):
    org: Organisation
    zone: ZoneInfo
    today: datetime.date
    now: datetime.datetime
    people: dict[str, Person]
    items: dict[str, FrameworkItem]  # code → item of the network's framework
    kinds: dict[str, SupportKind]
    templates: dict[str, CycleTemplate]


def seed_small(rng: random.Random, **_options) -> None:
    install()  # the built-in templates, should a test have emptied the table
    kinds = {k.name: k for k in SupportKind.objects.filter(network=None)}
    templates = {t.name: t for t in CycleTemplate.objects.filter(network=None)}
    for name, (members, domain, framework) in _NETWORKS.items():
        org = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=name)
        zone = zone_of(org)
        emails = {m.key: m.email or f"{email_part(m.name)}@{domain}" for m in members}
        by_email = {p.email: p for p in Person.objects.filter(email__in=emails.values())}
        with timezone.override(zone):  # "today" is the network's today for the services
            now = timezone.now()
            net = _Network(org, zone, timezone.localdate(now), now,
                           {key: by_email[email] for key, email in emails.items()},
                           framework_create(org, framework) if framework else {}, kinds,
                           templates)
            for story in GOALS[name]:
                _goal(rng, net, story)
            for key, goals in GROWTH[name].items():
                for title, description, status, created in goals:
                    _growth(net, net.people[key], title, description, status, created)


def _key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _day(net: _Network, offset: int) -> datetime.date:
    """`offset` days from today, moved back to a Friday if it falls on a weekend."""
    day = net.today + datetime.timedelta(days=offset)
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def _at(net: _Network, offset: int, time: str = "15:45") -> datetime.datetime:
    hour, minute = (int(part) for part in time.split(":"))
    moment = datetime.datetime.combine(_day(net, offset), datetime.time(hour, minute),
                                       tzinfo=net.zone)
    return min(moment, net.now - datetime.timedelta(minutes=30))


def _dated(net: _Network, text: str) -> str:
    """`{-29}` → the date 29 days ago, as "2 Nov"."""
    return _DAY.sub(lambda m: dateformat.format(_day(net, int(m.group(1))), "j M"), text)


def _goal(rng: random.Random, net: _Network, story: GoalStory) -> None:
    coach = net.people[story.coach]
    teachers = [net.people[key] for key in story.teachers]
    request = None
    if story.request:
        request = SupportRequest.objects.get(coach=coach, teacher=teachers[0],
                                             item__title=story.request)
    checks = {name: i < story.checks for i, (name, _label) in enumerate(CHECKLIST)}
    goal = services.goal_create(
        actor=coach, teachers=teachers, indicators=[net.items[c] for c in story.indicators],
        activate=story.active and story.cycle is None, source_request=request,
        idempotency_key=_key(rng), title=story.title, student_outcome=story.outcome,
        success_criteria=story.criteria, measure=story.measure,
        baseline=_dated(net, story.baseline), target=_dated(net, story.target),
        expectations=_dated(net, story.expectations), **checks)
    created = _at(net, story.created, "16:20")
    if request is not None:
        created = max(created, request.created_at + datetime.timedelta(hours=3))
    Goal.objects.filter(pk=goal.pk).update(created_at=created, updated_at=created)
    if story.cycle is not None:
        _cycle(rng, net, goal, teachers, story.cycle)


def _cycle(rng: random.Random, net: _Network, goal: Goal, teachers: list[Person],
           story: CycleStory) -> None:
    coach = goal.coach
    cycle = cycle_services.cycle_start(
        actor=coach, goal=goal, template=net.templates[story.template],
        started_on=_day(net, story.starts), idempotency_key=_key(rng))
    cycle.indicators.set(goal.indicators.all())
    stages = list(cycle.stages.order_by("position"))
    for stage, plan in zip(stages, story.stages, strict=False):
        for contact in plan.contacts:
            logged = cycle_services.stage_log(
                actor=coach, stage=stage, idempotency_key=_key(rng),
                kind=net.kinds[contact.kind], teachers=teachers, minutes=contact.minutes,
                occurred_at=_at(net, contact.day, contact.time), place=contact.place,
                shared_note=contact.note)
            InteractionIndicator.objects.bulk_create(
                InteractionIndicator(interaction=logged, item=net.items[code])
                for code in contact.tags)
        if plan.attach:
            earlier = Interaction.objects.get(coach=coach, links__teacher=teachers[0],
                                              shared_note__startswith=plan.attach)
            cycle_services.stage_attach(actor=coach, stage=stage, interaction=earlier)
        if plan.plan or plan.happened:
            cycle_services.stage_update(actor=coach, stage=stage, plan=plan.plan,
                                        happened=plan.happened)
    for measure in story.measures:
        _measure(net, coach, cycle, measure)
    for stage, plan in zip(stages, story.stages, strict=False):
        if plan.done is not None:
            cycle_services.stage_complete(actor=coach, stage=stage,
                                          completed_on=_day(net, plan.done))
    if story.private_notes:
        cycle_services.cycle_private_notes_update(actor=coach, cycle=cycle,
                                                  private_notes=story.private_notes)
    if story.teacher_reflection:
        cycle_services.cycle_reflect(actor=teachers[0], cycle=cycle,
                                     reflection=story.teacher_reflection)
    started = _at(net, story.starts, "15:50")
    Cycle.objects.filter(pk=cycle.pk).update(created_at=started, updated_at=started)
    if story.closed is None:
        return
    cycle_services.cycle_close(actor=coach, cycle=cycle, outcome=story.outcome,
                               coach_reflection=story.coach_reflection,
                               stopped_early=story.stopped)
    closed = _at(net, story.closed, "16:05")
    Cycle.objects.filter(pk=cycle.pk).update(closed_at=closed, updated_at=closed)
    Goal.objects.filter(pk=goal.pk).update(closed_at=closed, updated_at=closed)


def _measure(net: _Network, coach: Person, cycle: Cycle, story) -> None:
    measure = evidence.measure_add(actor=coach, cycle=cycle, name=story.name, kind=story.kind,
                                   target_description=story.target, scale_max=story.scale_max)
    for point in story.points:
        recorded = evidence.point_record(
            actor=coach, measure=measure, moment=point.moment, taken_on=_day(net, point.day),
            students=point.students, meeting_target=point.meeting, mean=point.mean,
            sd=point.sd)
        EvidencePoint.objects.filter(pk=recorded.pk).update(
            created_at=_at(net, point.day + 1, "16:30"))
    EvidenceMeasure.objects.filter(pk=measure.pk).update(
        created_at=_at(net, story.points[0].day, "16:25"))


def _growth(net: _Network, teacher: Person, title: str, description: str, status: str,
            created: int) -> None:
    goal = services.growth_goal_create(actor=teacher, title=title, description=description)
    if status != GrowthGoal.Status.ACTIVE:
        services.growth_goal_update(actor=teacher, goal=goal, title=title,
                                    description=description, status=status)
    written = _at(net, created, "19:30")
    GrowthGoal.objects.filter(pk=goal.pk).update(
        created_at=written, updated_at=_at(net, min(created + 20, -1), "19:30")
        if status != GrowthGoal.Status.ACTIVE else written)
