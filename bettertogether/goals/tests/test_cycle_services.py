"""Starting, running and closing a cycle through the services."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.tests.support import kind
from bettertogether.goals import cycles
from bettertogether.goals.models import CycleStatus, GoalStatus, Outcome, StageInteraction
from bettertogether.goals.tests.support import a_cycle, a_goal, template


def test_cycle_start_copies_the_stages_with_due_dates(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    start = datetime.date(2026, 11, 2)

    cycle = a_cycle(cast.coach, goal, started_on=start)

    assert [(s.position, s.name, s.due_on) for s in cycle.stages.all()] == [
        (1, "Goal", datetime.date(2026, 11, 9)),
        (2, "Learning targets", datetime.date(2026, 11, 16)),
        (3, "Pre-assessment", datetime.date(2026, 11, 23)),
        (4, "Weekly planning", datetime.date(2026, 12, 14)),
        (5, "Co-teaching", datetime.date(2027, 1, 4)),
        (6, "Post-assessment", datetime.date(2027, 1, 11)),
        (7, "Reflection", datetime.date(2027, 1, 18)),
    ]
    assert list(cycle.teachers.all()) == [cast.teacher]
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_cycle_start_twice_with_one_key_starts_one(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    key = uuid.uuid4()

    first = a_cycle(cast.coach, goal, idempotency_key=key)
    second = a_cycle(cast.coach, goal, idempotency_key=key)

    assert first.pk == second.pk
    assert goal.cycles.count() == 1


def test_cycle_start_by_another_coach_is_refused(cast, second_coach):
    goal = a_goal(cast.coach, [cast.teacher])

    with pytest.raises(PermissionDenied):
        a_cycle(second_coach, goal)


def test_editing_a_template_later_leaves_a_running_cycle_alone(cast):
    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    template().stages.filter(position=1).update(name="Renamed")

    assert cycle.stages.get(position=1).name == "Goal"


def test_stage_log_puts_the_interaction_in_the_stage(cast):
    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    stage = cycle.stages.get(position=5)

    interaction = cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Co-teaching"),
                                   teachers=[cast.teacher], minutes=50, occurred_at=None,
                                   idempotency_key=uuid.uuid4())

    assert StageInteraction.objects.get().stage == stage
    assert StageInteraction.objects.get().interaction == interaction


def test_cycle_close_needs_outcome_and_reflection_and_closes_the_goal(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, goal)

    with pytest.raises(ValidationError) as error:
        cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome="", coach_reflection=" ")
    assert set(error.value.message_dict) == {"outcome", "coach_reflection"}

    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome=Outcome.MET,
                       coach_reflection="Most students now explain their thinking.")

    cycle.refresh_from_db()
    goal.refresh_from_db()
    assert (cycle.status, cycle.outcome) == (CycleStatus.COMPLETED, Outcome.MET)
    assert goal.status == GoalStatus.MET


def test_teacher_reflects_and_only_the_teacher_may(cast):
    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))

    cycles.cycle_reflect(actor=cast.teacher, cycle=cycle, reflection="They argue now!")
    with pytest.raises(PermissionDenied):
        cycles.cycle_reflect(actor=cast.coach, cycle=cycle, reflection="Not mine to write")

    cycle.refresh_from_db()
    assert cycle.teacher_reflection == "They argue now!"


def test_activity_entries_of_a_cycle_carry_no_words_of_the_pair(cast):
    goal = a_goal(cast.coach, [cast.teacher], title="CANARY-TITLE-81ab",
                  student_outcome="CANARY-OUTCOME-81ab")
    cycle = a_cycle(cast.coach, goal)
    cycles.stage_update(actor=cast.coach, stage=cycle.stages.first(), plan="CANARY-PLAN-81ab",
                        happened="")
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome=Outcome.MET,
                       coach_reflection="CANARY-REFLECTION-81ab")

    logged = " ".join(f"{e.target_label} {e.details}" for e in ActivityEntry.objects.all())
    assert "CANARY" not in logged


def test_a_resource_that_would_overflow_the_plan_is_refused(cast):
    from bettertogether.goals.models import ConversationResource

    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    stage = cycle.stages.get(position=1)
    cycles.stage_update(actor=cast.coach, stage=stage, plan="x" * 3990, happened="")
    resource = ConversationResource.objects.filter(network=None).first()

    with pytest.raises(ValidationError):
        cycles.stage_add_resource(actor=cast.coach, stage=stage, resource=resource)

    stage.refresh_from_db()
    assert stage.plan == "x" * 3990


def test_a_contact_with_someone_outside_the_cycle_stays_out_of_it(cast):
    from bettertogether.coaching.tests.support import log

    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    stage = cycle.stages.get(position=1)
    with_other = log(cast.coach, [cast.teacher, cast.other_teacher], "Check-in")

    with pytest.raises(ValidationError):
        cycles.stage_attach(actor=cast.coach, stage=stage, interaction=with_other)
    with pytest.raises(ValidationError) as error:
        cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Check-in"),
                         teachers=[cast.teacher, cast.other_teacher], minutes=10,
                         occurred_at=None, idempotency_key=uuid.uuid4())

    assert "teachers" in error.value.message_dict
    assert not StageInteraction.objects.exists()


def test_in_a_team_cycle_a_teacher_sees_only_the_shared_notes_of_their_own_contacts(cast):
    from bettertogether.goals.selectors import stages_of

    cycle = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher, cast.other_teacher]))
    stage = cycle.stages.get(position=1)
    cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Check-in"),
                     teachers=[cast.teacher], minutes=10, occurred_at=None,
                     shared_note="Only for Tess", idempotency_key=uuid.uuid4())

    def notes(who):
        return [i["interaction__shared_note"]
                for row in stages_of(actor=who, cycle=cycle) for i in row.interactions]

    assert notes(cast.coach) == ["Only for Tess"]
    assert notes(cast.teacher) == ["Only for Tess"]
    assert notes(cast.other_teacher) == [""]
