""""A session tomorrow": one reminder to the coach and each teacher of every session that
starts tomorrow in its organisation's time zone.

Run by `manage.py send_session_reminders` (hourly from cron is safe: each person gets one
reminder per session and day, however often it runs, thanks to the notification's dedupe
key). A session moved to another day is reminded again for its new day.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.directory import calendar
from bettertogether.directory.localisation import in_organisation
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.moments import clock_text
from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send

from .models import CoachingSession, SessionStatus


def _tomorrow_bounds(zone: datetime.tzinfo, now: datetime.datetime):
    tomorrow = calendar.today_in(zone, now=now) + calendar.DAY
    return tomorrow, calendar.midnight(tomorrow, zone), calendar.midnight(
        tomorrow + calendar.DAY, zone)


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone of tomorrow's sessions; returns how many reminders were new."""
    now = now or timezone.now()
    sent = 0
    networks = Organisation.objects.filter(kind=Organisation.Kind.NETWORK).only(
        "id", "time_zone", "locale")
    for network in networks:
        zone = calendar.zone_of(network)
        day, start, end = _tomorrow_bounds(zone, now)
        sessions = (
            CoachingSession.objects.filter(network=network, status=SessionStatus.SCHEDULED,
                                           starts_at__gte=start, starts_at__lt=end)
            .select_related("coach")
            .prefetch_related(Prefetch("attendees", queryset=Person.objects.all()))
            .order_by("starts_at", "id")
        )
        for session in sessions:
            with in_organisation(network), transaction.atomic():
                title = _("Tomorrow at %(time)s: %(title)s") % {
                    "time": clock_text(session.starts_at, zone=zone, with_zone=True),
                    "title": session.title}
                for person in [session.coach, *session.attendees.all()]:
                    made = notification_send(
                        recipient=person, network=network,
                        kind=Notification.Kind.SESSION_TOMORROW, title=title,
                        url=reverse("menu:session", args=[session.pk]),
                        dedupe_key=f"session-tomorrow:{session.pk}:{day.isoformat()}")
                    sent += made is not None
    return sent
