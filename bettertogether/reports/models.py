"""What the impact reports keep: PDF exports and snapshots.

The reports read **tallies** of the coach's log (the log summed ahead of time, so that a
network-wide report over three years reads tens of thousands of rows, not millions). They
live with the log, in `coaching/tallies/`, because the services that write the log keep
them equal to it.

**Exports** are PDFs built in the background; **snapshots** are a coach's report frozen and
published to one named leader.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    COACH = "coach", _("Coach's report")
    SCHOOL = "school", _("School report")
    NETWORK = "network", _("Network report")


class ReportExport(models.Model):
    """A PDF of a report, built in the background for the person who asked for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be built")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    subject = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                null=True, blank=True, related_name="+",
                                help_text="The school or network of the report.")
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    pages = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"],
                                    name="report_export_once_per_key"),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"],
                                name="report_export_recent")]

    def __str__(self) -> str:
        return f"PDF {self.pk} ({self.kind})"


class ReportSnapshot(models.Model):
    """A coach's report as it stood, published read-only to one named leader."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="report_snapshots")
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message to the leader"), max_length=1000, blank=True)
    filters = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "idempotency_key"],
                                    name="report_snapshot_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["leader", "-created_at"], name="snapshot_leader_recent"),
            models.Index(fields=["coach", "-created_at"], name="snapshot_coach_recent"),
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.pk}: {self.title}"
