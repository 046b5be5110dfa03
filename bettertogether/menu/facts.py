"""What the caseload and the timeline learn from requests and sessions."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bettertogether.coaching.facts import TimelineEvent

from .models import (
    OPEN_STATUSES,
    CoachingSession,
    RequestStatus,
    SessionStatus,
    SupportRequest,
)


def request_facts(*, coach_id: int, teacher_ids: list[int]) -> dict[int, dict]:
    """One query for a whole caseload. A withdrawn request still shows the teacher asked."""
    rows = (
        SupportRequest.objects.filter(coach_id=coach_id, teacher_id__in=teacher_ids)
        .values("teacher_id")
        .annotate(
            asked=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            oldest=Min("created_at", filter=Q(status__in=OPEN_STATUSES)),
        )
        .order_by()
    )
    return {
        row["teacher_id"]: {"asked_for_help": row["asked"] > 0, "open_requests": row["open"],
                            "oldest_open_request": row["oldest"]}
        for row in rows
    }


def timeline_events(*, coach_id: int | None, teacher_id: int, limit: int) -> list[TimelineEvent]:
    """Requests and sessions between a coach (None: every coach) and a teacher: two queries.

    A logged session is left out: the interaction it became is on the timeline already.
    Titles and statuses only; each links to its page, which checks who is looking.
    """
    requests = SupportRequest.objects.filter(teacher_id=teacher_id)
    sessions = CoachingSession.objects.filter(attendees__id=teacher_id,
                                              interaction__isnull=True)
    if coach_id is not None:
        requests = requests.filter(coach_id=coach_id)
        sessions = sessions.filter(coach_id=coach_id)
    statuses = dict(RequestStatus.choices)
    session_statuses = dict(SessionStatus.choices)
    events = [
        TimelineEvent(occurred_at=created, title=_("Asked for %(item)s") % {"item": title},
                      status=str(statuses[status]), url=reverse("menu:request", args=[pk]))
        for pk, created, title, status in requests.order_by("-created_at", "-id")
        .values_list("pk", "created_at", "item__title", "status")[:limit]
    ]
    events += [
        TimelineEvent(occurred_at=starts, title=_("Session: %(title)s") % {"title": title},
                      status=str(session_statuses[status]),
                      url=reverse("menu:session", args=[pk]))
        for pk, starts, title, status in sessions.order_by("-starts_at", "-id")
        .values_list("pk", "starts_at", "title", "status")[:limit]
    ]
    return events
