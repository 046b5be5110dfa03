"""What the acting person holds: one query, remembered on the person for the request."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Membership, Role

_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Scope:
    admin_network_ids: frozenset[int] = _EMPTY
    facilitator_network_ids: frozenset[int] = _EMPTY
    leader_school_ids: frozenset[int] = _EMPTY
    coach_school_ids: frozenset[int] = _EMPTY
    teacher_school_ids: frozenset[int] = _EMPTY
    network_ids: frozenset[int] = _EMPTY
    roles: frozenset[str] = field(default=_EMPTY)

    @property
    def school_ids(self) -> frozenset[int]:
        return self.leader_school_ids | self.coach_school_ids | self.teacher_school_ids

    @property
    def is_network_admin(self) -> bool:
        return bool(self.admin_network_ids)

    @property
    def is_coach(self) -> bool:
        return bool(self.coach_school_ids)

    @property
    def is_leader(self) -> bool:
        return bool(self.leader_school_ids)

    @property
    def is_teacher(self) -> bool:
        return bool(self.teacher_school_ids)

    @property
    def primary_network_id(self) -> int | None:
        return min(self.network_ids) if self.network_ids else None


def scope_for(person) -> Scope:
    """The organisations and roles of `person`; anonymous and inactive people hold none."""
    if person is None or not getattr(person, "is_authenticated", False) or not person.is_active:
        return Scope()
    cached = getattr(person, "_bt_scope", None)
    if cached is not None:
        return cached
    buckets: dict[str, set[int]] = {role: set() for role in Role.values}
    networks: set[int] = set()
    rows = Membership.objects.filter(person_id=person.pk).values_list(
        "role", "organisation_id", "network_id"
    )
    for role, organisation_id, network_id in rows:
        buckets[role].add(organisation_id)
        networks.add(network_id)
    scope = Scope(
        admin_network_ids=frozenset(buckets[Role.NETWORK_ADMIN]),
        facilitator_network_ids=frozenset(buckets[Role.FACILITATOR]),
        leader_school_ids=frozenset(buckets[Role.SCHOOL_LEADER]),
        coach_school_ids=frozenset(buckets[Role.COACH]),
        teacher_school_ids=frozenset(buckets[Role.TEACHER]),
        network_ids=frozenset(networks),
        roles=frozenset(role for role, ids in buckets.items() if ids),
    )
    person._bt_scope = scope
    return scope


def scope_forget(person) -> None:
    """Drop the remembered scope after the person's memberships change."""
    if hasattr(person, "_bt_scope"):
        del person._bt_scope
