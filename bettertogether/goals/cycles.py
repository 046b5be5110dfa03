"""Writes of coaching cycles: starting one from a goal and a template, planning and
completing its stages, logging contacts against a stage, reflecting, and closing it.

A cycle copies its template's stages when it starts (with due dates from each stage's
expected length), so a template edited later never rewrites a cycle under way.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.models import Interaction
from bettertogether.coaching.rules import is_author
from bettertogether.coaching.services import interaction_log

from . import rules
from .models import (
    ConversationResource,
    Cycle,
    CycleStage,
    CycleStatus,
    CycleTemplate,
    Goal,
    GoalStatus,
    Outcome,
    StageInteraction,
)

PLAN_LIMIT = 4000
OUTCOME_TO_GOAL = {Outcome.MET: GoalStatus.MET, Outcome.PARTLY_MET: GoalStatus.PARTLY_MET,
                   Outcome.NOT_MET: GoalStatus.NOT_MET}


def _label(cycle: Cycle) -> str:
    """An activity label from metadata only: the template's name, never the pair's words."""
    return f"{cycle.template.name} cycle {cycle.pk}"


def _in_cycle(cycle: Cycle, person_id: int) -> bool:
    """Whether a teacher of a contact is one of the cycle's (not a permission: the log's
    teachers are checked against the cycle's)."""
    return any(t.pk == person_id for t in cycle.teachers.all())


def _require_coach(actor, cycle: Cycle) -> None:
    if not rules.is_its_coach.test(actor, cycle):
        raise PermissionDenied("Only the cycle's coach does this.")


def _require_active(cycle: Cycle) -> None:
    if not cycle.is_active:
        raise ValidationError(_("This cycle is closed."))


class CycleUnderWay(ValidationError):
    """The goal already has a cycle under way (a goal runs one cycle at a time): `cycle`."""

    def __init__(self, cycle: Cycle):
        super().__init__(_("This goal already has a cycle under way. Close it before starting "
                           "another."), code="cycle_under_way")
        self.cycle = cycle


def _cycle_under_way(goal_id: int) -> Cycle | None:
    return Cycle.objects.filter(goal_id=goal_id, status=CycleStatus.ACTIVE).first()


@transaction.atomic
def cycle_start(
    *, actor, goal: Goal, template: CycleTemplate, started_on: datetime.date | None = None,
    title: str = "", idempotency_key: uuid.UUID | None = None,
) -> Cycle:
    """Start a cycle on a goal with a template: its stages are copied and given due dates.

    A goal runs one cycle at a time. The goal's row is locked first, so of two starts sent
    at once (two open pages) the second waits and then finds the first: the same key gets
    that cycle back, any other key `CycleUnderWay`. The database's constraint
    (`cycle_one_active_per_goal`) holds the same rule for any writer that skips this.
    """
    if not actor.has_perm("goals.start_cycle", goal):
        raise PermissionDenied("The goal's coach starts a cycle on it.")
    goal = Goal.objects.select_for_update(of=("self",)).select_related("school").get(pk=goal.pk)
    key = idempotency_key or uuid.uuid4()
    existing = Cycle.objects.filter(coach=actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    if goal.is_closed:
        raise ValidationError({"goal": _("This goal is closed: start a new goal first.")})
    under_way = _cycle_under_way(goal.pk)
    if under_way is not None:
        raise CycleUnderWay(under_way)
    if template.network_id not in (None, goal.network_id) or not template.is_active:
        raise ValidationError({"template": _("Choose a cycle template from the list.")})
    stages = list(template.stages.order_by("position"))
    if not stages:
        raise ValidationError({"template": _("This template has no stages yet.")})
    started_on = started_on or timezone.localdate()
    cycle = Cycle(network_id=goal.network_id, school_id=goal.school_id, coach=actor, goal=goal,
                  template=template, title=(title or goal.title).strip()[:160],
                  started_on=started_on, idempotency_key=key)
    cycle.full_clean(exclude=["network", "school", "coach", "goal", "template"])
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        # Only a writer that did not take the goal's lock gets here.
        existing = Cycle.objects.filter(coach=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
        under_way = _cycle_under_way(goal.pk)
        if under_way is not None:
            raise CycleUnderWay(under_way) from None
        raise
    cycle.teachers.set(goal.teachers.all())
    due = started_on
    rows = []
    for stage in stages:
        due = due + datetime.timedelta(days=stage.expected_days)
        rows.append(CycleStage(cycle=cycle, position=stage.position, name=stage.name,
                               purpose=stage.purpose, guidance=stage.guidance,
                               collects_evidence=stage.collects_evidence, due_on=due))
    CycleStage.objects.bulk_create(rows)
    if goal.status == GoalStatus.DRAFT:
        goal.status = GoalStatus.ACTIVE
        goal.save(update_fields=["status"])
    activity_record(actor=actor, action="cycle.start", target=cycle, organisation=goal.school,
                    label=_label(cycle), details={"count": len(rows)})
    return cycle


@transaction.atomic
def stage_update(*, actor, stage: CycleStage, plan: str, happened: str,
                 due_on: datetime.date | None = None) -> CycleStage:
    """The coach or a teacher of the cycle writes what they plan and what happened."""
    cycle = stage.cycle
    if not rules.is_one_of_the_pair.test(actor, cycle):
        raise PermissionDenied("Only the cycle's coach and teachers plan its stages.")
    _require_active(cycle)
    stage.plan, stage.happened = plan.strip(), happened.strip()
    fields = ["plan", "happened"]
    if due_on is not None and due_on != stage.due_on:
        if not rules.is_its_coach.test(actor, cycle):
            raise PermissionDenied("The coach moves a stage's due date.")
        if due_on < cycle.started_on:
            raise ValidationError({"due_on": _("A stage cannot be due before the cycle starts.")})
        stage.due_on = due_on
        fields.append("due_on")
    stage.full_clean(exclude=["cycle"])
    stage.save(update_fields=fields)
    activity_record(actor=actor, action="cycle_stage.update", target=stage,
                    organisation=cycle.school, label=f"{stage.name} ({_label(cycle)})",
                    details={"fields": fields})
    return stage


@transaction.atomic
def stage_complete(*, actor, stage: CycleStage, completed_on: datetime.date | None = None,
                   undo: bool = False) -> CycleStage:
    cycle = stage.cycle
    _require_coach(actor, cycle)
    _require_active(cycle)
    stage.completed_on = None if undo else (completed_on or timezone.localdate())
    stage.save(update_fields=["completed_on"])
    activity_record(actor=actor, action="cycle_stage.reopen" if undo else "cycle_stage.complete",
                    target=stage, organisation=cycle.school,
                    label=f"{stage.name} ({_label(cycle)})")
    return stage


@transaction.atomic
def stage_add_resource(*, actor, stage: CycleStage,
                       resource: ConversationResource) -> CycleStage:
    """Pull a conversation resource into a stage's plan in one step."""
    cycle = stage.cycle
    _require_coach(actor, cycle)
    _require_active(cycle)
    if not rules.may_use_resource_in(actor, resource, network_id=cycle.network_id):
        raise PermissionDenied("That resource is not yours to use.")
    addition = f"{resource.title}\n{resource.body}"
    plan = f"{stage.plan}\n\n{addition}".strip() if stage.plan else addition
    if len(plan) > PLAN_LIMIT:
        raise ValidationError(_("The plan would be too long with this resource: shorten the "
                                "plan first."))
    stage.plan = plan
    stage.save(update_fields=["plan"])
    activity_record(actor=actor, action="cycle_stage.add_resource", target=stage,
                    organisation=cycle.school, label=f"{stage.name} ({_label(cycle)})")
    return stage


@transaction.atomic
def stage_log(*, actor, stage: CycleStage, idempotency_key: uuid.UUID | None = None,
              **log) -> Interaction:
    """Log a contact for a stage: an interaction of the coach's log, linked to the stage."""
    cycle = stage.cycle
    _require_coach(actor, cycle)
    _require_active(cycle)
    outside = [t.full_name for t in log.get("teachers", []) if not _in_cycle(cycle, t.pk)]
    if outside:
        raise ValidationError({"teachers": _(
            "%(names)s are not in this cycle: log that contact from the quick log instead.")
            % {"names": ", ".join(outside)}})
    interaction = interaction_log(actor=actor, idempotency_key=idempotency_key, **log)
    StageInteraction.objects.get_or_create(interaction=interaction, defaults={"stage": stage})
    return interaction


@transaction.atomic
def stage_attach(*, actor, stage: CycleStage, interaction: Interaction) -> StageInteraction:
    """Put an interaction already in the coach's log into a stage (or move it there)."""
    cycle = stage.cycle
    _require_coach(actor, cycle)
    if not is_author.test(actor, interaction):
        raise PermissionDenied("Only your own log entries go into your cycles.")
    teacher_ids = set(interaction.links.values_list("teacher_id", flat=True))
    if not teacher_ids or not all(_in_cycle(cycle, pk) for pk in teacher_ids):
        raise ValidationError(_("Only a contact with this cycle's teachers alone goes into it."))
    link, _created = StageInteraction.objects.update_or_create(
        interaction=interaction, defaults={"stage": stage})
    activity_record(actor=actor, action="cycle_stage.attach", target=stage,
                    organisation=cycle.school, label=f"{stage.name} ({_label(cycle)})")
    return link


@transaction.atomic
def cycle_reflect(*, actor, cycle: Cycle, reflection: str) -> Cycle:
    """A teacher of the cycle writes their reflection (before or after it closes)."""
    if not rules.is_one_of_its_teachers.test(actor, cycle):
        raise PermissionDenied("The cycle's teachers write the teacher's reflection.")
    if not reflection.strip():
        raise ValidationError({"reflection": _("Write your reflection first.")})
    cycle.teacher_reflection = reflection.strip()
    cycle.updated_at = timezone.now()
    cycle.full_clean(exclude=["network", "school", "coach", "goal", "template"])
    cycle.save(update_fields=["teacher_reflection", "updated_at"])
    activity_record(actor=actor, action="cycle.reflect", target=cycle,
                    organisation=cycle.school, label=_label(cycle))
    return cycle


@transaction.atomic
def cycle_private_notes_update(*, actor, cycle: Cycle, private_notes: str) -> Cycle:
    _require_coach(actor, cycle)
    cycle.private_notes = private_notes.strip()
    cycle.full_clean(exclude=["network", "school", "coach", "goal", "template"])
    cycle.save(update_fields=["private_notes"])
    activity_record(actor=actor, action="cycle.private_notes", target=cycle,
                    organisation=cycle.school, label=_label(cycle))
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle, outcome: str, coach_reflection: str,
                stopped_early: bool = False) -> Cycle:
    """Close a cycle with its outcome and the coach's reflection; the goal closes with it.

    A goal runs one cycle at a time, so the cycle's outcome is the goal's: met, partly met
    or not met, as the close form promises. A goal closed already (dropped while the
    cycle ran) keeps how it ended.
    """
    cycle = (Cycle.objects.select_for_update(of=("self",)).select_related("school", "template")
             .get(pk=cycle.pk))
    _require_coach(actor, cycle)
    if not cycle.is_active:
        return cycle  # closed already (a double click)
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not coach_reflection.strip():
        errors["coach_reflection"] = _(
            "Write your reflection: what changed for students, and what comes next.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    cycle.status = CycleStatus.STOPPED if stopped_early else CycleStatus.COMPLETED
    cycle.outcome, cycle.coach_reflection = outcome, coach_reflection.strip()
    cycle.closed_at = cycle.updated_at = now
    cycle.full_clean(exclude=["network", "school", "coach", "goal", "template"])
    cycle.save(update_fields=["status", "outcome", "coach_reflection", "closed_at",
                              "updated_at"])
    activity_record(actor=actor, action="cycle.close", target=cycle, organisation=cycle.school,
                    label=_label(cycle), details={"kind": outcome})
    goal = Goal.objects.select_for_update(of=("self",)).select_related("school").get(
        pk=cycle.goal_id)
    if not goal.is_closed:
        goal.status = OUTCOME_TO_GOAL[outcome]
        goal.closed_at = goal.updated_at = now
        goal.save(update_fields=["status", "closed_at", "updated_at"])
        activity_record(actor=actor, action="goal.close", target=goal, organisation=goal.school,
                        label=f"Goal {goal.pk}", details={"kind": goal.status})
    cycle.goal = goal
    return cycle
