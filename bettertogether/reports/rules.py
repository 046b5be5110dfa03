"""Who may read which report, declared once (selectors 404 for everyone else).

- A coach's own report: that coach (a coach is anyone with a coach role).
- A school's report: its leaders and its network's admins.
- A network's report: its admins.
- A snapshot: the coach who published it and the leader it names, while not withdrawn.
"""

import rules

from bettertogether.coaching.rules import is_a_network, is_a_school, is_coach
from bettertogether.directory.rules import is_leader_of_school, is_network_admin_of


@rules.predicate
def is_snapshot_reader(actor, snapshot) -> bool:
    if snapshot is None:
        return False
    if snapshot.coach_id == actor.pk:
        return True
    return snapshot.withdrawn_at is None and snapshot.leader_id == actor.pk


may_read_coach_report = is_coach
may_read_school_report = is_a_school & (is_leader_of_school | is_network_admin_of)
may_read_network_report = is_a_network & is_network_admin_of

rules.add_perm("reports.view_coach_report", may_read_coach_report)
rules.add_perm("reports.view_school_report", may_read_school_report)
rules.add_perm("reports.view_network_report", may_read_network_report)
rules.add_perm("reports.view_snapshot", is_snapshot_reader)
