"""The coaching menu, teachers' requests, and the sessions they turn into.

A **menu item** is a service a coach offers ("Co-plan a lesson", "Set up your smartboard"):
a coach's own item, or a network item that every coach of the network offers. A teacher
**requests** an item from one of their coaches with a note and the times that suit them.
The coach accepts (a **session** is scheduled), proposes another time (the teacher takes it
or not), or declines with a message. After a session the coach logs it: the log form opens
prefilled, and the logged interaction is linked to the session. The menu counts, per item,
how many requests it drew and how far they went: the "foot in the door" funnel.

Who sees what:
- A request's `note`, `preferred_times` and `coach_message`, and a session's `agenda`, are
  pair-level content: the coach and the teacher (for a session: its coach and attendees).
  Leaders and admins see only counts. Calendar feeds and notifications carry titles, times
  and places, never this text.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.coaching.models import Place


class MenuItem(models.Model):
    network = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="menu_items"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="menu_items",
        help_text=_("Empty for an item every coach of the network offers."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.ForeignKey(
        "coaching.SupportKind", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("kind of support"),
    )
    typical_minutes = models.PositiveSmallIntegerField(_("typical length in minutes"))
    outcome = models.CharField(
        _("what you get"), max_length=300, blank=True,
        help_text=_("What the teacher walks away with."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "title"], condition=Q(coach__isnull=False),
                                    name="menu_item_unique_coach_title"),
            models.UniqueConstraint(fields=["network", "title"], condition=Q(coach__isnull=True),
                                    name="menu_item_unique_network_title"),
            models.CheckConstraint(condition=Q(typical_minutes__gt=0),
                                   name="menu_item_has_minutes"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_network_item(self) -> bool:
        return self.coach_id is None


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the coach")
    PROPOSED = "proposed", _("Coach proposed a time")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.PROPOSED)


class SupportRequest(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                               related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="support_requests")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="requests_received")
    item = models.ForeignKey(MenuItem, on_delete=models.PROTECT, related_name="requests")
    note = models.TextField(_("note to your coach"), max_length=2000, blank=True)
    preferred_times = models.CharField(_("times that suit you"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    coach_message = models.TextField(_("message to the teacher"), max_length=2000, blank=True)
    proposed_start = models.DateTimeField(null=True, blank=True)
    proposed_end = models.DateTimeField(null=True, blank=True)
    proposed_place = models.CharField(max_length=16, choices=Place.choices, blank=True)
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "idempotency_key"],
                                    name="request_once_per_key"),
            models.CheckConstraint(condition=~Q(teacher=F("coach")),
                                   name="request_not_to_self"),
            models.CheckConstraint(
                condition=Q(proposed_start__isnull=True) | Q(proposed_end__gt=F("proposed_start")),
                name="request_proposal_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "status"], name="request_coach_status"),
            models.Index(fields=["teacher", "-created_at"], name="request_teacher_recent"),
            models.Index(fields=["item", "status"], name="request_item_status"),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk}: {self.item_id} from {self.teacher_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class CoachingSession(models.Model):
    """A meeting in the calendar: from an accepted request, or scheduled by the coach."""

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                               related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="sessions_led")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coaching_sessions",
                                       verbose_name=_("teachers"))
    request = models.OneToOneField(SupportRequest, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="session")
    kind = models.ForeignKey("coaching.SupportKind", on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("kind of support"))
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("where"), max_length=16, choices=Place.choices, blank=True)
    location = models.CharField(_("room or link"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), max_length=2000, blank=True,
                              help_text=_("The teachers see this."))
    status = models.CharField(max_length=12, choices=SessionStatus.choices,
                              default=SessionStatus.SCHEDULED)
    # RFC 5545: SEQUENCE goes up with every change a calendar client must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interaction = models.OneToOneField("coaching.Interaction", on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="session")
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="session_ends_after_start"),
            models.UniqueConstraint(fields=["coach", "idempotency_key"],
                                    name="session_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["coach", "starts_at"], name="session_coach_time"),
            models.Index(fields=["status", "starts_at"], name="session_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def minutes(self) -> int:
        return max(1, int((self.ends_at - self.starts_at).total_seconds() // 60))


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only a digest of the token is kept, so the
    address is shown once; making a new one revokes the old."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person_id}"
