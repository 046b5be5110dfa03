"""Rosters: bringing a school system's people and classes in, in bulk.

A network admin uploads a roster: a OneRoster 1.1 or 1.2 CSV bundle (a zip of CSV files
described by its `manifest.csv`) exported from the student information system, or a
plain CSV for a small school. Each upload is an **import run** against one network: it is
read and checked as a whole, and either every change is written in one transaction or,
when anything is wrong, nothing is. A run can be a **preview** (dry run): it reports what
would change, and the admin then applies it.

What a roster brings in:

- the district becomes the network (its `sourcedId` is stored on the network) and each
  school becomes a school of that network, matched by `sourcedId`;
- teachers, principals and administrators become people with roles (students, parents
  and other roles are never stored as people);
- each teacher's classes become **roster classes**: title, subject, grades and the number
  of students enrolled. Student names never leave the upload; only per-class counts are
  kept. The grades and subjects of a teacher's classes are added to their profile.

People and classes are matched by `sourcedId`, so importing the same roster again changes
nothing, and a newer one updates in place and switches off (never deletes) the people it
no longer lists.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.directory.models import Organisation

# The most problems a run keeps; the total is counted all the same.
PROBLEMS_KEPT = 1000
# The longest an uploaded roster is kept: a day from its upload (or from "Apply").
UPLOAD_KEPT = timedelta(days=1)


class FileGone(models.TextChoices):
    """Why an import's uploaded file was deleted."""

    FINISHED = "finished", _("when the import finished")
    FAILED = "failed", _("when the import stopped")
    DISCARDED = "discarded", _("when the preview was discarded")
    EXPIRED = "expired", _("because the preview was not applied within a day")
    STALLED = "stalled", _("because the import had not finished after a day")


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", _("OneRoster bundle")
        ONEROSTER_11 = "oneroster-1.1", _("OneRoster 1.1 bundle")
        ONEROSTER_12 = "oneroster-1.2", _("OneRoster 1.2 bundle")
        CSV = "csv", _("Plain CSV")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking the roster")
        IMPORTING = "importing", _("Writing the changes")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped: nothing was changed")

    network = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_imports"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=True)
    preview_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="applied_as",
        help_text=_("The preview this run applies."),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    problems_total = models.PositiveIntegerField(default=0)
    # What was read leniently, one entry per kind: {file, column, message, lines, more}.
    warnings = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # Where the upload waits in the file storage (a path under MEDIA_ROOT). A roster can
    # name students, so the file is deleted as soon as the run no longer needs it (see
    # `FileGone`); the run's record and summary stay, and say when the file went.
    upload = models.CharField(max_length=255, blank=True)
    upload_deleted_at = models.DateTimeField(null=True, blank=True)
    upload_deleted_because = models.CharField(max_length=16, choices=FileGone.choices,
                                              blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "-created_at"], name="import_network_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="import_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_oneroster(self) -> bool:
        return self.kind != self.Kind.CSV

    @property
    def upload_kept_until(self):
        """When the periodic clean-up deletes the file if nothing has before."""
        return self.created_at + UPLOAD_KEPT


class RosterClass(models.Model):
    """A class a teacher teaches, as the roster describes it. Never a student's name."""

    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_classes"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="roster_classes",
    )
    source_id = models.CharField(max_length=255)
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    grades = models.JSONField(_("grades"), default=list, blank=True)
    student_count = models.PositiveIntegerField(_("students"), default=0)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "source_id"], name="roster_class_unique_source"
            ),
        ]
        indexes = [models.Index(fields=["teacher"], name="roster_class_teacher")]

    def __str__(self) -> str:
        return self.title
