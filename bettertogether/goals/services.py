"""Writes of goals and teachers' growth goals. Cycles are in `cycles.py`, evidence in
`evidence.py`.

Each takes the acting person, runs in a transaction, validates, and records an activity
entry that names the goal's title, never what the pair wrote in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.services import teachers_school
from bettertogether.directory.models import Organisation, Person
from bettertogether.menu.rules import is_request_coach

from . import rules
from .models import CHECKLIST, CLOSED_GOAL_STATUSES, FrameworkItem, Goal, GoalStatus, GrowthGoal

TEXT_FIELDS = ("title", "student_outcome", "success_criteria", "measure", "baseline", "target",
               "expectations")
CHECK_FIELDS = tuple(name for name, _label in CHECKLIST)


def school_for_pair(actor, teachers: list[Person]) -> Organisation:
    """The school the coach and these teachers share (see `coaching.teachers_school`)."""
    if not teachers:
        raise ValidationError({"teachers": _("Choose the teacher or teachers.")})
    return teachers_school(actor, teachers)


def _check_indicators(indicators: Iterable[FrameworkItem], network_id: int) -> list:
    indicators = list(indicators)
    ids = {item.pk for item in indicators}
    if ids and FrameworkItem.objects.filter(
            pk__in=ids, framework__network_id=network_id).count() != len(ids):
        raise ValidationError({"indicators": _("Choose indicators of your network's frameworks.")})
    return indicators


def _apply(goal: Goal, fields: dict) -> list[str]:
    changed = []
    for name in TEXT_FIELDS:
        if name in fields:
            value = (fields[name] or "").strip()
            if getattr(goal, name) != value:
                setattr(goal, name, value)
                changed.append(name)
    for name in CHECK_FIELDS:
        if name in fields and getattr(goal, name) != bool(fields[name]):
            setattr(goal, name, bool(fields[name]))
            changed.append(name)
    if not goal.title:
        raise ValidationError({"title": _("Give the goal a short title.")})
    if not goal.student_outcome:
        raise ValidationError({"student_outcome": _(
            "Say what students will know or be able to do.")})
    return changed


@transaction.atomic
def goal_create(
    *, actor, teachers: Iterable[Person], indicators: Iterable[FrameworkItem] = (),
    activate: bool = False, source_request=None, idempotency_key: uuid.UUID | None = None,
    **fields,
) -> Goal:
    """A coach sets a goal with one teacher or a team. The same key twice creates it once."""
    if not rules.is_coach.test(actor):
        raise PermissionDenied("Only coaches set goals with teachers.")
    key = idempotency_key or uuid.uuid4()
    existing = Goal.objects.filter(coach=actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    teachers = list(dict.fromkeys(teachers))
    school = school_for_pair(actor, teachers)
    indicators = _check_indicators(indicators, school.network_id)
    if source_request is not None and not is_request_coach.test(actor, source_request):
        raise PermissionDenied("A goal starts from a request made to its coach.")
    goal = Goal(network_id=school.network_id, school=school, coach=actor,
                status=GoalStatus.ACTIVE if activate else GoalStatus.DRAFT,
                source_request=source_request, idempotency_key=key)
    _apply(goal, fields)
    goal.full_clean(exclude=["network", "school", "coach", "source_request"])
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError:
        return Goal.objects.get(coach=actor, idempotency_key=key)
    goal.teachers.set(teachers)
    goal.indicators.set(indicators)
    activity_record(actor=actor, action="goal.create", target=goal, organisation=school,
                    label=_label(goal), details={"count": len(teachers)})
    return goal


def _label(goal: Goal) -> str:
    """An activity label from metadata only: a goal's title is the pair's own words, and
    who is coached is not the log's to tell (a school may show leaders totals only)."""
    return f"Goal {goal.pk}"


@transaction.atomic
def goal_update(*, actor, goal: Goal, indicators: Iterable[FrameworkItem] | None = None,
                **fields) -> Goal:
    if not rules.is_one_of_the_pair.test(actor, goal):  # a goal is set together
        raise PermissionDenied("Only the coach and teachers of a goal change it.")
    if goal.is_closed:
        raise ValidationError(_("This goal is closed. Start a new one from it instead."))
    changed = _apply(goal, fields)
    if indicators is not None:
        if not rules.is_its_coach.test(actor, goal):
            raise PermissionDenied("The coach tags a goal with indicators.")
        goal.indicators.set(_check_indicators(indicators, goal.network_id))
        changed.append("indicators")
    goal.updated_at = timezone.now()
    goal.full_clean(exclude=["network", "school", "coach", "source_request"])
    goal.save()
    activity_record(actor=actor, action="goal.update", target=goal, organisation=goal.school,
                    label=_label(goal), details={"fields": changed})
    return goal


@transaction.atomic
def goal_activate(*, actor, goal: Goal) -> Goal:
    if not rules.is_its_coach.test(actor, goal):
        raise PermissionDenied("The coach starts work on a goal.")
    if goal.status == GoalStatus.ACTIVE:
        return goal
    if goal.status != GoalStatus.DRAFT:
        raise ValidationError(_("Only a draft goal can be started."))
    goal.status = GoalStatus.ACTIVE
    goal.updated_at = timezone.now()
    goal.save(update_fields=["status", "updated_at"])
    activity_record(actor=actor, action="goal.activate", target=goal,
                    organisation=goal.school, label=_label(goal))
    return goal


@transaction.atomic
def goal_close(*, actor, goal: Goal, status: str, reflection: str = "") -> Goal:
    """Close a goal as met, partly met, not met or dropped, with the pair's reflection."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if not rules.is_its_coach.test(actor, goal):
        raise PermissionDenied("The coach closes a goal.")
    if status not in CLOSED_GOAL_STATUSES:
        raise ValidationError({"status": _("Choose how the goal ended.")})
    if goal.status == status:
        return goal
    if goal.is_closed:
        raise ValidationError(_("This goal is closed already."))
    if status != GoalStatus.DROPPED and not reflection.strip():
        raise ValidationError({"reflection": _(
            "Write a sentence or two: what students learned, and what comes next.")})
    goal.status, goal.reflection = status, reflection.strip()
    goal.closed_at = goal.updated_at = timezone.now()
    goal.save(update_fields=["status", "reflection", "closed_at", "updated_at"])
    activity_record(actor=actor, action="goal.close", target=goal, organisation=goal.school,
                    label=_label(goal), details={"kind": status})
    return goal


def goal_next_from(*, goal: Goal) -> dict:
    """What a next goal starts with: the same teachers and indicators, the old target as
    the new baseline."""
    return {"teachers": [t.pk for t in goal.teachers.all()],
            "indicators": [i.pk for i in goal.indicators.all()],
            "baseline": goal.target, "measure": goal.measure}


# --- growth goals ---------------------------------------------------------------------------


@transaction.atomic
def growth_goal_create(*, actor, title: str, description: str = "") -> GrowthGoal:
    if not rules.is_teacher.test(actor):
        raise PermissionDenied("Teachers keep growth goals.")
    goal = GrowthGoal(teacher=actor, title=title.strip(), description=description.strip())
    if not goal.title:
        raise ValidationError({"title": _("Write your goal in a sentence.")})
    goal.full_clean(exclude=["teacher"])
    goal.save()
    activity_record(actor=actor, action="growth_goal.create", target=goal,
                    label=f"Growth goal {goal.pk}")
    return goal


@transaction.atomic
def growth_goal_update(*, actor, goal: GrowthGoal, title: str, description: str,
                       status: str) -> GrowthGoal:
    if not rules.is_growth_goal_teacher.test(actor, goal):
        raise PermissionDenied("A growth goal is its teacher's.")
    if status not in GrowthGoal.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    goal.title, goal.description, goal.status = title.strip(), description.strip(), status
    if not goal.title:
        raise ValidationError({"title": _("Write your goal in a sentence.")})
    goal.updated_at = timezone.now()
    goal.full_clean(exclude=["teacher"])
    goal.save()
    activity_record(actor=actor, action="growth_goal.update", target=goal,
                    label=f"Growth goal {goal.pk}",
                    details={"kind": status})
    return goal
