"""A goal runs one cycle at a time, and closing that cycle closes the goal with its outcome.

"Start a cycle" sent twice (a double click, a second tab, a page left open) starts one
cycle; the second send lands on the first cycle with a clear message. The database holds
the same rule for any writer that skips the service.
"""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.goals import cycles
from bettertogether.goals.models import Cycle, CycleStatus, GoalStatus, Outcome
from bettertogether.goals.tests.support import a_cycle, a_goal, template

UNDER_WAY = ("This goal already has a cycle under way, so no second one was started. "
             "Here it is.")


def _start(client, goal, name="Impact Cycle", key=None):
    return client.post(reverse("goals:cycle_start", args=[goal.pk]), {
        "template": template(name).pk, "started_on": "2026-11-30",
        "idempotency_key": str(key or uuid.uuid4())})


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- the service ----------------------------------------------------------------------------


def test_cycle_start_on_a_goal_with_a_cycle_under_way_is_refused(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    first = a_cycle(cast.coach, goal)

    with pytest.raises(cycles.CycleUnderWay) as error:
        a_cycle(cast.coach, goal, name="Impact Cycle")

    assert error.value.cycle == first
    assert error.value.messages == [
        "This goal already has a cycle under way. Close it before starting another."]
    assert list(goal.cycles.values_list("pk", flat=True)) == [first.pk]
    assert ActivityEntry.objects.filter(action="cycle.start").count() == 1


def test_cycle_start_again_with_the_same_key_gets_the_first_cycle(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    key = uuid.uuid4()
    first = a_cycle(cast.coach, goal, idempotency_key=key)

    again = a_cycle(cast.coach, goal, name="Impact Cycle", idempotency_key=key)

    assert again.pk == first.pk
    assert goal.cycles.count() == 1


def test_cycle_start_after_the_cycle_closed_is_refused_because_the_goal_closed(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    cycles.cycle_close(actor=cast.coach, cycle=a_cycle(cast.coach, goal), outcome=Outcome.MET,
                       coach_reflection="They explain their reasoning now.")

    with pytest.raises(cycles.ValidationError) as error:
        a_cycle(cast.coach, goal)

    assert error.value.message_dict == {"goal": [
        "This goal is closed: start a new goal first."]}
    assert goal.cycles.count() == 1


def test_database_refuses_a_second_active_cycle_on_a_goal(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    first = a_cycle(cast.coach, goal)

    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(network=cast.network, school=cast.school, coach=cast.coach,
                             goal=goal, template=first.template, title="Twice",
                             started_on=first.started_on, idempotency_key=uuid.uuid4())


def test_database_allows_closed_cycles_next_to_the_active_one(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    first = a_cycle(cast.coach, goal)

    for status in (CycleStatus.COMPLETED, CycleStatus.STOPPED):
        Cycle.objects.create(network=cast.network, school=cast.school, coach=cast.coach,
                             goal=goal, template=first.template, title="Earlier",
                             status=status, started_on=first.started_on,
                             idempotency_key=uuid.uuid4())

    assert goal.cycles.count() == 3


# --- the page: a double submit, a second tab ------------------------------------------------


def test_cycle_start_double_submit_starts_one_cycle(cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    client = client_for(cast.coach)
    key = uuid.uuid4()

    first = _start(client, goal, key=key)
    second = _start(client, goal, key=key)

    cycle = goal.cycles.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("goals:cycle", args=[cycle.pk])
    assert ActivityEntry.objects.filter(action="cycle.start").count() == 1


def test_cycle_start_from_a_second_tab_lands_on_the_first_cycle_with_a_message(
        cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    client = client_for(cast.coach)
    client.get(_start(client, goal, name="Impact Cycle")["Location"])

    second = _start(client, goal, name="Tech integration cycle")

    cycle = goal.cycles.get()
    assert cycle.template.name == "Impact Cycle"
    assert second.status_code == 302
    assert second["Location"] == reverse("goals:cycle", args=[cycle.pk])
    assert _messages(second) == [UNDER_WAY]
    assert UNDER_WAY in client.get(second["Location"]).content.decode()
    assert ActivityEntry.objects.filter(action="cycle.start").count() == 1


def test_goal_page_offers_no_second_cycle_while_one_is_under_way(cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    client = client_for(cast.coach)
    before = client.get(reverse("goals:goal", args=[goal.pk]))
    cycle = a_cycle(cast.coach, goal)

    after = client.get(reverse("goals:goal", args=[goal.pk]))

    start_url = reverse("goals:cycle_start", args=[goal.pk])
    assert "cycle_form" in before.context and start_url in before.content.decode()
    assert "cycle_form" not in after.context
    assert start_url not in after.content.decode()
    assert after.context["under_way"] == cycle
    assert "A goal runs one cycle at a time" in after.content.decode()


# --- closing the cycle closes the goal ------------------------------------------------------


@pytest.mark.parametrize(("outcome", "stopped_early", "cycle_status", "goal_status"), [
    (Outcome.MET, False, CycleStatus.COMPLETED, GoalStatus.MET),
    (Outcome.PARTLY_MET, False, CycleStatus.COMPLETED, GoalStatus.PARTLY_MET),
    (Outcome.NOT_MET, True, CycleStatus.STOPPED, GoalStatus.NOT_MET),
])
def test_cycle_close_closes_its_goal_with_the_outcome(cast, client_for, outcome, stopped_early,
                                                      cycle_status, goal_status):
    goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, goal)
    form = {"outcome": outcome, "coach_reflection": "What changed for students."}
    if stopped_early:
        form["stopped_early"] = "on"

    response = client_for(cast.coach).post(reverse("goals:cycle_close", args=[cycle.pk]), form)

    assert response.status_code == 302
    cycle.refresh_from_db()
    goal.refresh_from_db()
    assert (cycle.status, cycle.outcome) == (cycle_status, outcome)
    assert goal.status == goal_status
    assert goal.closed_at == cycle.closed_at
    entries = ActivityEntry.objects.filter(action__in=["cycle.close", "goal.close"])
    assert sorted((e.action, e.details) for e in entries) == [
        ("cycle.close", {"kind": outcome}), ("goal.close", {"kind": goal_status})]


def test_cycle_close_after_two_starts_from_two_tabs_closes_the_goal(cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    client = client_for(cast.coach)
    _start(client, goal)
    _start(client, goal)
    cycle = goal.cycles.get()

    client.post(reverse("goals:cycle_close", args=[cycle.pk]),
                {"outcome": Outcome.MET, "coach_reflection": "Met."})

    goal.refresh_from_db()
    assert goal.status == GoalStatus.MET
    assert not goal.cycles.filter(status=CycleStatus.ACTIVE).exists()


def test_cycle_close_leaves_a_goal_dropped_while_it_ran_as_dropped(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, goal)
    from bettertogether.goals.services import goal_close

    goal_close(actor=cast.coach, goal=goal, status=GoalStatus.DROPPED)
    closed_at = type(goal).objects.get(pk=goal.pk).closed_at
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome=Outcome.NOT_MET,
                       coach_reflection="We stopped.")

    goal.refresh_from_db()
    assert (goal.status, goal.closed_at) == (GoalStatus.DROPPED, closed_at)
    assert not ActivityEntry.objects.filter(action="goal.close", details={"kind": "not_met"})


def test_closed_goal_page_shows_how_it_ended_and_offers_the_next_goal(cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    cycles.cycle_close(actor=cast.coach, cycle=a_cycle(cast.coach, goal),
                       outcome=Outcome.PARTLY_MET, coach_reflection="Half the class.")

    page = client_for(cast.coach).get(reverse("goals:goal", args=[goal.pk])).content.decode()

    assert "Partly met" in page
    assert f"{reverse('goals:goal_new')}?after={goal.pk}" in page
    assert reverse("goals:cycle_start", args=[goal.pk]) not in page


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_first_of_two_active_cycles_under_way_and_stops_the_other():
    """What two open pages left behind before the constraint: the migration resolves it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bettertogether.testing import factories as f
    from bettertogether.testing.cast import build_cast

    before, after = [("goals", "0003_measure_growth_columns")], [
        ("goals", "0004_one_active_cycle_per_goal")]
    f.built_in_support_kinds()
    cast = build_cast()
    MigrationExecutor(connection).migrate(before)
    try:
        goal = a_goal(cast.coach, [cast.teacher])
        first = a_cycle(cast.coach, goal)
        second = Cycle.objects.create(
            network=cast.network, school=cast.school, coach=cast.coach, goal=goal,
            template=first.template, title="Twice", started_on=first.started_on,
            idempotency_key=uuid.uuid4())
        other = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    finally:
        MigrationExecutor(connection).migrate(after)

    assert dict(Cycle.objects.values_list("pk", "status")) == {
        first.pk: CycleStatus.ACTIVE, second.pk: CycleStatus.STOPPED,
        other.pk: CycleStatus.ACTIVE}
    assert Cycle.objects.get(pk=second.pk).closed_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=second.pk).update(status=CycleStatus.ACTIVE)
