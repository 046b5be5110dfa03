"""The activity log: who did what to which object, in which organisation.

An entry names the actor, a dotted action (`invitation.send`), the object's type, id and a
short non-confidential label, and the organisation and network it happened in. It never
holds confidential text: a label is a person's name or an organisation's name, never a
note, a reflection or an answer. Network admins browse their network's entries.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CoachingAction:
    """A coaching action's label. Who did it — and whom it was about — is shown to a
    leader or an admin only as the disclosure gate allows (`directory.disclosure`): under
    "totals only" the log reads "A teacher asked for Co-plan a lesson"."""

    label: Promise
    names_a_person: bool = False  # the object's label is a person's name

    def __str__(self) -> str:
        return str(self.label)


def coaching(label: Promise, *, names_a_person: bool = False) -> CoachingAction:
    return CoachingAction(label=label, names_a_person=names_a_person)


# How each action reads in the log: "<actor> <label> <object>". A coaching action (about
# a teacher's coaching, rather than administration) is declared with `coaching(...)`.
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
    "person.remove_from_network": _("removed from the network:"),
    "profile.update": _("updated the profile of"),
    "caseload.assign": _("added to a caseload:"),
    "caseload.remove": _("removed from a caseload:"),
    "invitation.send": _("invited"),
    "invitation.revoke": _("withdrew the invitation of"),
    "invitation.accept": _("accepted an invitation:"),
    "invitation.decline": _("declined an invitation:"),
    "person.link_sso": _("linked single sign-on for"),
    "roster.import": _("imported a roster:"),
    "roster.discard": _("discarded a roster preview:"),
    "interaction.log": coaching(_("logged")),
    "interaction.update": coaching(_("changed a log entry:")),
    "interaction.delete": coaching(_("deleted a log entry:")),
    "personal_note.add": coaching(_("added a personal note about"), names_a_person=True),
    "personal_note.delete": coaching(_("deleted a personal note about"), names_a_person=True),
    "relationship_rules.update": _("changed the relationship rules of"),
    "support_kind.create": _("added the kind of support"),
    "support_kind.update": _("changed the kind of support"),
    "notification_preference.update": _("changed how they get notifications:"),
    "menu_item.create": _("added to a coaching menu:"),
    "menu_item.update": _("changed a menu item:"),
    "request.create": coaching(_("asked for")),
    "request.accept": coaching(_("said yes to a request for")),
    "request.propose": coaching(_("proposed a time for")),
    "request.take_proposal": coaching(_("took the proposed time for")),
    "request.decline": coaching(_("declined a request for")),
    "request.withdraw": coaching(_("withdrew a request for")),
    "session.schedule": coaching(_("scheduled a session:")),
    "session.update": coaching(_("changed a session:")),
    "session.cancel": coaching(_("cancelled a session:")),
    "session.log": coaching(_("logged a session:")),
    "session.add_resource": coaching(_("added a conversation resource to a session:")),
    "calendar_feed.create": _("made a calendar address:"),
    "calendar_feed.reset": _("made a new calendar address:"),
    "calendar_feed.revoke": _("turned off the calendar address of"),
    "goal.create": coaching(_("set a goal:")),
    "goal.update": coaching(_("changed a goal:")),
    "goal.activate": coaching(_("started work on a goal:")),
    "goal.close": coaching(_("closed a goal:")),
    "growth_goal.create": coaching(_("added a growth goal:")),
    "growth_goal.update": coaching(_("changed a growth goal:")),
    "cycle.start": coaching(_("started a coaching cycle:")),
    "cycle.reflect": coaching(_("reflected on a coaching cycle:")),
    "cycle.private_notes": coaching(_("kept private notes on a coaching cycle:")),
    "cycle.close": coaching(_("closed a coaching cycle:")),
    "cycle.tag": coaching(_("tagged a coaching cycle with standards:")),
    "cycle_stage.update": coaching(_("planned a stage:")),
    "cycle_stage.complete": coaching(_("finished a stage:")),
    "cycle_stage.reopen": coaching(_("opened a stage again:")),
    "cycle_stage.add_resource": coaching(_("added a conversation resource to a stage:")),
    "cycle_stage.attach": coaching(_("put a contact into a stage:")),
    "cycle_template.copy": _("copied a cycle template:"),
    "cycle_template.update": _("changed a cycle template:"),
    "template_stage.create": _("added a stage to a cycle template:"),
    "template_stage.update": _("changed a stage of a cycle template:"),
    "template_stage.move": _("moved a stage of a cycle template:"),
    "template_stage.delete": _("removed a stage from a cycle template:"),
    "evidence_measure.add": coaching(_("added a measure of student evidence:")),
    "evidence_measure.update": coaching(_("changed a measure of student evidence:")),
    "evidence_measure.delete": coaching(_("removed a measure of student evidence:")),
    "evidence_point.record": coaching(_("recorded student evidence:")),
    "evidence_point.delete": coaching(_("removed student evidence:")),
    "evidence_sample.upload": coaching(_("added a work sample:")),
    "evidence_sample.delete": coaching(_("removed a work sample:")),
    "resource.create": _("added a conversation resource:"),
    "resource.update": _("changed a conversation resource:"),
    "resource.delete": _("removed a conversation resource:"),
    "framework.import": _("imported a framework:"),
    "interaction.tag": coaching(_("tagged a contact with standards:")),
    "report_snapshot.publish": _("shared a report snapshot with"),
    "report_snapshot.withdraw": _("withdrew the report snapshot shared with"),
    "report_pdf.request": _("asked for a PDF of a report:"),
}

COACHING_ACTIONS = frozenset(action for action, label in ACTION_LABELS.items()
                             if isinstance(label, CoachingAction))


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

    @property
    def is_coaching(self) -> bool:
        return self.action in COACHING_ACTIONS

    @property
    def names_a_person(self) -> bool:
        label = ACTION_LABELS.get(self.action)
        return isinstance(label, CoachingAction) and label.names_a_person
