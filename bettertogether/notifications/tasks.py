"""Background work of notifications: one email now, or the daily digests."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .emails import notification_message
from .models import Delivery, Notification
from .selectors import delivery_for


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """Email one notification, once: a notification already emailed is not sent again.

    The row stays locked while the email goes out, so a digest running at the same moment
    waits and then finds it emailed. The choice is read again here: someone who switched
    to the digest or to the app only since it was queued is not emailed now.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.is_active:
            return False
        if delivery_for(person=notification.recipient) != Delivery.IMMEDIATE:
            return False
        notification_message(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@task()
def send_digests() -> int:
    """The daily digest as a task (the same work as `manage.py send_digests`)."""
    # Imported here: services imports this module to queue the email above.
    from .services import digest_send

    return digest_send()
