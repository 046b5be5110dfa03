"""Helpers shared by the notifications tests."""

from __future__ import annotations

from bettertogether.notifications import services
from bettertogether.notifications.models import Notification


def send(recipient, kind=Notification.Kind.REQUEST_NEW, title="Tess Teacher asked for Co-planning",
         url="/coaching/requests/5/", **extra):
    """Notify through the service, as a calling app does."""
    return services.notification_send(recipient=recipient, kind=kind, title=title, url=url,
                                      **extra)


def state() -> list[tuple]:
    """Every notification as plain values, to compare before and after."""
    return list(Notification.objects.order_by("pk").values_list(
        "pk", "recipient_id", "kind", "title", "url", "read_at", "emailed_at"))
