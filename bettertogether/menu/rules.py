"""Who may do what with the coaching menu, requests and sessions, declared once.

Reads go through `selectors` (404 outside the actor's reach); these predicates decide the
writes and which buttons a page offers.
"""

import rules

from bettertogether.directory.scope import scope_for


@rules.predicate
def is_coach(actor) -> bool:
    return scope_for(actor).is_coach


@rules.predicate
def is_teacher(actor) -> bool:
    return scope_for(actor).is_teacher


@rules.predicate
def is_item_owner(actor, item) -> bool:
    """A coach's own item; network items are the network admins'."""
    if item is None:
        return False
    if item.coach_id is not None:
        return item.coach_id == actor.pk
    return item.network_id in scope_for(actor).admin_network_ids


@rules.predicate
def is_request_coach(actor, request) -> bool:
    return request is not None and request.coach_id == actor.pk


@rules.predicate
def is_request_teacher(actor, request) -> bool:
    return request is not None and request.teacher_id == actor.pk


@rules.predicate
def is_session_coach(actor, session) -> bool:
    return session is not None and session.coach_id == actor.pk


# A request is read by its coach and its teacher (`selectors.request_get_for`).
may_view_request = is_request_coach | is_request_teacher

rules.add_perm("menu.offer_items", is_coach)
rules.add_perm("menu.change_item", is_item_owner)
rules.add_perm("menu.request_support", is_teacher)
rules.add_perm("menu.view_request", may_view_request)
rules.add_perm("menu.answer_request", is_request_coach)
rules.add_perm("menu.withdraw_request", is_request_teacher)
rules.add_perm("menu.schedule_session", is_coach)
rules.add_perm("menu.change_session", is_session_coach)
