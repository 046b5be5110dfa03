"""Who may read which report, declared once (selectors 404 for everyone else).

- A coach's own report: that coach (a coach is anyone with a coach role).
- A school's report: its leaders and its network's admins.
- A network's report: its admins.
- The reports page: anyone who may read one of them (a coach, a leader, a network admin).
- A snapshot: the coach who published it (also once withdrawn) and the leader it names,
  while not withdrawn. Only the coach who published it withdraws it.
- A PDF export: the person who asked for it (while they may still read its report).

Where a selector lists rows by one of these rules, its set form (`*_q`) lives next to the
predicate (`tests/test_rules_agree.py` holds the two to agreeing).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from bettertogether.coaching.rules import is_a_network, is_a_school, is_coach, is_leader
from bettertogether.directory.rules import (
    is_leader_of_school,
    is_network_admin,
    is_network_admin_of,
    is_self,
)


@rules.predicate
def is_snapshot_publisher(actor, snapshot) -> bool:
    """The coach who published a snapshot."""
    return snapshot is not None and snapshot.coach_id == actor.pk


def snapshot_publisher_q(actor) -> Q:
    """`is_snapshot_publisher` as a filter: the snapshots the actor published."""
    return Q(coach_id=actor.pk)


@rules.predicate
def is_snapshot_leader(actor, snapshot) -> bool:
    """The leader a snapshot is shared with, while it is not withdrawn."""
    return (snapshot is not None and snapshot.withdrawn_at is None
            and snapshot.leader_id == actor.pk)


def snapshot_leader_q(actor) -> Q:
    """`is_snapshot_leader` as a filter: the snapshots shared with the actor."""
    return Q(leader_id=actor.pk, withdrawn_at__isnull=True)


is_snapshot_reader = is_snapshot_publisher | is_snapshot_leader


def snapshot_reader_q(actor) -> Q:
    """`is_snapshot_reader` as a filter."""
    return snapshot_publisher_q(actor) | snapshot_leader_q(actor)


@rules.predicate
def is_export_requester(actor, export) -> bool:
    return export is not None and export.requested_by_id == actor.pk


def export_requester_q(actor) -> Q:
    """`is_export_requester` as a filter: the exports the actor asked for."""
    return Q(requested_by_id=actor.pk)


may_read_coach_report = is_coach
# A coach's report, read by that coach (the report's subject is a person).
may_read_coach_report_of = is_self & is_coach
may_read_school_report = is_a_school & (is_leader_of_school | is_network_admin_of)
may_read_network_report = is_a_network & is_network_admin_of
may_open_reports = is_coach | is_leader | is_network_admin

rules.add_perm("reports.open_reports", may_open_reports)
rules.add_perm("reports.view_coach_report", may_read_coach_report)
rules.add_perm("reports.view_school_report", may_read_school_report)
rules.add_perm("reports.view_network_report", may_read_network_report)
rules.add_perm("reports.view_snapshot", is_snapshot_reader)
rules.add_perm("reports.withdraw_snapshot", is_snapshot_publisher)
rules.add_perm("reports.view_export", is_export_requester)
