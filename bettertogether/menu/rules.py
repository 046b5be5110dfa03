"""Who may do what with the coaching menu, requests and sessions, declared once.

- Coaches offer items on their own menu; a network's items are its admins'.
- Teachers ask one of their coaches for an item; a request is its teacher's and its
  coach's: the coach answers it, the teacher takes a proposed time or withdraws it.
- Coaches schedule sessions; a session is read by its coach and its attendees, and changed
  by its coach.

Each rule is one predicate, used by the views, the services and the selectors alike; where
a selector filters a list by the same rule, its set form (`*_q`, `session_ids`) lives next
to the predicate, so the page of one object and a list cannot disagree
(`tests/test_rules_agree.py`).
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef, Q

from bettertogether.coaching.rules import administers_network, is_coach, is_teacher
from bettertogether.directory.scope import scope_for

__all__ = ["administers_network", "is_coach", "is_teacher"]  # the roles, from `coaching`


# --- menu items ---------------------------------------------------------------------------


@rules.predicate
def is_item_owner(actor, item) -> bool:
    """A coach's own item; network items are the network admins'."""
    if item is None:
        return False
    if item.coach_id is not None:
        return item.coach_id == actor.pk
    return item.network_id in scope_for(actor).admin_network_ids


def item_owner_q(actor) -> Q:
    """`is_item_owner` as a filter: the items the actor may change."""
    return (Q(coach_id=actor.pk)
            | Q(coach__isnull=True, network_id__in=scope_for(actor).admin_network_ids))


def is_offered_by(item, *, coach_id: int, network_id: int) -> bool:
    """Whether a coach (of a school of `network_id`) offers the item: their own, or one of
    their network's for all its coaches. Not a permission: who a teacher may ask is."""
    return item.coach_id == coach_id or (item.coach_id is None and item.network_id == network_id)


# --- requests -----------------------------------------------------------------------------


@rules.predicate
def is_request_coach(actor, request) -> bool:
    return request is not None and request.coach_id == actor.pk


def request_coach_q(actor) -> Q:
    """`is_request_coach` as a filter: the requests made to the actor."""
    return Q(coach_id=actor.pk)


@rules.predicate
def is_request_teacher(actor, request) -> bool:
    return request is not None and request.teacher_id == actor.pk


def request_teacher_q(actor) -> Q:
    """`is_request_teacher` as a filter: the actor's own requests."""
    return Q(teacher_id=actor.pk)


# A request is read by its coach and its teacher.
may_view_request = is_request_coach | is_request_teacher


def request_pair_q(actor) -> Q:
    """`may_view_request` as a filter."""
    return request_coach_q(actor) | request_teacher_q(actor)


# --- sessions -----------------------------------------------------------------------------


@rules.predicate
def is_session_coach(actor, session) -> bool:
    return session is not None and session.coach_id == actor.pk


def session_coach_q(actor) -> Q:
    """`is_session_coach` as a filter: the sessions the actor leads."""
    return Q(coach_id=actor.pk)


@rules.predicate
def is_session_attendee(actor, session) -> bool:
    """One of a session's attendees: from the prefetched list when the selector loaded it."""
    if session is None or actor.pk is None:
        return False
    if "attendees" in getattr(session, "_prefetched_objects_cache", {}):
        return any(person.pk == actor.pk for person in session.attendees.all())
    return session.attendees.filter(pk=actor.pk).exists()


# A session is read by its coach and its attendees.
may_view_session = is_session_coach | is_session_attendee


def session_pair_q(actor) -> Q:
    """`may_view_session` as a filter (for one row; lists use `session_ids`)."""
    from .models import CoachingSession

    attends = CoachingSession.attendees.through.objects.filter(
        coachingsession_id=OuterRef("pk"), person_id=actor.pk)
    return session_coach_q(actor) | Q(Exists(attends))


def session_ids(*, person_id: int) -> list[int]:
    """Ids of the sessions a person leads or attends (`may_view_session` for them): one
    query, two index scans. A plain "coach is me OR an attendee is me" with DISTINCT reads
    every session and every attendee row; the union of two indexed lookups costs the same
    at any size."""
    from .models import CoachingSession

    led = (CoachingSession.objects.filter(coach_id=person_id).order_by()
           .values_list("id", flat=True))
    attended = (CoachingSession.attendees.through.objects.filter(person_id=person_id)
                .order_by().values_list("coachingsession_id", flat=True))
    return list(led.union(attended).order_by())


# The menu page and the sessions page: coaches and teachers.
may_open_menu = may_open_sessions = is_coach | is_teacher

rules.add_perm("menu.view_menu", may_open_menu)
rules.add_perm("menu.offer_items", is_coach)
rules.add_perm("menu.manage_network_items", administers_network)
rules.add_perm("menu.change_item", is_item_owner)
rules.add_perm("menu.request_support", is_teacher)
rules.add_perm("menu.view_request", may_view_request)
rules.add_perm("menu.answer_request", is_request_coach)
rules.add_perm("menu.withdraw_request", is_request_teacher)
rules.add_perm("menu.view_sessions", may_open_sessions)
rules.add_perm("menu.view_session", may_view_session)
rules.add_perm("menu.schedule_session", is_coach)
rules.add_perm("menu.change_session", is_session_coach)
