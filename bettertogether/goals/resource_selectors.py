"""Reads of the library of conversation resources, scoped to the acting person.

Coaches and network admins open the library (`goals.use_library`); for anyone else it does
not exist. It holds the built-in resources, those shared with the actor's networks, and
the actor's own: a resource of another coach is a 404, like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise

from bettertogether.directory.models import Organisation
from bettertogether.directory.scope import scope_for

from .models import ConversationResource, Purpose
from .selectors import resources_for


class Source:
    BUILT_IN = "built_in"
    NETWORK = "network"
    OWN = "own"


@dataclass(frozen=True)
class LibraryRow:
    resource: ConversationResource
    source: str
    can_change: bool


@dataclass(frozen=True)
class LibraryGroup:
    purpose: str
    label: str | Promise
    rows: list[LibraryRow]


def _require_library(actor) -> None:
    if not actor.has_perm("goals.use_library"):
        raise Http404("No library here")


def _source(resource: ConversationResource) -> str:
    if resource.owner_id is not None:
        return Source.OWN
    return Source.NETWORK if resource.network_id is not None else Source.BUILT_IN


def library_for(*, actor, purpose: str = "") -> list[LibraryGroup]:
    """The library grouped by purpose, in the order of a cycle: one query."""
    _require_library(actor)
    by_purpose: dict[str, list[LibraryRow]] = {}
    for resource in resources_for(actor=actor, purpose=purpose or None):
        by_purpose.setdefault(resource.purpose, []).append(LibraryRow(
            resource=resource, source=_source(resource),
            can_change=actor.has_perm("goals.change_resource", resource)))
    return [LibraryGroup(purpose=value, label=label, rows=by_purpose[value])
            for value, label in Purpose.choices if value in by_purpose]


def resource_get_for(*, actor, pk: int) -> ConversationResource:
    """A resource in the actor's library (whether or not they may change it)."""
    _require_library(actor)
    found = resources_for(actor=actor).select_related("network").filter(pk=pk).first()
    if found is None:
        raise Http404("No such resource")
    return found


def share_networks_for(*, actor) -> list[Organisation]:
    """The networks the actor may share a resource with: the ones they administer."""
    admin_ids = scope_for(actor).admin_network_ids
    if not admin_ids:
        return []
    return list(Organisation.objects.filter(pk__in=admin_ids, kind=Organisation.Kind.NETWORK)
                .order_by("name", "pk"))
