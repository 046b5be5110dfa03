"""Queuing a task as part of the write that calls for it.

A service that sends an email or builds a PDF queues a task for after its transaction
commits: never for a write that rolled back. Queued with `transaction.on_commit`, the task
was written in a second, separate step after the commit, so a database that went away
between the two (a restart, a fail-over) kept the write and lost its task — a notification
never emailed, a PDF "in the queue" for ever — and failed the request after its work was
done.

`enqueue_on_commit` keeps the promise without that gap. With the database queue
(django-tasks-db, production's) the task's row is written now, in the same transaction as
the write: both are committed, or neither, and the worker sees the task only once the write
is there. Any other backend (the tests' immediate one) is called on commit, as before.
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.tasks import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_on_commit(task: Task, /, **kwargs) -> None:
    """Queue `task(**kwargs)` to run once the current transaction has committed."""
    same_database = router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    if isinstance(task.get_backend(), DatabaseBackend) and same_database:
        task.enqueue(**kwargs)  # in the write's own transaction
        return
    transaction.on_commit(functools.partial(task.enqueue, **kwargs))
