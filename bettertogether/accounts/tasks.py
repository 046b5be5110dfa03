"""Background work of the accounts app: sending the sign-in emails.

A task is queued with ids only. The queue keeps each task's arguments and result in the
database, where support staff can read them, so the link of an invitation or a password
reset is made here, in the worker, at the moment the email goes out (`emails.py`). The
tasks return only whether an email was sent.
"""

from django.tasks import task

from bettertogether.directory.models import Person

from .emails import password_reset_message


@task()
def send_invitation_email(*, invitation_id: int) -> bool:
    """Issue the invitation's link and email it, unless that was done or is no longer due."""
    # Imported here: the services import this module to queue the task.
    from .services import invitation_link_send

    return invitation_link_send(invitation_id=invitation_id)


@task()
def send_password_reset_email(*, person_id: int) -> bool:
    """Email a password-reset link, made now, to a person who may still use a password.

    Someone switched off, or left without a password, since the request was queued is not
    emailed.
    """
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.has_usable_password():
        return False
    password_reset_message(person).send()
    return True
