"""The two sign-in emails: an invitation and a password reset.

Both carry a link that works as a key, so both are built by the background worker at the
moment it sends them (`tasks.py`), from ids: the link's secret exists only in the email
itself, never in the queue's rows, a log line or a page that support staff can read. Each
speaks the terminology of the recipient's organisation (`translation.override`); the
invitation also gives its expiry day in the organisation's time zone (`in_organisation`),
since the worker has no request to take a zone from.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from bettertogether.directory.localisation import in_organisation
from bettertogether.directory.models import Organisation, Person

from .models import Invitation


def _message(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=str(subject), body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def invitation_message(invitation: Invitation, *, token: str) -> EmailMultiAlternatives:
    """The invitation email, its link made from `token` (which the caller has just issued)."""
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
    with in_organisation(invitation.organisation):
        return _message(
            to=invitation.email,
            subject=_("You are invited to Better Together at %(org)s")
            % {"org": invitation.organisation.name},
            template="accounts/email/invitation",
            context={
                "invitation": invitation,
                "role": invitation.get_role_display(),
                "link": link,
                "inviter": invitation.invited_by,
                "expires_at": invitation.expires_at,
            },
        )


def locale_of_person(person: Person) -> str:
    """The locale of the person's first network, or the product's for someone without one."""
    network = (
        Organisation.objects.filter(pk__in=person.memberships.values("network_id"))
        .order_by("pk")
        .only("locale")
        .first()
    )
    return network.locale if network else settings.LANGUAGE_CODE


def password_reset_message(person: Person) -> EmailMultiAlternatives:
    """The password-reset email, with a link whose token is made now, for this person.

    Django's token generator signs the person's password hash and last sign-in, so the
    link stops working once it has been used or the password changed another way.
    """
    token = default_token_generator.make_token(person)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    with translation.override(locale_of_person(person)):
        return _message(
            to=person.email,
            subject=_("Reset your Better Together password"),
            template="accounts/email/password_reset",
            context={"person": person, "link": link},
        )
