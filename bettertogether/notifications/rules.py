"""Who may do what with notifications, declared once: a notification is its recipient's.

The selectors filter lists by the same rule (`recipient = actor`) and use this predicate
for the single object, so a notification of someone else is a 404 like one that does not
exist.
"""

import rules
from django.db.models import Q


@rules.predicate
def is_recipient(actor, notification) -> bool:
    return (
        notification is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and notification.recipient_id == actor.pk
    )


def recipient_q(actor) -> Q:
    """`is_recipient` as a filter: the actor's own notifications (for a signed-in, active
    person; the selectors and services turn everyone else away first)."""
    return Q(recipient_id=actor.pk)


rules.add_perm("notifications.open_notification", is_recipient)
