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
    "menu_item.create": _("added to a coaching menu:"),
    "menu_item.update": _("changed a menu item:"),
    "request.create": _("asked for"),
    "request.accept": _("said yes to a request for"),
    "request.propose": _("proposed a time for"),
    "request.take_proposal": _("took the proposed time for"),
    "request.decline": _("declined a request for"),
    "request.withdraw": _("withdrew a request for"),
    "session.schedule": _("scheduled a session:"),
    "session.update": _("changed a session:"),
    "session.cancel": _("cancelled a session:"),
    "session.log": _("logged a session:"),
    "session.add_resource": _("added a conversation resource to a session:"),
    "calendar_feed.create": _("made a calendar address:"),
    "calendar_feed.reset": _("made a new calendar address:"),
    "calendar_feed.revoke": _("turned off the calendar address of"),
    "goal.create": _("set a goal:"),
    "goal.update": _("changed a goal:"),
    "goal.activate": _("started work on a goal:"),
    "goal.close": _("closed a goal:"),
    "growth_goal.create": _("added a growth goal:"),
    "growth_goal.update": _("changed a growth goal:"),
    "cycle.start": _("started a coaching cycle:"),
    "cycle.reflect": _("reflected on a coaching cycle:"),
    "cycle.private_notes": _("kept private notes on a coaching cycle:"),
    "cycle.close": _("closed a coaching cycle:"),
    "cycle.tag": _("tagged a coaching cycle with standards:"),
    "cycle_stage.update": _("planned a stage:"),
    "cycle_stage.complete": _("finished a stage:"),
    "cycle_stage.reopen": _("opened a stage again:"),
    "cycle_stage.add_resource": _("added a conversation resource to a stage:"),
    "cycle_stage.attach": _("put a contact into a stage:"),
    "cycle_template.copy": _("copied a cycle template:"),
    "cycle_template.update": _("changed a cycle template:"),
    "template_stage.create": _("added a stage to a cycle template:"),
    "template_stage.update": _("changed a stage of a cycle template:"),
    "template_stage.move": _("moved a stage of a cycle template:"),
    "template_stage.delete": _("removed a stage from a cycle template:"),
    "evidence_measure.add": _("added a measure of student evidence:"),
    "evidence_measure.update": _("changed a measure of student evidence:"),
    "evidence_measure.delete": _("removed a measure of student evidence:"),
    "evidence_point.record": _("recorded student evidence:"),
    "evidence_point.delete": _("removed student evidence:"),
    "evidence_sample.upload": _("added a work sample:"),
    "evidence_sample.delete": _("removed a work sample:"),
    "resource.create": _("added a conversation resource:"),
    "resource.update": _("changed a conversation resource:"),
    "resource.delete": _("removed a conversation resource:"),
    "framework.import": _("imported a framework:"),
    "interaction.tag": _("tagged a contact with standards:"),
    "report_snapshot.publish": _("shared a report snapshot with"),
    "report_snapshot.withdraw": _("withdrew the report snapshot shared with"),
    "report_pdf.request": _("asked for a PDF of a report:"),
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
