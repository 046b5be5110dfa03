""""A session tomorrow": one reminder to the coach and each teacher of every session that
starts tomorrow in its organisation's time zone.

Run by `manage.py send_session_reminders` (hourly from cron is safe: each person gets one
reminder per session and day, however often it runs, thanks to the notification's dedupe
key). A session moved to another day is reminded again for its new day.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bettertogether.directory.models import Organisation, Person
from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send

from .models import CoachingSession, SessionStatus


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _tomorrow_bounds(zone: zoneinfo.ZoneInfo, now: datetime.datetime):
    tomorrow = timezone.localtime(now, timezone=zone).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    return tomorrow, start, start + datetime.timedelta(days=1)


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone of tomorrow's sessions; returns how many reminders were new."""
    now = now or timezone.now()
    sent = 0
    networks = Organisation.objects.filter(kind=Organisation.Kind.NETWORK).only(
        "id", "time_zone", "locale")
    for network in networks:
        zone = _zone(network.time_zone)
        day, start, end = _tomorrow_bounds(zone, now)
        sessions = (
            CoachingSession.objects.filter(network=network, status=SessionStatus.SCHEDULED,
                                           starts_at__gte=start, starts_at__lt=end)
            .select_related("coach")
            .prefetch_related(Prefetch("attendees", queryset=Person.objects.all()))
            .order_by("starts_at", "id")
        )
        for session in sessions:
            with translation.override(network.locale), transaction.atomic():
                title = _("Tomorrow at %(time)s: %(title)s") % {
                    "time": formats.time_format(timezone.localtime(session.starts_at,
                                                                   timezone=zone), "H:i"),
                    "title": session.title}
                for person in [session.coach, *session.attendees.all()]:
                    made = notification_send(
                        recipient=person, network=network,
                        kind=Notification.Kind.SESSION_TOMORROW, title=title,
                        url=reverse("menu:session", args=[session.pk]),
                        dedupe_key=f"session-tomorrow:{session.pk}:{day.isoformat()}")
                    sent += made is not None
    return sent
