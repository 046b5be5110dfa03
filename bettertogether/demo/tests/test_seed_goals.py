"""The demo datasets' goals, coaching cycles, evidence, growth goals and framework."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.models import InteractionTeacher
from bettertogether.demo.coaching_vocabulary import DISTRICT_TODAY
from bettertogether.demo.common import BENCH_PERSONAS
from bettertogether.demo.management.commands.seed_demo import seed_all
from bettertogether.demo.tests.test_seed_demo import TINY
from bettertogether.directory.models import CaseloadAssignment, Person
from bettertogether.goals.evidence_selectors import evidence_for
from bettertogether.goals.models import (
    Cycle,
    CycleStage,
    CycleStatus,
    EvidenceMeasure,
    EvidencePoint,
    Framework,
    FrameworkItem,
    Goal,
    GoalStatus,
    GrowthGoal,
    InteractionIndicator,
    StageInteraction,
)
from bettertogether.goals.selectors import stages_of

pytestmark = pytest.mark.slow

GOAL_MODELS = (Goal, Cycle, CycleStage, StageInteraction, EvidenceMeasure, EvidencePoint,
               GrowthGoal, Framework, FrameworkItem, InteractionIndicator,
               Goal.teachers.through, Cycle.teachers.through)
COACH, TEACHER = "coach@riverside.example", "teacher@riverside.example"


def _seed_small() -> None:
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def _pair_cycles(status):
    return Cycle.objects.filter(coach__email=COACH, teachers__email=TEACHER, status=status)


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_cycle_under_way_with_an_overdue_stage():
    cycle = _pair_cycles(CycleStatus.ACTIVE).get()
    assert cycle.template.name == "Student-Centered Coaching cycle"
    rows = stages_of(actor=cycle.coach, cycle=cycle)
    done = [row for row in rows if row.stage.completed_on]
    assert len(done) >= 2 and all(row.stage.plan and row.stage.happened for row in done)
    assert [row.stage.position for row in rows if row.is_overdue] == [len(done) + 1]
    assert any(row.is_current and row.is_overdue for row in rows)
    linked = [i for row in rows for i in row.interactions]
    assert len(linked) >= 4
    for link in StageInteraction.objects.filter(stage__cycle=cycle).select_related(
            "interaction"):
        assert link.interaction.coach_id == cycle.coach_id
        assert InteractionTeacher.objects.filter(interaction=link.interaction,
                                                 teacher__email=TEACHER).exists()
    measure = cycle.measures.get()
    assert measure.kind == "share"
    assert sorted(measure.points.values_list("moment", flat=True)) == ["before", "checkpoint"]
    assert cycle.private_notes and cycle.goal.status == GoalStatus.ACTIVE
    assert cycle.indicators.exists()


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_completed_cycle_shows_growth():
    cycle = _pair_cycles(CycleStatus.COMPLETED).get()
    assert (cycle.template.name, cycle.outcome) == ("Impact Cycle", "met")
    assert cycle.goal.status == GoalStatus.MET and cycle.goal.closed_at == cycle.closed_at
    assert cycle.coach_reflection and cycle.teacher_reflection
    assert not cycle.stages.filter(completed_on__isnull=True).exists()
    evidence = evidence_for(actor=cycle.coach, cycle=cycle)
    (measure,) = evidence.measures
    assert measure.measure.kind == "score"
    before, after = measure.points[0], measure.points[-1]
    assert (before.moment, after.moment) == ("before", "after")
    assert 20 <= before.students <= 28 and after.mean > before.mean
    assert measure.effect.value is not None and measure.effect.value.g > 0.8
    for point in measure.points:
        assert cycle.started_on <= point.taken_on <= timezone.localdate(cycle.closed_at)


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_draft_goal_from_a_request_and_growth_goals():
    teacher = Person.objects.get(email=TEACHER)
    draft = Goal.objects.get(coach__email=COACH, teachers=teacher, status=GoalStatus.DRAFT)
    assert draft.source_request.teacher_id == teacher.pk
    assert draft.source_request.coach_id == draft.coach_id
    assert draft.created_at > draft.source_request.created_at
    assert not draft.cycles.exists()
    growth = GrowthGoal.objects.filter(teacher=teacher)
    assert growth.count() == 2 and growth.filter(status=GrowthGoal.Status.ACTIVE).exists()
    # Every goal is written about students and has "I can" success criteria.
    for goal in Goal.objects.all():
        assert goal.student_outcome and goal.success_criteria.startswith("I can")
        assert goal.expectations and "{" not in goal.expectations + goal.baseline
        assert goal.created_at <= timezone.now()


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_other_coaches_and_the_framework():
    others = Goal.objects.exclude(coach__email=COACH)
    assert others.values("coach").distinct().count() == 3
    statuses = set(Cycle.objects.values_list("status", flat=True))
    assert statuses == {CycleStatus.ACTIVE, CycleStatus.COMPLETED, CycleStatus.STOPPED}
    assert Goal.objects.annotate(n=Count("teachers")).filter(n__gt=1).exists()
    framework = Framework.objects.get(network__name="Riverside Unified School District")
    standards = framework.items.filter(level=FrameworkItem.Level.STANDARD)
    assert standards.count() == 2
    for standard in standards:
        assert standard.children.count() == 3
    assert Goal.objects.filter(indicators__framework=framework).exists()
    assert InteractionIndicator.objects.filter(item__framework=framework).exists()
    for cycle in Cycle.objects.all():
        expected = cycle.started_on
        for stage, template_stage in zip(cycle.stages.order_by("position"),
                                         cycle.template.stages.order_by("position"),
                                         strict=True):
            expected += datetime.timedelta(days=template_stage.expected_days)
            assert stage.due_on == expected


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_private_notes_stay_with_the_coach(client_for):
    cycle = _pair_cycles(CycleStatus.ACTIVE).get()
    notes = cycle.private_notes
    for entry in ActivityEntry.objects.all():
        assert notes[:40] not in f"{entry.target_label} {entry.details}"
    teacher = Person.objects.get(email=TEACHER)
    for url in (reverse("goals:cycle", args=[cycle.pk]), reverse("goals:list")):
        page = client_for(teacher).get(url)
        assert page.status_code == 200
        assert notes[:40] not in page.content.decode()
    assert notes[:40] in client_for(cycle.coach).get(
        reverse("goals:cycle", args=[cycle.pk])).content.decode()


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_goals_twice_creates_nothing_more():
    before = {m._meta.label: m.objects.count() for m in GOAL_MODELS}

    _seed_small()

    assert {m._meta.label: m.objects.count() for m in GOAL_MODELS} == before
    assert all(before.values())


@pytest.mark.django_db
def test_seed_district_goals():
    seed_all(scale="district", seed=7, size=TINY)

    assert Goal.objects.count() == TINY.goals
    assert Cycle.objects.count() == TINY.cycles
    assert GrowthGoal.objects.count() == TINY.growth_goals
    active = Cycle.objects.filter(status=CycleStatus.ACTIVE)
    assert 0.05 * TINY.cycles <= active.count() <= 0.15 * TINY.cycles
    assert Cycle.objects.filter(status=CycleStatus.COMPLETED).count() > TINY.cycles / 2
    points = EvidencePoint.objects.all()
    assert TINY.evidence_points <= points.count() <= TINY.evidence_points + 150
    assert points.filter(students__lt=10).exists() and points.filter(students__gte=20).exists()
    assert not points.filter(students__gt=32).exists()
    today = DISTRICT_TODAY
    for cycle in Cycle.objects.prefetch_related("stages", "teachers"):
        stages = list(cycle.stages.all())
        assert [s.position for s in stages] == list(range(1, len(stages) + 1))
        assert [t.pk for t in cycle.teachers.all()] == [t.pk for t in cycle.goal.teachers.all()]
        if cycle.status == CycleStatus.ACTIVE:
            assert any(s.completed_on is None for s in stages) and cycle.closed_at is None
            assert cycle.goal.status == GoalStatus.ACTIVE
        else:
            assert cycle.outcome and cycle.closed_at.date() < today
            assert cycle.goal.status == cycle.outcome
        for teacher in cycle.teachers.all():
            assert CaseloadAssignment.objects.filter(
                coach_id=cycle.coach_id, teacher=teacher, school_id=cycle.school_id).exists()
    assert CycleStage.objects.filter(cycle__status=CycleStatus.ACTIVE, completed_on=None,
                                     due_on__lt=today).exists()
    for point in points.select_related("measure__cycle"):
        cycle = point.measure.cycle
        assert cycle.started_on <= point.taken_on < today
        assert (point.meeting_target is None) == (point.measure.kind == "score")
    for link in StageInteraction.objects.select_related("stage__cycle", "interaction"):
        assert link.interaction.coach_id == link.stage.cycle.coach_id
    bench = Cycle.objects.filter(coach__email=BENCH_PERSONAS["coach"],
                                 teachers__email=BENCH_PERSONAS["teacher"])
    assert bench.filter(status=CycleStatus.ACTIVE, measures__points__isnull=False).exists()
    assert bench.filter(status=CycleStatus.COMPLETED, measures__points__moment="after").exists()
    # New rows get fresh ids after the ones written by hand.
    goal = Goal.objects.first()
    goal.pk, goal.idempotency_key = None, uuid.uuid4()
    goal.save()
    assert goal.pk > TINY.goals


def _goals_snapshot():
    points = EvidencePoint.objects.values_list("measure__cycle__idempotency_key", "moment",
                                               "taken_on", "students", "meeting_target", "mean")
    return (sorted(Goal.objects.values_list("coach__email", "title", "status", "created_at")),
            sorted(tuple(-1 if value is None else value for value in row) for row in points))


@pytest.mark.django_db
def test_seed_district_goals_same_seed_same_data():
    with transaction.atomic():
        seed_all(scale="district", seed=7, size=TINY)
        first = _goals_snapshot()
        transaction.set_rollback(True)

    seed_all(scale="district", seed=7, size=TINY)

    assert _goals_snapshot() == first
