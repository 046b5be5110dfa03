"""The real database task queue, for tests that must see what it keeps.

Tests run tasks at once by default (Django's immediate backend, set in the root conftest).
A test that asks for `task_queue` gets the production backend instead, django-tasks-db:
each enqueued task becomes a row, as in production, and `task_queue.run()` works the
queue until it is empty, exactly as `manage.py task_worker` does.

The worker opens and commits its own transactions, so such a test needs committed data:
ask for `transactional_db` (or a live server) as well.
"""

from __future__ import annotations

import logging
import signal

import pytest
from django.core.management import call_command

WORKER_LOGGERS = ("django.tasks", "django_tasks_db", "bettertogether.worker")
WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class TaskQueue:
    def run(self) -> None:
        """Run every queued task, then give the test back what the worker changed.

        The worker installs its own Ctrl+C handlers and sets its loggers' levels; both
        are restored, so the rest of the session behaves as before.
        """
        handlers = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
        levels = {name: logging.getLogger(name).level for name in WORKER_LOGGERS}
        try:
            call_command("task_worker", batch=True, startup_delay=False, reload=False,
                         verbosity=0)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)


@pytest.fixture
def task_queue(settings) -> TaskQueue:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return TaskQueue()
