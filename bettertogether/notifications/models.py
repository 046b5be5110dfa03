"""Notifications: a line in the app, and an email now, in a daily digest or never.

A **notification** tells one person that something happened that concerns them: a teacher
asked for support, a coach answered, a session was scheduled, moved or called off, a
session is tomorrow. It holds a kind, a short title and a site-relative link, nothing more.
The title is written by the calling code from metadata only ("Tess Teacher asked for
Co-planning"); a person's own words (notes, requests, reflections) never reach a
notification, so they can never reach an email either.

Each person chooses how they hear about them (`NotificationPreference.delivery`): an email
for each one as it happens (the default, also when the person never chose), one email a
day listing everything new, or the app only. Every notification appears in the app
whatever the choice.

`dedupe_key` lets a caller say "this notification once": a reminder job that runs twice
notifies once, because (recipient, dedupe_key) is unique whenever a key is given.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 200


def validate_site_path(value: str) -> None:
    """A path on this site ("/coaching/requests/5/"), never another site's address."""
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        raise ValidationError(_("A notification links to a page of this site."))


class Notification(models.Model):
    class Kind(models.TextChoices):
        REQUEST_NEW = "request_new", _("A teacher asked for support")
        REQUEST_ANSWERED = "request_answered", _("Your coach answered your request")
        SESSION_SCHEDULED = "session_scheduled", _("A session was scheduled")
        SESSION_CHANGED = "session_changed", _("A session changed")
        SESSION_CANCELLED = "session_cancelled", _("A session was canceled")
        SESSION_TOMORROW = "session_tomorrow", _("A session tomorrow")
        REPORT_SHARED = "report_shared", _("A coach shared a report with you")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The network it happened in: its terminology is the email's.
    network = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    url = models.CharField(_("link"), max_length=500, validators=[validate_site_path])
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"],
                         name="notification_recent"),
            # Counted on every page (the unread count in the navigation) and read by the
            # digest: small partial indexes, whatever the history's length.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
            models.Index(fields=["recipient"], condition=Q(emailed_at__isnull=True),
                         name="notification_not_emailed"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    NONE = "none", _("In the app only")


class NotificationPreference(models.Model):
    """How a person hears about their notifications.

    Created the first time the person saves a choice; until then `Delivery.IMMEDIATE`
    applies (readers never create the row).
    """

    DEFAULT = Delivery.IMMEDIATE

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("email me"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Notification preference of {self.person_id}: {self.delivery}"
