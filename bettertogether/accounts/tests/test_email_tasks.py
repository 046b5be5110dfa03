"""The sign-in emails are queued by id and built in the worker, where their links are made.

The queue's rows are kept in the database and shown in the support admin, so these tests
read the rows the real database backend writes, and run them as `task_worker` does.
"""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from bettertogether.accounts import services
from bettertogether.accounts.models import Invitation, token_digest
from bettertogether.accounts.tasks import send_invitation_email, send_password_reset_email
from bettertogether.accounts.tests.support import link_token
from bettertogether.directory.models import Role


def _queued() -> list[tuple[str, dict]]:
    return [(row.task_path.rsplit(".", 1)[1], row.args_kwargs)
            for row in DBTaskResult.objects.order_by("enqueued_at")]


def _invite(cast, **overrides) -> Invitation:
    kwargs = {"actor": cast.admin, "email": "nia@example.org", "full_name": "Nia New",
              "organisation": cast.school, "role": Role.TEACHER, **overrides}
    return services.invitation_send(**kwargs)


def _finished() -> list[tuple[str, object]]:
    return list(DBTaskResult.objects.order_by("enqueued_at").values_list("status",
                                                                         "return_value"))


# --- what the queue keeps ---------------------------------------------------------------


def test_invitation_send_queues_the_invitation_id_only(cast, task_queue, transactional_db):
    invitation = _invite(cast)

    assert _queued() == [("send_invitation_email",
                          {"args": [], "kwargs": {"invitation_id": invitation.pk}})]
    invitation.refresh_from_db()
    assert invitation.token_hash is None  # no link exists until the worker sends one
    assert mail.outbox == []

    task_queue.run()

    [message] = mail.outbox
    token = link_token(message.body)
    invitation.refresh_from_db()
    assert invitation.token_hash == token_digest(token)
    assert _finished() == [("SUCCESSFUL", True)]
    assert token not in str(DBTaskResult.objects.values_list("args_kwargs", "return_value",
                                                             "traceback"))


def test_password_reset_queues_the_person_id_only(cast, task_queue, transactional_db):
    response = Client().post(reverse("accounts:password_reset"),
                             {"email": cast.teacher.email})

    assert response.status_code == 302
    assert _queued() == [("send_password_reset_email",
                          {"args": [], "kwargs": {"person_id": cast.teacher.pk}})]
    assert mail.outbox == []

    task_queue.run()

    [message] = mail.outbox
    assert message.to == [cast.teacher.email]
    uid = urlsafe_base64_encode(force_bytes(cast.teacher.pk))
    assert f"/accounts/password/reset/{uid}/" in message.body
    assert _finished() == [("SUCCESSFUL", True)]


# --- an invitation task that runs late, or twice ----------------------------------------


def test_invitation_task_run_twice_sends_one_email_whose_link_works(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(cast)  # the immediate backend sends it after the commit

    assert send_invitation_email.call(invitation_id=invitation.pk) is False

    [message] = mail.outbox
    response = Client().get(reverse("accounts:invitation_accept",
                                    args=[link_token(message.body)]))
    assert response.status_code == 200


def test_invitation_sent_twice_before_the_worker_ran_is_emailed_once(
    cast, task_queue, transactional_db
):
    invitation = _invite(cast)
    services.invitation_resend(actor=cast.admin, invitation=invitation)

    task_queue.run()

    [message] = mail.outbox
    assert services.invitation_find(token=link_token(message.body)).pk == invitation.pk
    assert _finished() == [("SUCCESSFUL", True), ("SUCCESSFUL", False)]


def test_invitation_resent_after_the_worker_ran_gets_a_new_link(
    cast, task_queue, transactional_db
):
    invitation = _invite(cast)
    task_queue.run()
    services.invitation_resend(actor=cast.admin, invitation=invitation)

    task_queue.run()

    first, second = (link_token(m.body) for m in mail.outbox)
    assert services.invitation_find(token=first) is None
    assert services.invitation_find(token=second).pk == invitation.pk


def test_invitation_withdrawn_before_the_worker_ran_sends_nothing(
    cast, task_queue, transactional_db
):
    invitation = _invite(cast)
    services.invitation_revoke(actor=cast.admin, invitation=invitation)

    task_queue.run()

    assert mail.outbox == []
    invitation.refresh_from_db()
    assert (invitation.status, invitation.token_hash) == (Invitation.Status.REVOKED, None)
    assert _finished() == [("SUCCESSFUL", False)]


def test_invitation_accepted_before_the_worker_ran_sends_nothing(
    cast, task_queue, transactional_db
):
    invitation = _invite(cast)
    services.invitations_accept_by_email(email="nia@example.org")  # single sign-on

    task_queue.run()

    assert mail.outbox == []
    invitation.refresh_from_db()
    assert (invitation.status, invitation.token_hash) == (Invitation.Status.ACCEPTED, None)


def test_invitation_expired_before_the_worker_ran_sends_nothing(
    cast, task_queue, transactional_db
):
    invitation = _invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))

    task_queue.run()

    assert mail.outbox == []


def test_invitation_email_that_fails_issues_no_link(cast, settings):
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2}}}
    invitation = _invite(cast)  # queued after a commit that never comes in this test

    with pytest.raises(OSError):
        services.invitation_link_send(invitation_id=invitation.pk)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.token_hash) == (Invitation.Status.PENDING, None)


def _closed_port() -> int:
    """A loopback port nobody listens on: bound for a moment, then released."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- a password reset whose person changed meanwhile ------------------------------------


def test_password_reset_task_for_a_switched_off_person_sends_nothing(cast):
    cast.teacher.is_active = False
    cast.teacher.save(update_fields=["is_active"])

    assert send_password_reset_email.call(person_id=cast.teacher.pk) is False
    assert mail.outbox == []


def test_password_reset_task_for_a_person_without_password_sends_nothing(cast):
    cast.teacher.set_unusable_password()
    cast.teacher.save(update_fields=["password"])

    assert send_password_reset_email.call(person_id=cast.teacher.pk) is False
    assert mail.outbox == []


def test_password_reset_task_link_works_once_made(cast):
    assert send_password_reset_email.call(person_id=cast.teacher.pk) is True

    [message] = mail.outbox
    start = message.body.index("/accounts/password/reset/")
    link = message.body[start:].split()[0]
    response = Client().get(link, follow=True)
    assert response.templates[0].name == "accounts/password_reset_confirm.html"
    assert response.context["validlink"] is True


# --- the rows the old email task left ---------------------------------------------------


def test_purge_migration_deletes_every_row_of_the_old_email_task(db):
    purge = importlib.import_module(
        "bettertogether.accounts.migrations.0003_purge_email_task_results")
    body = "Choose a new password here: https://coaching.example.org/accounts/password/reset/"
    old = [DBTaskResult.objects.create(
        task_path=purge.OLD_EMAIL_TASK, backend_name="default", run_after=timezone.now(),
        status=status, args_kwargs={"args": [], "kwargs": {"to": "t@example.org",
                                                            "subject": "Reset", "text": body}},
    ) for status in ("SUCCESSFUL", "FAILED", "READY")]
    kept = DBTaskResult.objects.create(
        task_path="bettertogether.accounts.tasks.send_invitation_email",
        backend_name="default", run_after=timezone.now(),
        args_kwargs={"args": [], "kwargs": {"invitation_id": 1}})

    purge.purge_email_task_results(django_apps, schema_editor=None)

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(old) == 3
