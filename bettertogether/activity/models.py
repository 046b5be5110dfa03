"""The activity log: who did what to which object, in which organisation.

An entry names the actor, a dotted action (`invitation.send`), the object's type, id and a
short non-confidential label, and the organisation and network it happened in. It never
holds confidential text: a label is a person's name or an organisation's name, never a
note, a reflection or an answer. Network admins browse their network's entries.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How each action reads in the log: "<actor> <label> <object>".
ACTION_LABELS = {
    "organisation.create": _("added"),
    "organisation.update_settings": _("changed the settings of"),
    "school_year.create": _("added the school year"),
    "term.create": _("added the term"),
    "person.create": _("created the account of"),
    "person.deactivate": _("switched off the account of"),
    "person.reactivate": _("switched on the account of"),
    "membership.grant": _("gave a role to"),
    "membership.revoke": _("removed a role from"),
    "profile.update": _("updated the profile of"),
    "caseload.assign": _("added to a caseload:"),
    "caseload.remove": _("removed from a caseload:"),
    "invitation.send": _("invited"),
    "invitation.revoke": _("withdrew the invitation of"),
    "invitation.accept": _("accepted an invitation:"),
    "person.link_sso": _("linked single sign-on for"),
    "roster.import": _("imported a roster:"),
    "interaction.log": _("logged"),
    "interaction.update": _("changed a log entry:"),
    "interaction.delete": _("deleted a log entry:"),
    "personal_note.add": _("added a personal note about"),
    "personal_note.delete": _("deleted a personal note about"),
    "relationship_rules.update": _("changed the relationship rules of"),
    "support_kind.create": _("added the kind of support"),
    "support_kind.update": _("changed the kind of support"),
    "notification_preference.update": _("changed how they get notifications:"),
}


class ActivityEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.BigIntegerField(null=True)
    target_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    network = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activity entries"
        indexes = [
            models.Index(fields=["network", "-created_at"], name="activity_network_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"

    @property
    def role_label(self) -> str:
        from bettertogether.directory.models import Role

        role = self.details.get("role", "")
        return str(Role(role).label) if role in Role.values else ""

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
