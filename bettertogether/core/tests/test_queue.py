"""A task is queued in the transaction of the write that calls for it (`core/queue.py`).

Queued on commit, in a second step, a database restart between the commit and that step
kept the write and lost its task (an email never sent, a PDF "in the queue" for ever). With
the database queue the task's row is part of the write's own transaction: there while it
is open, gone if it rolls back.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send
from bettertogether.reports import pdf_services, selectors


class RolledBack(Exception):
    pass


def _tasks() -> list[tuple[str, dict]]:
    return [(path.rsplit(".", 1)[1], kwargs["kwargs"]) for path, kwargs in
            DBTaskResult.objects.order_by("enqueued_at").values_list("task_path",
                                                                    "args_kwargs")]


def _notify(cast) -> Notification:
    return notification_send(recipient=cast.coach, kind=Notification.Kind.REQUEST_NEW,
                             title="Tess Teacher asked for Co-planning", url="/requests/1/")


def test_notification_email_is_queued_inside_the_notifications_transaction(cast, task_queue):
    with transaction.atomic():
        notification = _notify(cast)
        # Before the commit: the same transaction holds the task.
        assert _tasks() == [("send_notification_email", {"notification_id": notification.pk})]


def test_notification_rolled_back_leaves_no_task(cast, task_queue):
    with pytest.raises(RolledBack), transaction.atomic():
        _notify(cast)
        raise RolledBack

    assert (Notification.objects.count(), _tasks()) == (0, [])


def test_pdf_is_queued_inside_the_exports_transaction(cast, task_queue):
    scope = selectors.scope_for_school(actor=cast.leader, pk=cast.school.pk)
    with transaction.atomic():
        export = pdf_services.pdf_request(actor=cast.leader, scope=scope,
                                          filters=selectors.filters_default(scope),
                                          idempotency_key=uuid.uuid4())
        assert _tasks() == [("build_report_pdf", {"export_id": export.pk})]


def test_other_backends_still_run_the_task_on_commit(cast, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    # The tests' immediate backend: nothing runs before the commit.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(cast)

    assert (len(callbacks), mailoutbox) == (1, [])
