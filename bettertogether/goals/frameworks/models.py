"""Frameworks of standards: a framework, its standards and their indicators, in order, and
the indicators an interaction of the coach's log touched. Part of the goals app (its
models are re-exported by `goals.models`); imported from CASE 1.1 JSON or CSV by
`frameworks.services`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="frameworks")
    title = models.CharField(_("title"), max_length=200)
    identifier = models.CharField(_("identifier"), max_length=255, blank=True,
                                  help_text=_("The CASE document identifier, if any."))
    version = models.CharField(_("version"), max_length=60, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "title"], name="framework_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class FrameworkItem(models.Model):
    """A standard (or a competency) or one of its indicators, in the framework's order."""

    class Level(models.TextChoices):
        STANDARD = "standard", _("Standard")
        INDICATOR = "indicator", _("Indicator")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    level = models.CharField(max_length=12, choices=Level.choices)
    code = models.CharField(_("code"), max_length=60, blank=True)
    statement = models.TextField(_("statement"), max_length=2000)
    identifier = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework_id", "position", "id"]
        indexes = [models.Index(fields=["framework", "position"], name="framework_item_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}".strip()



class InteractionIndicator(models.Model):
    """A framework item an interaction touched (tagged by its coach)."""

    interaction = models.ForeignKey("coaching.Interaction", on_delete=models.CASCADE,
                                    related_name="indicator_links")
    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE,
                             related_name="interaction_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interaction", "item"],
                                    name="interaction_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interaction_id} → {self.item_id}"
