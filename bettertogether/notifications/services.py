"""Writes of notifications: sending one, reading them, choosing how to hear, the digest.

`notification_send` is what other apps call when something happens that concerns someone.
It has no actor: the calling service already checked who may do what, and the notification
is that service's side effect, written in its transaction.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.core.queue import enqueue_on_commit
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.scope import scope_for

from . import selectors
from .emails import digest_message
from .models import TITLE_MAX_LENGTH, Delivery, Notification, NotificationPreference
from .rules import recipient_q
from .tasks import send_notification_email

logger = logging.getLogger(__name__)


def _short_title(title: str) -> str:
    """One line (an email subject cannot hold a line break), at most 200 characters."""
    line = " ".join(title.split())
    if len(line) > TITLE_MAX_LENGTH:
        line = line[: TITLE_MAX_LENGTH - 1].rstrip() + "…"
    return line


def _network_id_of(recipient: Person, network: Organisation | None) -> int | None:
    if network is not None:
        return network.network_root_id
    return scope_for(recipient).primary_network_id


@transaction.atomic
def notification_send(
    *,
    recipient: Person,
    kind: str,
    title: str,
    url: str,
    network: Organisation | None = None,
    dedupe_key: str = "",
) -> Notification | None:
    """Notify `recipient`; email them now if that is their choice (after commit).

    `title` is written by the calling code from metadata only, never from a person's own
    words. Returns None, doing nothing, for a switched-off recipient or when a notification
    with the same `dedupe_key` was already sent to them.
    """
    if not recipient.is_active:
        return None
    if kind not in Notification.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of notification: {kind!r}."})
    dedupe_key = dedupe_key.strip()
    if dedupe_key and Notification.objects.filter(recipient=recipient,
                                                  dedupe_key=dedupe_key).exists():
        return None
    notification = Notification(
        recipient=recipient, network_id=_network_id_of(recipient, network), kind=kind,
        title=_short_title(title), url=url, dedupe_key=dedupe_key,
    )
    notification.full_clean(exclude=["recipient", "network"], validate_unique=False,
                            validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if dedupe_key:
            return None  # the same reminder, sent a moment ago by a job running alongside
        raise
    if selectors.delivery_for(person=recipient) == Delivery.IMMEDIATE:
        pk = notification.pk
        enqueue_on_commit(send_notification_email, notification_id=pk)
    return notification


@transaction.atomic
def notification_withdraw(*, recipient: Person, dedupe_key: str) -> int:
    """Take back what was sent with `dedupe_key` once its page no longer opens for the
    recipient (a report snapshot withdrawn): it leaves their list, and a digest not yet
    sent leaves it out, so nothing links them to a page that answers "not found"."""
    dedupe_key = dedupe_key.strip()
    if not dedupe_key:
        return 0
    deleted, _rows = Notification.objects.filter(recipient_id=recipient.pk,
                                                 dedupe_key=dedupe_key).delete()
    return deleted


def _require_person(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("Only a signed-in person has notifications.")


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None) -> int:
    """Mark the actor's notifications read: those of `ids`, or all of them for None.

    Ids of anyone else's notifications change nothing. Returns how many changed. Reading is
    the person's own business: no activity entry.
    """
    _require_person(actor)
    unread = Notification.objects.filter(recipient_q(actor), read_at__isnull=True)
    if ids is not None:
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise ValidationError(_("Choose notifications from the list."))
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_update(*, actor, delivery: str) -> NotificationPreference:
    """The actor chooses how they hear about notifications: now, daily, or in the app."""
    _require_person(actor)
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose one of the three ways.")})
    preference, created = NotificationPreference.objects.select_for_update().get_or_create(
        person=actor, defaults={"delivery": delivery})
    if not created and preference.delivery == delivery:
        return preference
    preference.delivery = delivery
    preference.updated_at = timezone.now()
    preference.full_clean(exclude=["person"])
    preference.save(update_fields=["delivery", "updated_at"])
    network_id = scope_for(actor).primary_network_id
    activity_record(
        actor=actor, action="notification_preference.update", target=preference,
        organisation=Organisation.objects.get(pk=network_id) if network_id else None,
        label=str(Delivery(delivery).label), details={"fields": ["delivery"], "kind": delivery},
    )
    return preference


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send each person on the daily digest one email of everything not yet emailed.

    Each person's notifications are locked, emailed and marked in one transaction, so a
    second run (or an immediate email racing it) finds them emailed and sends nothing.
    One person's failed email does not stop the others'. Returns how many emails went out.
    """
    now = now or timezone.now()
    sent = 0
    for person_id in selectors.digest_recipient_ids(until=now):
        try:
            if _digest_send_one(person_id=person_id, now=now):
                sent += 1
        except Exception:
            logger.exception("The daily digest to person %s failed.", person_id)
    return sent


@transaction.atomic
def _digest_send_one(*, person_id: int, now: datetime.datetime) -> bool:
    notifications = list(
        Notification.objects.select_for_update()
        .filter(recipient_id=person_id, emailed_at__isnull=True, created_at__lte=now)
        .order_by("created_at", "id")
    )
    if not notifications:
        return False
    person = Person.objects.get(pk=person_id)
    digest_message(person, notifications).send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
    return True
