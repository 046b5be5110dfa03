"""Reads of the activity log, for the network admins who browse it.

What an entry may say passes the disclosure gate (`directory.disclosure.CoachingNames`): a
coaching action of a school too small to describe is left out, and one of a school whose
policy shows totals only names neither the teacher nor the coach ("A teacher asked for
Co-plan a lesson"). Administrative actions stay named, and the reader's own actions are
always theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from bettertogether.directory import disclosure
from bettertogether.directory.models import Membership, Role
from bettertogether.directory.scope import scope_for

from .models import COACHING_ACTIONS, ActivityEntry
from .rules import entry_network_admin_q


@dataclass(frozen=True)
class ActivityLine:
    """One entry as its reader may read it: "<who> <action_label> <target_label>"."""

    who: str
    action_label: str
    target_label: str
    role_label: str
    organisation: Any
    created_at: Any


def _names_for(actor) -> disclosure.CoachingNames:
    """The gate's rule for this reader, worked out once per request (one query)."""
    found = getattr(actor, "_bt_coaching_names", None)
    if found is None:
        found = disclosure.coaching_names_for(
            reader=actor, network_ids=scope_for(actor).admin_network_ids)
        actor._bt_coaching_names = found
    return found


def activity_visible_to(*, actor) -> QuerySet[ActivityEntry]:
    """Entries of the networks the actor administers that the gate shows, newest first."""
    acts_as_coach = Membership.objects.filter(
        Q(organisation_id=OuterRef("organisation_id")) | Q(network_id=OuterRef("organisation_id")),
        person_id=OuterRef("actor_id"), role=Role.COACH)
    return (
        ActivityEntry.objects.filter(entry_network_admin_q(actor))
        .exclude(_names_for(actor).hidden_q(COACHING_ACTIONS))
        .select_related("actor", "organisation")
        .annotate(acts_as_coach=Exists(acts_as_coach))
        .order_by("-created_at", "-id")
    )


def activity_lines(*, actor, entries) -> list[ActivityLine]:
    """The entries (from `activity_visible_to`) as lines the actor may read."""
    names = _names_for(actor)
    lines = []
    for entry in entries:
        who = entry.actor.full_name if entry.actor else _("The system")
        label = entry.target_label
        if entry.is_coaching and not names.names(organisation=entry.organisation,
                                                 actor_id=entry.actor_id):
            who = _("A coach") if entry.acts_as_coach else _("A teacher")
            if entry.names_a_person:
                label = _("a teacher")
        lines.append(ActivityLine(who=who, action_label=entry.action_label,
                                  target_label=label, role_label=entry.role_label,
                                  organisation=entry.organisation,
                                  created_at=entry.created_at))
    return lines
