"""Reads of notifications. A notification is its recipient's alone: anyone else, 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Delivery, Notification, NotificationPreference
from .rules import is_recipient, recipient_q


def notifications_for(*, actor) -> QuerySet[Notification]:
    """The actor's own notifications, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_q(actor)).order_by("-created_at", "-id")


def unread_count(*, actor) -> int:
    """How many of the actor's notifications are unread: one query."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_q(actor), read_at__isnull=True).count()


def notification_get_for(*, actor, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None or not is_recipient.test(actor, notification):
        raise Http404
    return notification


def delivery_for(*, person) -> str:
    """The person's choice, or the default when they never chose (no row is created)."""
    chosen = (
        NotificationPreference.objects.filter(person_id=person.pk)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or NotificationPreference.DEFAULT


def digest_recipient_ids(*, until) -> list[int]:
    """Active people on the daily digest with a notification not yet emailed."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=until,
            recipient__is_active=True,
            recipient__notification_preference__delivery=Delivery.DIGEST,
        )
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
