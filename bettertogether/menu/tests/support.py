"""Helpers shared by the menu tests: times in the cast's time zone, and the usual writes."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

from django.utils import timezone

from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tests.support import kind
from bettertogether.menu import services, sessions
from bettertogether.menu.models import CalendarFeed, CoachingSession, MenuItem, SupportRequest

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(days: int = 1, hour: int = 15, minute: int = 0) -> datetime.datetime:
    """`days` from today at hour:minute in Riverside's time zone (America/Chicago)."""
    day = timezone.localtime(timezone=CHICAGO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CHICAGO)


def an_item(coach, title="Co-plan a lesson", kind_name="Co-planning", minutes=45, **extra):
    return services.menu_item_create(actor=coach, title=title, kind=kind(kind_name),
                                     typical_minutes=minutes, **extra)


def ask(teacher, coach, item, **extra):
    extra.setdefault("idempotency_key", uuid.uuid4())
    return services.request_create(actor=teacher, coach=coach, item=item, **extra)


def accept(coach, request, starts_at=None, minutes=45, **extra):
    """The coach accepts the request. A start already past stands for a session accepted
    earlier that has since begun: a coach can only accept a time ahead, so it is accepted
    for tomorrow and then moved back, as the clock would have."""
    starts_at = starts_at or at()
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    if starts_at >= timezone.now():
        return services.request_accept(actor=coach, request=request, starts_at=starts_at,
                                       ends_at=ends_at, **extra)
    ahead = at(days=1)
    session = services.request_accept(actor=coach, request=request, starts_at=ahead,
                                      ends_at=ahead + datetime.timedelta(minutes=minutes),
                                      **extra)
    CoachingSession.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=ends_at)
    session.refresh_from_db()
    return session


def propose(coach, request, starts_at=None, minutes=45, **extra):
    starts_at = starts_at or at(days=2)
    return services.request_propose(actor=coach, request=request, starts_at=starts_at,
                                    ends_at=starts_at + datetime.timedelta(minutes=minutes),
                                    **extra)


def schedule(coach, teachers, title="Grade 3 team planning", kind_name="Co-planning",
             starts_at=None, minutes=45, **extra):
    starts_at = starts_at or at()
    extra.setdefault("idempotency_key", uuid.uuid4())
    return sessions.session_schedule(
        actor=coach, teachers=list(teachers), kind=kind(kind_name), title=title,
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes), **extra)


def move(coach, session, starts_at, minutes=45, **extra):
    values = {"title": session.title, "place": session.place, "location": session.location,
              "agenda": session.agenda, **extra}
    return sessions.session_update(actor=coach, session=session, starts_at=starts_at,
                                   ends_at=starts_at + datetime.timedelta(minutes=minutes),
                                   **values)


def log_session(coach, session, teachers=None, **extra):
    extra.setdefault("idempotency_key", uuid.uuid4())
    return sessions.session_log(
        actor=coach, session=session, kind=session.kind,
        teachers=list(session.attendees.all()) if teachers is None else teachers,
        minutes=extra.pop("minutes", 45), occurred_at=extra.pop("occurred_at", None), **extra)


def menu_state() -> dict:
    """Every row the menu's writes could change, as plain values to compare before/after."""
    return {
        "items": list(MenuItem.objects.order_by("pk").values_list(
            "pk", "title", "kind_id", "typical_minutes", "is_active", "description")),
        "requests": list(SupportRequest.objects.order_by("pk").values_list(
            "pk", "status", "note", "coach_message", "proposed_start")),
        "sessions": list(CoachingSession.objects.order_by("pk").values_list(
            "pk", "title", "starts_at", "ends_at", "status", "sequence", "interaction_id")),
        "feeds": list(CalendarFeed.objects.order_by("pk").values_list("pk", "token_digest")),
        "interactions": list(Interaction.objects.order_by("pk").values_list("pk", flat=True)),
    }
