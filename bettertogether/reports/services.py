"""Writes of the reports: a coach publishes their report, frozen, to one named leader, and
may withdraw it.

A snapshot is built for its reader (`audience=LEADER`), so small groups are suppressed
exactly as on a leader's own report, and its figures are stored: the leader reads what the
coach shared, not what the log says today. The activity log names the leader, never the
snapshot's title or message (the coach's own words); the leader's notification is written
from metadata only.
"""

from __future__ import annotations

import dataclasses
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.directory.models import Person
from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send, notification_withdraw

from . import selectors
from .engine import LEADER, Filters, Scope, build_report
from .models import ReportSnapshot
from .rules import is_snapshot_publisher


def snapshot_scope(*, actor) -> Scope:
    """The coach's report as a leader reads it. PermissionDenied for anyone not a coach."""
    try:
        own = selectors.scope_for_coach(actor=actor)
    except Http404 as exc:
        raise PermissionDenied("Only a coach publishes a snapshot of their report.") from exc
    return dataclasses.replace(own, audience=LEADER)


@transaction.atomic
def snapshot_publish(
    *,
    actor,
    leader: Person | None,
    title: str,
    message: str = "",
    filters: Filters,
    idempotency_key: uuid.UUID,
) -> ReportSnapshot:
    """Freeze the coach's report (as a leader sees it) and share it with `leader`.

    The same key twice publishes once: a double click makes one snapshot.
    """
    scope = snapshot_scope(actor=actor)
    existing = ReportSnapshot.objects.filter(coach_id=actor.pk,
                                             idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    allowed = selectors.leaders_for_snapshot(actor=actor)
    if leader is None or not allowed.filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _(
            "You can share a snapshot only with a leader of a school you coach in or an "
            "admin of your network.")})
    if filters.end < filters.start:
        raise ValidationError(_("The end comes before the start: choose a later day."))
    snapshot = ReportSnapshot(
        coach=actor, leader=leader, network=scope.network, title=title.strip(),
        message=message.strip(), filters=filters.as_data(),
        data=build_report(scope=scope, filters=filters), idempotency_key=idempotency_key,
    )
    snapshot.full_clean(exclude=["coach", "leader", "network"], validate_unique=False,
                        validate_constraints=False)
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:  # the same click, published a moment ago alongside this one
        return ReportSnapshot.objects.get(coach_id=actor.pk, idempotency_key=idempotency_key)
    activity_record(actor=actor, action="report_snapshot.publish", target=snapshot,
                    organisation=scope.network, label=leader.full_name)
    _notify_leader(snapshot)
    return snapshot


def _notify_leader(snapshot: ReportSnapshot) -> None:
    network = snapshot.network
    with translation.override(network.locale):
        title = _("%(coach)s shared a report with you") % {"coach": snapshot.coach.full_name}
    notification_send(recipient=snapshot.leader, network=network,
                      kind=Notification.Kind.REPORT_SHARED, title=title,
                      url=reverse("reports:snapshot", args=[snapshot.token]),
                      dedupe_key=_notification_key(snapshot))


def _notification_key(snapshot: ReportSnapshot) -> str:
    return f"report_snapshot:{snapshot.pk}"


@transaction.atomic
def snapshot_withdraw(*, actor, snapshot: ReportSnapshot) -> ReportSnapshot:
    """The leader can no longer open it; the coach still can. Withdrawing twice is once."""
    if not is_snapshot_publisher.test(actor, snapshot):  # reports.withdraw_snapshot
        raise PermissionDenied("Only the coach who shared a snapshot withdraws it.")
    now = timezone.now()
    changed = (ReportSnapshot.objects.filter(pk=snapshot.pk, withdrawn_at__isnull=True)
               .update(withdrawn_at=now))
    if not changed:
        snapshot.refresh_from_db(fields=["withdrawn_at"])
        return snapshot
    snapshot.withdrawn_at = now
    activity_record(actor=actor, action="report_snapshot.withdraw", target=snapshot,
                    organisation=snapshot.network, label=snapshot.leader.full_name)
    # The leader can no longer open it: the notification that linked to it goes too.
    notification_withdraw(recipient=snapshot.leader, dedupe_key=_notification_key(snapshot))
    return snapshot
