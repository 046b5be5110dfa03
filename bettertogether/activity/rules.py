"""Who may read the activity log, declared once.

The log is read by network admins, each their own networks' entries; what an entry then
says (names or not, left out for a small school) is the disclosure gate's to decide
(`directory.disclosure`), not a rule of this app. Writing goes through `activity_record`
from every service, never from a page.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from bettertogether.directory.rules import is_network_admin
from bettertogether.directory.scope import scope_for


@rules.predicate
def is_admin_of_entry_network(actor, entry) -> bool:
    """An admin of the network an entry was recorded in."""
    return entry is not None and entry.network_id in scope_for(actor).admin_network_ids


def entry_network_admin_q(actor) -> Q:
    """`is_admin_of_entry_network` as a filter: the entries of the networks the actor
    administers."""
    return Q(network_id__in=scope_for(actor).admin_network_ids)


may_read_activity_log = is_network_admin

rules.add_perm("activity.view_log", may_read_activity_log)
rules.add_perm("activity.view_entry", is_admin_of_entry_network)
