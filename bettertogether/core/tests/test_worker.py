"""The task worker loses no task: not to a worker killed mid-task, not to the database going
away under it or under the task (`core/worker.py`).

A worker's death is played by a connection of its own that claims a task as a worker does
(the task's lock taken, the row marked RUNNING) and then closes, as the connection of a
killed process does. The worker runs in this process, in batch mode, as `task_queue` runs
it; the rows it reads must be committed, so these tests use `transactional_db`.
"""

from __future__ import annotations

import datetime

import psycopg
import pytest
from django.db import OperationalError, connection
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from bettertogether.core import worker

RUNS: list[str] = []


@task()
def note_run(*, name: str) -> str:
    RUNS.append(name)
    return name


@task()
def database_fails_once(*, name: str) -> str:
    RUNS.append(name)
    if RUNS.count(name) == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return name


@task()
def database_always_fails(*, name: str) -> None:
    RUNS.append(name)
    raise OperationalError("terminating connection due to administrator command")


@task()
def breaks(*, name: str) -> None:
    RUNS.append(name)
    raise ValueError("a mistake of the task's own")


@pytest.fixture(autouse=True)
def _runs(monkeypatch):
    RUNS.clear()
    monkeypatch.setattr(worker, "retry_pause", lambda attempt: datetime.timedelta(0))
    monkeypatch.setattr(worker, "RECONNECT_AFTER", 0)
    yield
    RUNS.clear()


def _row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="a worker's liveness is a PostgreSQL advisory lock")


def _other_worker():
    """A connection of its own to the test database, as another worker process has."""
    settings = connection.settings_dict
    return psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                           password=settings["PASSWORD"] or None,
                           host=settings["HOST"] or None, port=settings["PORT"] or None,
                           autocommit=True)


def _claim_as(other, result, worker_id: str = "the-dead-one") -> None:
    """What a worker does when it claims a task: its lock, then the row marked RUNNING."""
    other.execute("SELECT pg_advisory_lock(%s, hashtext(%s))",
                  [worker.LOCK_SPACE, str(result.id)])
    other.execute("UPDATE django_tasks_database_dbtaskresult SET status = 'RUNNING', "
                  "started_at = now(), worker_ids = %s::jsonb WHERE id = %s",
                  [f'["{worker_id}"]', str(result.id)])


# --- a worker that died ----------------------------------------------------------------------


@postgres_only
def test_task_of_a_worker_that_died_runs_again(task_queue, transactional_db):
    result = note_run.enqueue(name="pdf")
    dead = _other_worker()
    _claim_as(dead, result)
    dead.close()  # kill -9: the process, its connection and its lock are gone

    task_queue.run()

    row = _row(result)
    assert (row.status, row.return_value, RUNS) == ("SUCCESSFUL", "pdf", ["pdf"])
    assert row.worker_ids[0] == "the-dead-one" and len(row.worker_ids) == 2


@postgres_only
def test_task_of_a_worker_still_running_it_is_left_alone(task_queue, transactional_db):
    result = note_run.enqueue(name="pdf")
    alive = _other_worker()
    _claim_as(alive, result, "the-live-one")
    try:
        task_queue.run()

        assert (_row(result).status, RUNS) == ("RUNNING", [])
    finally:
        alive.close()

    task_queue.run()

    assert (_row(result).status, RUNS) == ("SUCCESSFUL", ["pdf"])


@postgres_only
def test_task_whose_worker_died_every_time_is_failed_not_run_for_ever(task_queue,
                                                                     transactional_db):
    result = note_run.enqueue(name="poison")
    dead = _other_worker()
    _claim_as(dead, result)
    dead.execute("UPDATE django_tasks_database_dbtaskresult SET worker_ids = %s::jsonb "
                 "WHERE id = %s", ['["a", "b", "c", "d", "e"]', str(result.id)])
    dead.close()

    assert worker.recover_abandoned() == []

    row = _row(result)
    assert row.status == "FAILED"
    assert row.exception_class_path == "bettertogether.core.worker.WorkerLost"
    assert row.traceback == "Its worker stopped under it 5 times."


@postgres_only
def test_worker_releases_the_lock_of_each_task_it_ran(task_queue, transactional_db):
    result = note_run.enqueue(name="email")

    task_queue.run()

    other = _other_worker()
    try:
        taken = other.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                              [worker.LOCK_SPACE, str(result.id)]).fetchone()[0]
    finally:
        other.close()
    assert taken is True


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no advisory locks")
def test_on_sqlite_no_running_task_is_taken_from_its_worker(task_queue, transactional_db):
    result = note_run.enqueue(name="pdf")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=["w"])

    assert worker.recover_abandoned() == []
    assert _row(result).status == "RUNNING"


# --- the database going away -----------------------------------------------------------------


def test_task_that_met_a_database_error_runs_again(task_queue, transactional_db):
    result = database_fails_once.enqueue(name="email")

    task_queue.run()

    row = _row(result)
    assert (row.status, row.return_value, RUNS) == ("SUCCESSFUL", "email", ["email", "email"])
    assert len(row.worker_ids) == 2


def test_task_that_keeps_meeting_database_errors_fails_after_the_last_attempt(
        task_queue, transactional_db):
    result = database_always_fails.enqueue(name="email")

    task_queue.run()

    row = _row(result)
    assert (row.status, len(RUNS)) == ("FAILED", worker.MAX_ATTEMPTS)
    assert row.exception_class_path == "django.db.utils.OperationalError"


def test_task_that_breaks_by_itself_is_not_run_again(task_queue, transactional_db):
    result = breaks.enqueue(name="import")

    task_queue.run()

    assert (_row(result).status, RUNS) == ("FAILED", ["import"])


def test_task_that_met_a_database_error_waits_before_its_next_run(task_queue, transactional_db,
                                                                 monkeypatch):
    monkeypatch.undo()  # the real pause
    result = database_fails_once.enqueue(name="email")
    row = _row(result)
    row.claim("w1")
    row.set_failed(OperationalError("the connection is closed"))
    before = datetime.datetime.now(datetime.UTC)

    assert worker.retry_if_database_failed(row) is True

    row = _row(result)
    assert row.status == "READY"
    assert before + datetime.timedelta(seconds=4) < row.run_after
    assert row.run_after < before + datetime.timedelta(seconds=6)
    assert worker.retry_pause(3) == datetime.timedelta(seconds=20)
    assert worker.retry_pause(9) == datetime.timedelta(seconds=60)


def test_worker_outlives_the_database_going_away(task_queue, transactional_db, monkeypatch):
    result = note_run.enqueue(name="email")
    real = worker.Worker._claim_next
    calls = []

    def down_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("could not connect to server: Connection refused")
        return real(self)

    monkeypatch.setattr(worker.Worker, "_claim_next", down_once)

    task_queue.run()

    assert (_row(result).status, RUNS) == ("SUCCESSFUL", ["email"])
    assert len(calls) >= 2
