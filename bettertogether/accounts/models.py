"""Invitations: how a person arrives in a network.

A network admin invites an email address into an organisation with a role. The email
carries a link with a random token; only its SHA-256 is stored, so a database dump does
not hand out working links. A link works once and expires.

The token is made by the background worker at the moment it sends the email, never
before: until then `token_hash` is empty and no link works. So the queue's rows (which
support staff can read) hold only the invitation's id, and a task run twice, or one that
finds the invitation resent, withdrawn or accepted meanwhile, sends nothing.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.directory.models import Organisation, Role


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Withdrawn")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    network = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network", "-created_at"], name="invitation_recent"),
            models.Index(fields=["email"], name="invitation_open_to",
                         condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True,
                                            declined_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "organisation", "role"], name="invitation_one_open",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True,
                                   declined_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.declined_at:
            return self.Status.DECLINED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING
