"""Demo data for the impact reports: tallies equal to the log, and one published snapshot.

The bulk seeders (the district's log, its sessions and cycles) write the coach's log with
`COPY` or `bulk_create`, which bypass the services that recount the tallies, so the tallies
are summed again from the whole log here, last, for every network the scale created
(`coaching.tallies.network.rebuild`: a few INSERT … SELECT; it also settles the recounts
the seeders' school years and terms queued). The small demo's log went through the services,
so its tallies are already right; it is rebuilt anyway, which costs nothing at that size
and keeps the two scales alike.

`seed_small` also publishes the demo coach's report for this school year to the principal
of Lincoln Elementary (a school they both belong to), so the leader's reports page has a
snapshot to open. It writes what `services.snapshot_publish` writes — the snapshot built
for its leader by the same scope and engine, the activity entry, the leader's unread
notification — but with the ORM, as `demo.menu` writes its notifications: the service
would queue the notification's email, and seeding queues none.
"""

from __future__ import annotations

import random
import uuid

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.tallies import network as tallies
from bettertogether.directory.models import Organisation, Person
from bettertogether.notifications.models import Notification
from bettertogether.reports.engine import build_report
from bettertogether.reports.models import ReportSnapshot
from bettertogether.reports.selectors import filters_default, leaders_for_snapshot
from bettertogether.reports.services import snapshot_scope

from .common import DISTRICT_NETWORK, OUTSIDER_NETWORK, SMALL_NETWORK

SMALL_NETWORKS = (SMALL_NETWORK, OUTSIDER_NETWORK)
DISTRICT_NETWORKS = (DISTRICT_NETWORK,)
COACH, LEADER = "coach@riverside.example", "principal@riverside.example"


def networks(names) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=Organisation.Kind.NETWORK, name__in=names)
                .order_by("pk"))


def seed_small(rng: random.Random, **_options) -> None:
    for network in networks(SMALL_NETWORKS):
        tallies.rebuild(network)
    _snapshot(rng)


def seed_district(rng: random.Random, **_options) -> None:
    for network in networks(DISTRICT_NETWORKS):
        tallies.rebuild(network)


def _snapshot(rng: random.Random) -> ReportSnapshot:
    coach = Person.objects.get(email=COACH)
    leader = leaders_for_snapshot(actor=coach).get(email=LEADER)  # one the coach may pick
    scope = snapshot_scope(actor=coach)  # the coach's report as its leader reads it
    filters = filters_default(scope)  # this school year, to today
    snapshot = ReportSnapshot.objects.create(
        coach=coach, leader=leader, network=scope.network,
        title=_("Coaching at Lincoln and Roosevelt this year"),
        message=_("Angela, here is where my coaching time has gone this year, ahead of our "
                  "check-in. Happy to talk through any of it."),
        filters=filters.as_data(), data=build_report(scope=scope, filters=filters),
        idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4))
    activity_record(actor=coach, action="report_snapshot.publish", target=snapshot,
                    organisation=scope.network, label=leader.full_name)
    with translation.override(scope.network.locale):
        title = _("%(coach)s shared a report with you") % {"coach": coach.full_name}
    Notification.objects.create(
        recipient=leader, network=scope.network, kind=Notification.Kind.REPORT_SHARED,
        title=title, url=reverse("reports:snapshot", args=[snapshot.token]),
        dedupe_key=f"report_snapshot:{snapshot.pk}")
    return snapshot
