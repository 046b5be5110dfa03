"""The coach's log: every contact with teachers, and the coach's own time.

An **interaction** is one logged piece of work by a coach: a kind of support (from a list
the network can extend), how long, when, where, with which teachers (none for the coach's
own non-contact time: planning, meetings, duties, own learning), a note shared with those
teachers and a private note only the coach ever sees.

Who sees what:
- `shared_note` is pair-level content: the coach and the teachers of that interaction.
- `private_note` and **personal notes** (what a coach remembers about a teacher: "their
  daughter started college") belong to the coach alone. They never appear in anyone
  else's page, export, email, notification, feed or log line.
- Leaders and admins see only metadata as aggregates: counts and minutes by kind.

`InteractionTeacher` is the link to each teacher, carrying the coach and the time again so
"last contact with each teacher of this caseload" is one indexed query at any size.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SupportKind(models.Model):
    """A kind of support (or of the coach's own time). Built-in kinds have no network."""

    network = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="support_kinds",
    )
    name = models.CharField(_("name"), max_length=60)
    default_minutes = models.PositiveSmallIntegerField(_("usual minutes"), default=15)
    is_contact = models.BooleanField(
        _("time with teachers"), default=True,
        help_text=_("Off for the coach's own time: planning, meetings, duties, own learning."),
    )
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_contact", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="support_kind_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    OFFICE = "office", _("Office or workroom")
    HALLWAY = "hallway", _("Hallway")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email or message")
    PHONE = "phone", _("Phone")
    VIRTUAL = "virtual", _("Video call")
    OTHER = "other", _("Somewhere else")


class Interaction(models.Model):
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions_logged"
    )
    network = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    kind = models.ForeignKey(SupportKind, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    place = models.CharField(_("where"), max_length=16, choices=Place.choices, blank=True)
    shared_note = models.TextField(
        _("note shared with the teacher"), blank=True, max_length=4000,
        help_text=_("The teachers of this interaction see it."),
    )
    private_note = models.TextField(
        _("private note"), blank=True, max_length=4000,
        help_text=_("Only you ever see this."),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InteractionTeacher",
        through_fields=("interaction", "teacher"), related_name="interactions",
    )
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "idempotency_key"], name="interaction_once_per_key"
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="interaction_has_minutes"),
        ]
        indexes = [
            models.Index(fields=["coach", "-occurred_at"], name="interaction_coach_recent"),
            models.Index(fields=["network", "occurred_at"], name="interaction_network_time"),
            models.Index(fields=["school", "occurred_at"], name="interaction_school_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.coach_id} at {self.occurred_at:%Y-%m-%d}"


class InteractionTeacher(models.Model):
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="links")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "teacher"], name="interaction_teacher_once"
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "teacher", "-occurred_at"], name="link_pair_recent"),
            models.Index(fields=["teacher", "-occurred_at"], name="link_teacher_recent"),
        ]

    def __str__(self) -> str:
        return f"Interaction {self.interaction_id} with {self.teacher_id}"


class PersonalNote(models.Model):
    """What a coach remembers about a teacher. Private to that coach, always."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coach", "teacher"], name="personal_note_pair")]

    def __str__(self) -> str:
        return f"Personal note {self.pk}"


class RelationshipRules(models.Model):
    """How a network reads relationship stages and when to nudge a coach: data, not code.

    One row per network, created the first time an admin saves them; until then the
    defaults below apply (readers never create the row).
    """

    DEFAULT_TRUSTING_MIN_CONTACTS = 3
    DEFAULT_TRUSTING_MIN_WEEKS = 3
    DEFAULT_NUDGE_AFTER_DAYS = 21

    network = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="relationship_rules"
    )
    trusting_min_contacts = models.PositiveSmallIntegerField(
        _("contacts before trusting"), default=DEFAULT_TRUSTING_MIN_CONTACTS,
        help_text=_("How many contacts count as repeated contact."),
    )
    trusting_min_weeks = models.PositiveSmallIntegerField(
        _("weeks before trusting"), default=DEFAULT_TRUSTING_MIN_WEEKS,
        help_text=_("How many weeks at least between the first and the latest contact."),
    )
    nudge_after_days = models.PositiveSmallIntegerField(
        _("nudge after days"), default=DEFAULT_NUDGE_AFTER_DAYS,
        help_text=_("Remind coaches of a teacher not reached in this many days."),
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "relationship rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(trusting_min_contacts__gte=1, nudge_after_days__gte=1),
                name="relationship_rules_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship rules of {self.network_id}"


# The tallies of the log live in their own module; Django finds models through this one.
from .tallies.models import (  # noqa: E402
    CoachWeek,
    KindWeek,
    PairReach,
    PairTerm,
    TallyRecount,
    WeekTally,
)

__all__ = [
    "CoachWeek", "Interaction", "InteractionTeacher", "KindWeek", "PairReach", "PairTerm",
    "PersonalNote", "Place", "RelationshipRules", "SupportKind", "TallyRecount", "WeekTally",
]
