"""The task worker (`manage.py task_worker`): django-tasks-db's worker, made to lose no task.

django-tasks-db marks a task RUNNING when a worker claims it, and SUCCESSFUL or FAILED when
the worker is done with it. Three faults used to leave a task behind for good:

- **A worker killed mid-task** (kill -9, out of memory, a host going down): its task stays
  RUNNING and nothing ever runs it again — a report's PDF "being built" for ever.
- **The database going away** (a restart, a fail-over): the worker's loop raised and the
  worker exited, its task left RUNNING.
- **A task failing because the database went away** under it: FAILED for good, though
  nothing was wrong with the task.

This worker adds three things to django-tasks-db's:

- While it runs a task it holds a PostgreSQL advisory lock named after the task, taken in
  the very transaction that claims it. A worker that dies loses its connection, and with it
  the lock. When it starts, and every `RECOVER_EVERY` seconds between tasks, a worker puts
  back in the queue every RUNNING task whose lock nobody holds: its worker is gone.
- An error of the database itself (`OperationalError`, `InterfaceError`) never ends the
  worker: it closes its connections, waits `RECONNECT_AFTER` seconds and carries on.
- A task that failed with such an error runs again after a pause (`retry_pause`), up to
  `MAX_ATTEMPTS` runs in all; any other failure stays a failure.

So a task may run more than once, and every task of the product is written for that: it
reads the state again and does nothing already done (an email already sent, a PDF already
built). SQLite has no advisory locks: there the worker does not recover other workers' tasks
(run one worker on SQLite, which is for trying the product out), but it still outlives a
database error and retries the task it hit.
"""

from __future__ import annotations

import datetime
import logging
import random
import time

from django.db import InterfaceError, OperationalError, connections, router, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("bettertogether.worker")

# The errors of the database itself, not of a task's data: the connection went away,
# PostgreSQL is restarting, a deadlock was broken. Worth another try.
DATABASE_DOWN = (OperationalError, InterfaceError)
DATABASE_DOWN_PATHS = frozenset(f"{error.__module__}.{error.__qualname__}"
                                for error in DATABASE_DOWN)

LOCK_SPACE = 6_000_010  # the advisory locks of running tasks (coaching's tallies use 6_000_00x)
RECOVER_EVERY = 30.0  # seconds between two looks for tasks abandoned by a dead worker
RECONNECT_AFTER = 2.0  # seconds to wait after a database error before trying again
MAX_ATTEMPTS = 5  # runs of one task, in all, when its worker or the database keeps failing


class WorkerLost(Exception):
    """What a task is failed with when its worker died under it `MAX_ATTEMPTS` times (a
    task that kills its worker every time is not run for ever)."""


def retry_pause(attempt: int) -> datetime.timedelta:
    """How long a task that met a database error waits before its next run."""
    return datetime.timedelta(seconds=min(60, 5 * 2 ** (attempt - 1)))


def _locks(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def _hold(task_id, using: str) -> None:
    """Take the task's lock for this connection's session (released by `_release`, or by
    PostgreSQL when the connection ends)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [LOCK_SPACE, str(task_id)])


def _release(task_id, using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                       [LOCK_SPACE, str(task_id)])


def recover_abandoned(*, using: str | None = None) -> list[str]:
    """Put back in the queue every RUNNING task whose worker is gone (nobody holds its
    lock); the ids of those put back. One that has been run `MAX_ATTEMPTS` times is failed
    instead. PostgreSQL only."""
    using = using or router.db_for_write(DBTaskResult)
    if not _locks(using):
        return []
    recovered = []
    running = DBTaskResult.objects.using(using).filter(status=TaskResultStatus.RUNNING)
    for task_id, worker_ids in running.values_list("pk", "worker_ids"):
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                           [LOCK_SPACE, str(task_id)])
            if not cursor.fetchone()[0]:
                continue  # its worker is alive and running it
        try:
            still = DBTaskResult.objects.using(using).filter(
                pk=task_id, status=TaskResultStatus.RUNNING)
            if len(worker_ids) >= MAX_ATTEMPTS:
                still.update(
                    status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                    exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
                    traceback=f"Its worker stopped under it {len(worker_ids)} times.")
                logger.error("Task %s lost its worker %d times; failed.", task_id,
                             len(worker_ids))
            elif still.update(status=TaskResultStatus.READY, started_at=None):
                recovered.append(str(task_id))
        finally:
            _release(task_id, using)
    if recovered:
        logger.warning("Put back in the queue %d task(s) whose worker is gone: %s",
                       len(recovered), ", ".join(recovered))
    return recovered


def retry_if_database_failed(row: DBTaskResult) -> bool:
    """A task that failed with a database error goes back in the queue, after a pause,
    unless it has run `MAX_ATTEMPTS` times. True when it was put back."""
    if (row.status != TaskResultStatus.FAILED
            or row.exception_class_path not in DATABASE_DOWN_PATHS):
        return False
    attempts = len(row.worker_ids)
    if attempts >= MAX_ATTEMPTS:
        logger.error("Task %s failed with a database error %d times; left failed.",
                     row.pk, attempts)
        return False
    run_after = timezone.now() + retry_pause(attempts)
    DBTaskResult.objects.using(row._state.db).filter(
        pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, started_at=None, finished_at=None)
    logger.warning("Task %s met a database error (run %d of %d); it runs again at %s.",
                   row.pk, attempts, MAX_ATTEMPTS, run_after.isoformat(timespec="seconds"))
    return True


class Worker(DatabaseWorker):
    """django-tasks-db's worker with its loop written again around the three additions;
    running a task itself (`run_task`) is django-tasks-db's."""

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id,
                    ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spreads workers started together)
        self._recovered_at = None
        while self.running:
            try:
                task_result, looked = self._claim_next()
            except DATABASE_DOWN as error:
                self._database_down(error)
                continue
            if task_result is not None:
                self._run(task_result)
            elif self.batch and looked:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.",
                            self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                            self._run_tasks, self.worker_id)
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _queue(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def _claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready task, claimed (and locked) by this worker; and whether the queue
        could be read at all."""
        # Dropped and expired connections are replaced here, as between two requests.
        transaction.get_connection().close_if_unusable_or_obsolete()
        tasks = self._queue()
        due = self._recovered_at is None or (
            time.monotonic() - self._recovered_at >= RECOVER_EVERY)
        if due:
            recover_abandoned(using=tasks.db)
            self._recovered_at = time.monotonic()
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
            except OperationalError as error:
                if is_locked_database_exception(error):  # SQLite busy: try again soon
                    return None, False
                raise
            if task_result is not None:
                if _locks(tasks.db):
                    _hold(task_result.pk, tasks.db)
                task_result.claim(self.worker_id)
        return task_result, True

    def _run(self, task_result: DBTaskResult) -> None:
        using = task_result._state.db or router.db_for_write(DBTaskResult)
        try:
            self.run_task(task_result)
        except DATABASE_DOWN as error:
            # The task ended but its outcome could not be written: its row is still
            # RUNNING, and its lock went with the connection, so it is put back in the
            # queue once the database answers again.
            self._database_down(error)
            return
        try:
            retry_if_database_failed(task_result)
            if _locks(using):
                _release(task_result.pk, using)
        except DATABASE_DOWN as error:
            self._database_down(error)

    def _database_down(self, error: BaseException) -> None:
        logger.warning("The database did not answer (%s: %s); trying again in %g s.",
                       type(error).__name__, str(error).strip()[:200], RECONNECT_AFTER)
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DATABASE_DOWN:
                connection.connection = None
        self._recovered_at = None  # look for this worker's own task once it is back
        if self.running:
            time.sleep(RECONNECT_AFTER)

