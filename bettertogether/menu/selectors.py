"""Reads of the coaching menu, requests and sessions, always scoped to the acting person.

- Menu items: a coach reads their own and their network's; a teacher reads the items their
  school's coaches offer; a network admin reads the network's items.
- A request is read by its teacher and its coach; anyone else gets 404.
- A session is read by its coach and its attendees; anyone else gets 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.directory.scope import scope_for

from .models import (
    OPEN_STATUSES,
    CoachingSession,
    MenuItem,
    RequestStatus,
    SessionStatus,
    SupportRequest,
)
from .rules import (
    is_coach,
    is_offered_by,
    is_session_coach,
    item_owner_q,
    request_coach_q,
    request_pair_q,
    request_teacher_q,
    session_coach_q,
    session_ids,
)

PAST_SESSIONS_SHOWN = 20


def coach_items(*, actor) -> QuerySet[MenuItem]:
    """The coach's own items and their network's, each with its funnel counts for this coach.

    One query: requests drawn, how many became a session, and how many were logged.
    """
    if not is_coach.test(actor):
        return MenuItem.objects.none()
    scope = scope_for(actor)
    mine = Q(requests__coach_id=actor.pk)
    return (
        MenuItem.objects.filter(Q(coach_id=actor.pk)
                                | Q(coach__isnull=True, network_id=scope.primary_network_id))
        .select_related("kind")
        .annotate(
            requested=Count("requests", filter=mine),
            scheduled=Count("requests", filter=mine & Q(
                requests__status__in=[RequestStatus.SCHEDULED, RequestStatus.DONE])),
            logged=Count("requests", filter=mine & Q(requests__status=RequestStatus.DONE)),
        )
        # Own items before the network's on every database (SQLite sorts NULL first).
        .order_by("-is_active", F("coach_id").asc(nulls_last=True), "title", "pk")
    )


def network_items(*, network: Organisation) -> QuerySet[MenuItem]:
    """The items every coach of the network offers (for its admins to manage)."""
    return (MenuItem.objects.filter(network=network, coach__isnull=True)
            .select_related("kind").annotate(requested=Count("requests"))
            .order_by("-is_active", "title", "pk"))


def item_get_for_owner(*, actor, pk: int) -> MenuItem:
    """An item for the person who may change it; for anyone else it does not exist."""
    try:
        return MenuItem.objects.select_related("kind", "network").get(item_owner_q(actor), pk=pk)
    except (MenuItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such item") from exc


@dataclass(frozen=True)
class CoachMenu:
    coach: Person
    school_names: str
    items: list[MenuItem]


def menus_for_teacher(*, actor) -> list[CoachMenu]:
    """Every coach of the teacher's schools, with what each offers: three queries."""
    schools = scope_for(actor).teacher_school_ids
    if not schools:
        return []
    rows = (Membership.objects.filter(organisation_id__in=schools, role=Role.COACH,
                                      person__is_active=True)
            .exclude(person_id=actor.pk)
            .values_list("person_id", "person__full_name", "organisation__name",
                         "network_id")
            .order_by("person__full_name", "person_id", "organisation__name"))
    coaches: dict[int, dict] = {}
    for person_id, name, school_name, network_id in rows:
        entry = coaches.setdefault(person_id, {"name": name, "schools": [],
                                               "network_id": network_id})
        entry["schools"].append(school_name)
    if not coaches:
        return []
    networks = {entry["network_id"] for entry in coaches.values()}
    items = list(
        MenuItem.objects.filter(Q(coach_id__in=coaches)
                                | Q(coach__isnull=True, network_id__in=networks),
                                is_active=True)
        .select_related("kind").order_by("title", "pk"))
    people = Person.objects.only("id", "full_name").in_bulk(list(coaches))
    menus = []
    for coach_id, entry in coaches.items():
        offered = [item for item in items
                   if is_offered_by(item, coach_id=coach_id, network_id=entry["network_id"])]
        menus.append(CoachMenu(coach=people[coach_id], school_names=", ".join(entry["schools"]),
                               items=offered))
    return menus


def requestable_item_for(*, actor, pk: int) -> tuple[MenuItem, list[Person]]:
    """An item the teacher may request, and the coaches they may ask for it."""
    menus = menus_for_teacher(actor=actor)
    offering = [(menu.coach, item) for menu in menus for item in menu.items
                if str(item.pk) == str(pk)]
    if not offering:
        raise Http404("No such item")
    return offering[0][1], [coach for coach, _item in offering]


def _requests() -> QuerySet[SupportRequest]:
    return SupportRequest.objects.select_related(
        "item", "teacher", "coach", "school", "session")


def requests_for_coach(*, actor, status: str = "open",
                       teacher_id: int | None = None) -> QuerySet[SupportRequest]:
    """Requests made to the coach: open ones (oldest first), or all of them (newest first)."""
    found = _requests().filter(request_coach_q(actor)).defer("note", "coach_message")
    if teacher_id is not None:
        found = found.filter(teacher_id=teacher_id)
    if status == "open":
        return found.filter(status__in=OPEN_STATUSES).order_by("created_at", "id")
    return found.order_by("-created_at", "-id")


def requests_for_teacher(*, actor) -> QuerySet[SupportRequest]:
    """The teacher's own requests, newest first."""
    return (_requests().filter(request_teacher_q(actor))
            .defer("note", "coach_message").order_by("-created_at", "-id"))


def open_request_count(*, actor) -> int:
    return SupportRequest.objects.filter(request_coach_q(actor),
                                         status__in=OPEN_STATUSES).count()


def request_get_for(*, actor, pk: int) -> SupportRequest:
    """A request for its coach or its teacher; for anyone else it does not exist."""
    try:
        return _requests().select_related("item__kind", "school__network").get(
            request_pair_q(actor), pk=pk)
    except (SupportRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such request") from exc


def session_ids_of(*, person_id: int) -> list[int]:
    """Ids of the sessions a person leads or attends (`rules.session_ids`)."""
    return session_ids(person_id=person_id)


def _sessions_of(actor) -> QuerySet[CoachingSession]:
    return CoachingSession.objects.filter(pk__in=session_ids_of(person_id=actor.pk))


def sessions_for(*, actor, now: datetime.datetime | None = None) -> dict[str, list]:
    """The actor's sessions as coach or attendee: upcoming (all) and the most recent past."""
    now = now or timezone.now()
    base = (_sessions_of(actor).select_related("coach", "kind", "school")
            .prefetch_related(Prefetch("attendees",
                                       queryset=Person.objects.only("id", "full_name")
                                       .order_by("full_name", "pk")))
            .defer("agenda"))
    upcoming = list(base.filter(ends_at__gte=now, status=SessionStatus.SCHEDULED)
                    .order_by("starts_at", "id")[:100])
    past = list(base.filter(Q(ends_at__lt=now) | Q(status=SessionStatus.CANCELLED))
                .order_by("-starts_at", "-id")[:PAST_SESSIONS_SHOWN])
    for session in upcoming + past:  # "with": the attendees for the coach, else the coach
        session.led_by_me = is_session_coach.test(actor, session)
    return {"upcoming": upcoming, "past": past}


def session_get_for(*, actor, pk: int) -> CoachingSession:
    """A session for its coach and attendees; for anyone else it does not exist."""
    try:
        return (_sessions_of(actor)
                # Not the interaction: its private note is the coach's alone, and an
                # attendee's page must not even fetch it.
                .select_related("coach", "kind", "school__network", "request__item")
                .prefetch_related(Prefetch("attendees",
                                           queryset=Person.objects.only("id", "full_name")
                                           .order_by("full_name", "pk")))
                .get(pk=pk))
    except (CoachingSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such session") from exc


def sessions_to_log(*, actor, now: datetime.datetime | None = None) -> QuerySet:
    """The coach's sessions that have started and are not logged yet (newest first)."""
    return (CoachingSession.objects.filter(session_coach_q(actor), status=SessionStatus.SCHEDULED,
                                           starts_at__lte=now or timezone.now(),
                                           interaction__isnull=True)
            .only("id", "title", "starts_at").order_by("-starts_at", "-id"))


def upcoming_sessions(*, actor, limit: int = 3) -> list[CoachingSession]:
    """The actor's next few scheduled sessions, as coach or attendee: one query."""
    return list(_sessions_of(actor).filter(ends_at__gte=timezone.now(),
                                           status=SessionStatus.SCHEDULED)
                .only("id", "title", "starts_at", "ends_at")
                .order_by("starts_at", "id")[:limit])
