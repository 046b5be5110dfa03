"""Two "Start a cycle" sends on one goal at once start one cycle (PostgreSQL).

Each thread has its own connection and its own transaction, as two gunicorn workers would.
On SQLite writes are serialised by the database itself, so the race cannot happen there
(`test_one_cycle_per_goal` covers the sequential double submit).
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection, connections

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Person
from bettertogether.goals import cycles
from bettertogether.goals.models import Cycle, CycleTemplate, Goal
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.support import a_goal
from bettertogether.testing import factories as f
from bettertogether.testing.cast import build_cast

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="a race between connections needs PostgreSQL")


def _race(goal_id: int, coach_id: int, keys: list[uuid.UUID]) -> tuple[list, list]:
    """Start a cycle on the goal from one thread per key, all at once: (results, errors)."""
    barrier = threading.Barrier(len(keys))
    results, errors = [], []

    def starter(key: uuid.UUID) -> None:
        try:
            coach = Person.objects.get(pk=coach_id)
            goal = Goal.objects.get(pk=goal_id)
            template = CycleTemplate.objects.get(network=None, name="Impact Cycle")
            barrier.wait()
            results.append(cycles.cycle_start(actor=coach, goal=goal, template=template,
                                              idempotency_key=key))
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=starter, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between "no cycle under way" and the insert, where a race bites."""
    original = cycles._cycle_under_way

    def slow(goal_id):
        found = original(goal_id)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(cycles, "_cycle_under_way", slow)


@pytest.fixture
def race_world(db):
    f.built_in_support_kinds()
    install_starter()
    cast = build_cast()
    return cast, a_goal(cast.coach, [cast.teacher])


@pytest.mark.django_db(transaction=True)
def test_two_tabs_starting_a_cycle_at_once_start_one(race_world, slow_check):
    cast, goal = race_world

    results, errors = _race(goal.pk, cast.coach.pk, [uuid.uuid4() for _ in range(4)])

    cycle = Cycle.objects.get(goal=goal)
    assert [result.pk for result in results] == [cycle.pk]
    assert len(errors) == 3
    assert all(isinstance(error, cycles.CycleUnderWay) for error in errors)
    assert {error.cycle.pk for error in errors} == {cycle.pk}
    assert cycle.stages.count() == 3
    assert ActivityEntry.objects.filter(action="cycle.start").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_reaching_two_workers_at_once_starts_one(race_world, slow_check):
    cast, goal = race_world
    key = uuid.uuid4()

    results, errors = _race(goal.pk, cast.coach.pk, [key, key])

    cycle = Cycle.objects.get(goal=goal)
    assert errors == []
    assert [result.pk for result in results] == [cycle.pk, cycle.pk]
    assert ActivityEntry.objects.filter(action="cycle.start").count() == 1
