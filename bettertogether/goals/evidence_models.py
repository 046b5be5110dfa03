"""Class-level student evidence of a coaching cycle: measures, their points before, at
checkpoints and after, and anonymised work samples. Part of the goals app (its models are
re-exported by `goals.models`); pair-level content, see `goals.models`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    SHARE = "share", _("Share of students meeting the target")
    SCORE = "score", _("Class mean and standard deviation of a score")


class EvidenceMeasure(models.Model):
    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("what is measured"), max_length=160)
    kind = models.CharField(_("kind"), max_length=8, choices=MeasureKind.choices)
    target_description = models.CharField(
        _("what meeting the target means"), max_length=300, blank=True,
        help_text=_("For example: 3 or more on the reasoning rubric."))
    scale_max = models.DecimalField(_("highest possible score"), max_digits=8,
                                    decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Growth from the before to the after point, for reports to aggregate in SQL: derived
    # from the points, kept by the evidence services (`goals.growth`), never typed. All
    # empty unless the measure has both a before and an after point.
    growth_students = models.PositiveSmallIntegerField(null=True, editable=False)  # smaller group
    growth_change_pp = models.FloatField(null=True, editable=False)  # a share's change
    growth_g = models.FloatField(null=True, editable=False)  # a score's Hedges' g, if any
    growth_on = models.DateField(null=True, editable=False)  # the after point's day

    class Meta:
        ordering = ["cycle_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class EvidencePoint(models.Model):
    class Moment(models.TextChoices):
        BEFORE = "before", _("Before")
        CHECKPOINT = "checkpoint", _("Checkpoint")
        AFTER = "after", _("After")

    measure = models.ForeignKey(EvidenceMeasure, on_delete=models.CASCADE,
                                related_name="points")
    moment = models.CharField(_("when in the cycle"), max_length=12, choices=Moment.choices)
    taken_on = models.DateField(_("date"))
    students = models.PositiveSmallIntegerField(_("number of students"))
    meeting_target = models.PositiveSmallIntegerField(_("students meeting the target"),
                                                      null=True, blank=True)
    mean = models.DecimalField(_("mean score"), max_digits=8, decimal_places=3, null=True,
                               blank=True)
    sd = models.DecimalField(_("standard deviation"), max_digits=8, decimal_places=3,
                             null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["measure_id", "taken_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(students__gt=0), name="evidence_has_students"),
            models.CheckConstraint(
                condition=Q(meeting_target__isnull=True) | Q(meeting_target__lte=F("students")),
                name="evidence_meeting_within_students"),
            models.CheckConstraint(condition=Q(sd__isnull=True) | Q(sd__gte=0),
                                   name="evidence_sd_not_negative"),
            models.UniqueConstraint(fields=["measure"], condition=Q(moment="before"),
                                    name="evidence_one_before"),
            models.UniqueConstraint(fields=["measure"], condition=Q(moment="after"),
                                    name="evidence_one_after"),
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} {self.taken_on}"


def _sample_path(instance: EvidenceSample, filename: str) -> str:
    return f"evidence/{instance.cycle_id}/{uuid.uuid4().hex}/{filename}"


class EvidenceSample(models.Model):
    """An anonymised student work sample. Served only through a permission-checked view."""

    cycle = models.ForeignKey("goals.Cycle", on_delete=models.CASCADE, related_name="samples")
    file = models.FileField(upload_to=_sample_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("what it shows"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
