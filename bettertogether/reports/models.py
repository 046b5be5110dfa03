"""What the impact reports keep: tallies of the coach's log, PDF exports and snapshots.

**Tallies** are the log summed ahead of time so that a network-wide report over three years
reads tens of thousands of rows, not millions. They hold counts, minutes and moments only —
never a note — and are recomputed from the log itself whenever it changes (see
`tallies.py`), so they always equal a direct computation:

- `WeekTally`: one coach's log in one week (Monday, network time), by school and kind.
- `CoachWeek`: the same without the kind — the trend, the schools and the coaches.
- `KindWeek`: a whole network's week by kind — the network-wide report's hours.
- `PairTerm`: one coach's contacts with one teacher within one term (or month before the
  first term): how many, how long, the first and the last. The term-by-term depth of
  coaching comes from it.
- `PairReach`: the months of contact of each coach and teacher, as bits. Teachers reached,
  coverage and caseload balance come from it.

**Exports** are PDFs built in the background; **snapshots** are a coach's report frozen and
published to one named leader.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WeekTally(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    kind = models.ForeignKey("coaching.SupportKind", on_delete=models.CASCADE, related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["network", "week"], name="week_tally_network"),
            models.Index(fields=["school", "week"], name="week_tally_school"),
            models.Index(fields=["coach", "week"], name="week_tally_coach"),
        ]

    def __str__(self) -> str:
        return f"Week {self.week} of coach {self.coach_id}"


class CoachWeek(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["network", "week"], name="coach_week_network"),
            models.Index(fields=["school", "week"], name="coach_week_school"),
            models.Index(fields=["coach", "week"], name="coach_week_coach"),
        ]

    def __str__(self) -> str:
        return f"Week {self.week} of coach {self.coach_id}"


class KindWeek(models.Model):
    """A network's whole log in one week, by kind: the network-wide report's hours."""

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    kind = models.ForeignKey("coaching.SupportKind", on_delete=models.CASCADE, related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["network", "week"], name="kind_week_network")]

    def __str__(self) -> str:
        return f"Week {self.week} of network {self.network_id}"


class PairReach(models.Model):
    """The months in which one coach had a contact with one teacher at one school, as bits.

    Month n counts from January 2020 (network time): bit n of `months_0` for n < 62, bit
    n − 62 of `months_1`, bit n − 124 of `months_2` (to mid-2035). "Teachers reached in a
    period" is then one pass over a row per pair, whatever the length of the period; a
    month only partly inside the period is checked against the log.
    """

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    months_0 = models.BigIntegerField(default=0)
    months_1 = models.BigIntegerField(default=0)
    months_2 = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["network"], name="pair_reach_network"),
            models.Index(fields=["school"], name="pair_reach_school"),
            models.Index(fields=["coach", "teacher"], name="pair_reach_pair"),
        ]

    def __str__(self) -> str:
        return f"Coach {self.coach_id} with {self.teacher_id}"


class PairTerm(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    bucket = models.DateField()
    contacts = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["network", "bucket"], name="pair_term_network"),
            models.Index(fields=["school", "bucket"], name="pair_term_school"),
            models.Index(fields=["coach", "teacher", "bucket"], name="pair_term_pair"),
        ]

    def __str__(self) -> str:
        return f"Coach {self.coach_id} with {self.teacher_id} from {self.bucket}"


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
