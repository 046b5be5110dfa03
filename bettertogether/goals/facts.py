"""What the caseload, the timeline, the teacher page and the menu's funnel learn from goals
and cycles.

Each function answers for a whole caseload (or timeline, or menu) in a fixed number of
queries. Events and labels carry titles and stage names only, never what anyone wrote.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from bettertogether.coaching.facts import TeacherSection, TimelineEvent

from . import selectors
from .models import (
    Cycle,
    CycleStage,
    CycleStatus,
    EvidencePoint,
    Goal,
    GoalStatus,
)

LIVE_GOALS = (GoalStatus.DRAFT, GoalStatus.ACTIVE)


def goal_facts(*, coach_id: int, teacher_ids: list[int]) -> dict[int, dict]:
    """Per teacher: a goal or cycle together, student evidence, and the work under way.

    Two queries: goals per teacher, and cycles per teacher (with evidence and the earliest
    open stage due date). Each counts rows of a teacher link table, one row per goal or
    cycle, and reaches a cycle's stages and evidence through subqueries only: a join to
    the stages would repeat each cycle once per stage and multiply every count by it.
    """
    facts: dict[int, dict] = {}
    goals = (Goal.teachers.through.objects
             .filter(goal__coach_id=coach_id, person_id__in=teacher_ids)
             .exclude(goal__status=GoalStatus.DROPPED)
             .values("person_id")
             .annotate(live=Count("goal_id", filter=Q(goal__status__in=LIVE_GOALS)))
             .order_by())
    for row in goals:
        facts[row["person_id"]] = {"has_goal_or_cycle": True, "live_goals": row["live"]}
    with_evidence = EvidencePoint.objects.filter(measure__cycle_id=OuterRef("cycle_id"))
    first_open_due = (CycleStage.objects
                      .filter(cycle_id=OuterRef("cycle_id"), completed_on__isnull=True)
                      .order_by("due_on").values("due_on")[:1])
    active = Q(cycle__status=CycleStatus.ACTIVE)
    cycles = (Cycle.teachers.through.objects
              .filter(cycle__coach_id=coach_id, person_id__in=teacher_ids)
              .values("person_id")
              .annotate(
                  evidence=Count("cycle_id", filter=Q(Exists(with_evidence))),
                  active=Count("cycle_id", filter=active),
                  next_due=Min(Subquery(first_open_due), filter=active))
              .order_by())
    for row in cycles:
        entry = facts.setdefault(row["person_id"], {})
        entry["has_goal_or_cycle"] = True
        entry["has_evidence"] = row["evidence"] > 0
        entry["active_cycles"] = row["active"]
        entry["next_stage_due"] = row["next_due"]
    return facts


def timeline_events(*, coach_id: int | None, teacher_id: int, limit: int) -> list[TimelineEvent]:
    """Goals set and cycles started between a coach (None: every coach) and a teacher."""
    goals = Goal.objects.filter(teachers__id=teacher_id)
    cycles = Cycle.objects.filter(teachers__id=teacher_id)
    if coach_id is not None:
        goals = goals.filter(coach_id=coach_id)
        cycles = cycles.filter(coach_id=coach_id)
    goal_statuses = dict(GoalStatus.choices)
    cycle_statuses = dict(CycleStatus.choices)
    events = [
        TimelineEvent(occurred_at=created, title=_("Goal: %(title)s") % {"title": title},
                      status=str(goal_statuses[status]), url=reverse("goals:goal", args=[pk]))
        for pk, created, title, status in goals.order_by("-created_at", "-id")
        .values_list("pk", "created_at", "title", "status")[:limit]
    ]
    events += [
        TimelineEvent(occurred_at=created, title=_("Cycle: %(title)s") % {"title": title},
                      status=str(cycle_statuses[status]), url=reverse("goals:cycle", args=[pk]))
        for pk, created, title, status in cycles.order_by("-created_at", "-id")
        .values_list("pk", "created_at", "title", "status")[:limit]
    ]
    return events


def funnel_counts(*, coach_id: int, item_ids: list[int]) -> dict[int, int]:
    """Per menu item, the coach's requests that led to a goal (and so maybe a cycle)."""
    rows = (Goal.objects.filter(coach_id=coach_id, source_request__item_id__in=item_ids)
            .values("source_request__item_id")
            .annotate(n=Count("source_request_id", distinct=True))
            .order_by())
    return {row["source_request__item_id"]: row["n"] for row in rows}


def open_stages_due(*, coach_id: int, before: datetime.date, limit: int = 5) -> list:
    """The coach's open stages of active cycles due before a day, the most overdue first."""
    return list(CycleStage.objects.filter(
        cycle__coach_id=coach_id, cycle__status=CycleStatus.ACTIVE,
        completed_on__isnull=True, due_on__lt=before)
        .select_related("cycle").only("id", "name", "due_on", "cycle__id", "cycle__title")
        .order_by("due_on", "id")[:limit])


def growth_goals_section(*, actor, teacher) -> TeacherSection | None:
    """The teacher's growth goals on the teacher page, for their coaches: the selector
    gives anyone else none, and a page without rows draws no section."""
    rows = list(selectors.growth_goals_of(actor=actor, teacher=teacher))
    if not rows:
        return None
    return TeacherSection(template="goals/_growth_goals_section.html", rows=rows)
