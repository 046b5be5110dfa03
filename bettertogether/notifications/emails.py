"""The two emails: one notification, and the daily digest of several.

An email says what a notification holds — its kind, its title and a link — and how to
change the preference; nothing a person wrote. It speaks the terminology of the network
and tells its time, with the zone named (`directory.localisation.localised` with the
network's language and zone), as every email of the product does.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from bettertogether.directory.localisation import (
    Localisation,
    default_localisation,
    localisation_of,
    localised,
)
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.moments import moment_text
from bettertogether.directory.scope import scope_for

from .models import Delivery, Notification


def localisation_of_network(*, network_id: int | None) -> Localisation:
    """The network's language and zone, or the product's for someone without a network."""
    if network_id is None:
        return default_localisation()
    return localisation_of(Organisation.objects.filter(pk=network_id)
                           .only("locale", "time_zone").first())


def _item(notification: Notification) -> dict:
    return {
        "kind": notification.get_kind_display(),
        "title": notification.title,
        "when": moment_text(notification.created_at, with_zone=True),
        "link": settings.SITE_URL + notification.url,
    }


def message_id(notification: Notification) -> str:
    """The notification email's Message-ID: the same every time that notification is sent.

    The worker marks a notification emailed in the transaction that sends it; a worker
    killed after the mail server took the email and before that commit sends it again
    when the task runs again (`core/worker.py`). Sent with the same Message-ID, the second
    copy is the same message to mail servers and clients (RFC 5322), which show it once.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}-{int(notification.created_at.timestamp())}@{host}>"


def _message(*, person: Person, subject: str, template: str, context: dict,
             headers: dict | None = None) -> EmailMultiAlternatives:
    context = {
        **context,
        "person": person,
        "language": translation.get_language(),
        "settings_link": settings.SITE_URL + reverse("notifications:settings"),
        "list_link": settings.SITE_URL + reverse("notifications:list"),
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=str(subject), body=text, to=[person.email],
                                     headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    """The email of one notification, for someone who chose to hear immediately."""
    person = notification.recipient
    with localised(localisation_of_network(network_id=notification.network_id)):
        return _message(
            person=person,
            subject=notification.title,
            template="notifications/email/notification",
            context={"item": _item(notification), "delivery": Delivery.IMMEDIATE},
            headers={"Message-ID": message_id(notification)},
        )


def digest_message(person: Person, notifications: Sequence[Notification]
                   ) -> EmailMultiAlternatives:
    """One email listing every notification given, oldest first."""
    network_id = scope_for(person).primary_network_id
    with localised(localisation_of_network(network_id=network_id)):
        count = len(notifications)
        subject = ngettext(
            "Better Together: %(count)s new notification",
            "Better Together: %(count)s new notifications",
            count,
        ) % {"count": count}
        return _message(
            person=person,
            subject=subject,
            template="notifications/email/digest",
            context={"items": [_item(n) for n in notifications], "count": count,
                     "delivery": Delivery.DIGEST},
        )
