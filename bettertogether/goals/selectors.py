"""Reads of goals and cycles, always scoped to the acting person.

- A goal or cycle is read by its coach and its teachers; anyone else gets 404.
- A cycle's `private_notes` are read by its coach only: selectors for anyone else defer the
  column, and pages for anyone else never receive it.
- Growth goals are read by their teacher and by the teacher's coaches (caseload this year).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.directory.scope import scope_for

from .models import (
    ConversationResource,
    Cycle,
    CycleStage,
    CycleStatus,
    CycleTemplate,
    Goal,
    GoalStatus,
    GrowthGoal,
    StageInteraction,
)
from .rules import growth_goal_owner_q, is_its_coach, library_q, pair_ids, pair_q

PEOPLE = Person.objects.only("id", "full_name").order_by("full_name", "pk")


def _mine(actor, model=Goal) -> Q:
    """For lists: the rows of `rules.pair_q`, by id (`rules.pair_ids`)."""
    return Q(pk__in=pair_ids(actor, model))


def goals_for(*, actor, status: str = "open") -> QuerySet[Goal]:
    """The actor's goals as coach or teacher: open ones (draft, active) or closed ones."""
    found = Goal.objects.filter(_mine(actor))
    if status == "open":
        found = found.filter(status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
    else:
        found = found.exclude(status__in=[GoalStatus.DRAFT, GoalStatus.ACTIVE])
    return (found.select_related("coach", "school")
            .prefetch_related(Prefetch("teachers", queryset=PEOPLE))
            .annotate(cycle_count=Count("cycles", distinct=True))
            .only("id", "title", "status", "created_at", "closed_at", "coach__full_name",
                  "school__name", "coach_id", "school_id")
            .order_by("-created_at", "-id"))


def goal_get_for(*, actor, pk: int) -> Goal:
    try:
        return (Goal.objects.filter(pair_q(actor, Goal))
                .select_related("coach", "school__network", "source_request__item")
                .prefetch_related(Prefetch("teachers", queryset=PEOPLE),
                                  "indicators__framework")
                .get(pk=pk))
    except (Goal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such goal") from exc


def cycles_for(*, actor, active: bool = True) -> QuerySet[Cycle]:
    found = Cycle.objects.filter(_mine(actor, Cycle))
    found = found.filter(status=CycleStatus.ACTIVE) if active else found.exclude(
        status=CycleStatus.ACTIVE)
    return (found.select_related("coach", "template", "school")
            .prefetch_related(Prefetch("teachers", queryset=PEOPLE))
            .defer("private_notes", "coach_reflection", "teacher_reflection")
            .order_by("-started_on", "-id"))


def cycle_get_for(*, actor, pk: int) -> Cycle:
    """A cycle for its coach and teachers; private notes are loaded for the coach only."""
    found = (Cycle.objects.filter(pair_q(actor, Cycle))
             .select_related("coach", "school__network", "template", "goal")
             .prefetch_related(Prefetch("teachers", queryset=PEOPLE), "indicators__framework"))
    try:
        cycle = found.get(pk=pk)
    except (Cycle.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such cycle") from exc
    if not is_its_coach.test(actor, cycle):
        # Never handed to a page drawn for anyone else. Writes re-fetch the cycle or save
        # with update_fields, so this blank never reaches the database: keep it that way.
        cycle.private_notes = ""
    return cycle


@dataclass(frozen=True)
class StageRow:
    stage: CycleStage
    interactions: list
    is_overdue: bool
    is_current: bool


def stages_of(*, actor, cycle: Cycle) -> list[StageRow]:
    """The cycle's stages with the interactions logged in each: two queries.

    Interactions are shown with kind, minutes and shared note; the private note only to
    the coach who wrote it (that is, the cycle's coach).
    """
    stages = list(cycle.stages.order_by("position"))
    columns = ["stage_id", "interaction_id", "interaction__occurred_at",
               "interaction__kind__name", "interaction__minutes", "interaction__shared_note"]
    is_coach = is_its_coach.test(actor, cycle)
    if is_coach:
        columns.append("interaction__private_note")
    links = StageInteraction.objects.filter(stage__cycle=cycle)
    mine: set[int] | None = None
    if not is_coach:
        # A shared note belongs to the teachers of that contact: in a team cycle, a
        # teacher who was not in it sees that it happened, not what was noted.
        mine = set(links.filter(interaction__links__teacher_id=actor.pk)
                   .values_list("interaction_id", flat=True))
    by_stage: dict[int, list[dict]] = {}
    for values in links.order_by("interaction__occurred_at", "interaction_id").values(*columns):
        if mine is not None and values["interaction_id"] not in mine:
            values["interaction__shared_note"] = ""
        by_stage.setdefault(values["stage_id"], []).append(values)
    today = timezone.localdate()
    current = next((s.pk for s in stages if s.completed_on is None), None)
    return [StageRow(stage=s, interactions=by_stage.get(s.pk, []),
                     is_overdue=cycle.is_active and s.completed_on is None and s.due_on < today,
                     is_current=cycle.is_active and s.pk == current)
            for s in stages]


def stage_get_for(*, actor, cycle: Cycle, pk: int) -> CycleStage:
    try:
        return cycle.stages.get(pk=pk)
    except (CycleStage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such stage") from exc


def templates_for(*, network_id: int | None) -> QuerySet[CycleTemplate]:
    """Built-in templates and the network's own, offered ones, with their stage counts."""
    return (CycleTemplate.objects.filter(Q(network__isnull=True) | Q(network_id=network_id),
                                         is_active=True)
            .annotate(stage_count=Count("stages"))
            .order_by("network_id", "name", "pk"))


def coach_teachers_for_goals(*, actor) -> QuerySet[Person]:
    """The teachers of the schools the coach serves: who a goal can be set with."""
    schools = scope_for(actor).coach_school_ids
    teaching = Membership.objects.filter(role=Role.TEACHER, organisation_id__in=schools)
    return (Person.objects.filter(pk__in=teaching.values("person_id"), is_active=True)
            .exclude(pk=actor.pk).only("id", "full_name").order_by("full_name", "pk"))


def recent_interactions_for_stage(*, actor, cycle: Cycle, limit: int = 20) -> list:
    """The coach's recent log entries with the cycle's teachers only, to put into a stage
    (an entry with anyone else would show its shared note to people it is not theirs)."""
    teacher_ids = [t.pk for t in cycle.teachers.all()]
    someone_else = InteractionTeacher.objects.filter(interaction_id=OuterRef("pk")).exclude(
        teacher_id__in=teacher_ids)
    return list(Interaction.objects.filter(coach_id=actor.pk, links__teacher_id__in=teacher_ids)
                .filter(~Exists(someone_else))
                .distinct().select_related("kind")
                .only("id", "occurred_at", "minutes", "kind__name")
                .order_by("-occurred_at", "-id")[:limit])


def growth_goals_of(*, actor, teacher: Person) -> QuerySet[GrowthGoal]:
    """A teacher's growth goals: for the teacher, and for their coaches (the teacher is in
    their caseload this school year). Anyone else — another coach of the school, a leader,
    an admin — gets none (`goals.view_growth_goals`)."""
    if not actor.has_perm("goals.view_growth_goals", teacher):
        return GrowthGoal.objects.none()
    return GrowthGoal.objects.filter(teacher=teacher)


def growth_goal_get_for(*, actor, pk: int) -> GrowthGoal:
    try:
        return GrowthGoal.objects.filter(growth_goal_owner_q(actor)).get(pk=pk)
    except (GrowthGoal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such goal") from exc


def resources_for(*, actor, purpose: str | None = None) -> QuerySet[ConversationResource]:
    """Built-in resources, the network's shared ones, and the actor's own."""
    found = ConversationResource.objects.filter(library_q(actor))
    if purpose:
        found = found.filter(purpose=purpose)
    return found.order_by("purpose", "title", "pk")
