"""What the caseload learns from requests: who asked for help, and what is still open."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from .models import OPEN_STATUSES, RequestStatus, SupportRequest


def request_facts(*, coach_id: int, teacher_ids: list[int]) -> dict[int, dict]:
    """One query for a whole caseload. A withdrawn request still shows the teacher asked."""
    rows = (
        SupportRequest.objects.filter(coach_id=coach_id, teacher_id__in=teacher_ids)
        .values("teacher_id")
        .annotate(
            asked=Count("id", filter=~Q(status=RequestStatus.WITHDRAWN)),
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
