from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import DateField, ModelMultipleChoiceField
from bettertogether.core.forms import Form

from .models import CHECKLIST, CLOSED_GOAL_STATUSES, GoalStatus, GrowthGoal, Outcome


class GoalForm(Form):
    """A goal, written together. Teachers are chosen only when it is new."""

    teachers = ModelMultipleChoiceField(
        label=_("Teachers"), queryset=None,
        help_text=_("One teacher, or a team working on the same goal."))
    title = forms.CharField(label=_("Short title"), max_length=160,
                            help_text=_("How you will both refer to it."))
    student_outcome = forms.CharField(
        label=_("What students will know or be able to do"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    success_criteria = forms.CharField(
        label=_("Success criteria"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("“I can…” learning targets, one a line."))
    measure = forms.CharField(label=_("How it will be measured"), required=False,
                              max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=300,
                               help_text=_("Where students are now."))
    target = forms.CharField(label=_("Target"), required=False, max_length=300,
                             help_text=_("Where they will be when the goal is met."))
    expectations = forms.CharField(
        label=_("Expectations: who does what by when"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    is_powerful = forms.BooleanField(required=False)
    is_easy = forms.BooleanField(required=False)
    is_emotionally_compelling = forms.BooleanField(required=False)
    is_reachable = forms.BooleanField(required=False)
    is_student_focused = forms.BooleanField(required=False)
    indicators = ModelMultipleChoiceField(
        label=_("Standards and indicators"), queryset=None, required=False,
        help_text=_("What the goal works toward, from your network's frameworks."))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    CHECKS = tuple(name for name, _label in CHECKLIST)

    def __init__(self, *args, teachers=None, indicators=None, new: bool = True,
                 is_coach: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHECKLIST:
            self.fields[name].label = label
        if new:
            self.fields["teachers"].queryset = teachers
            self.fields["idempotency_key"].required = True
            if not self.is_bound:
                self.initial.setdefault("idempotency_key", uuid.uuid4())
        else:
            del self.fields["teachers"]
            del self.fields["idempotency_key"]
        if is_coach and indicators is not None and indicators.exists():
            self.fields["indicators"].queryset = indicators
        else:
            del self.fields["indicators"]

    def text_fields(self):
        return [self[name] for name in self.fields
                if name not in self.CHECKS and name not in ("idempotency_key",)]

    def check_fields(self):
        return [self[name] for name in self.CHECKS]

    def goal_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("teachers", "indicators", "idempotency_key")}


class GoalCloseForm(Form):
    status = forms.ChoiceField(
        label=_("How did it end?"), widget=forms.RadioSelect,
        choices=[(s, GoalStatus(s).label) for s in CLOSED_GOAL_STATUSES])
    reflection = forms.CharField(
        label=_("Reflection"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What students learned, and what comes next. The teacher sees this."))


class CycleStartForm(Form):
    template = forms.TypedChoiceField(label=_("Cycle"), coerce=int, empty_value=None)
    started_on = DateField(label=_("Starts on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {t.pk: t for t in templates}
        self.fields["template"].choices = [
            (t.pk, _("%(name)s (%(n)s stages)") % {"name": t.name, "n": t.stage_count})
            for t in templates]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_template(self):
        template = self.templates.get(self.cleaned_data.get("template"))
        if template is None:
            raise forms.ValidationError(_("Choose a cycle template from the list."))
        return template


class StageForm(Form):
    plan = forms.CharField(label=_("What we plan"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    happened = forms.CharField(label=_("What happened"), required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    due_on = DateField(label=_("Due"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, is_coach: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_coach:
            del self.fields["due_on"]


class CycleCloseForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    coach_reflection = forms.CharField(
        label=_("Your reflection"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed for students, and what comes next. The teacher sees this."))
    stopped_early = forms.BooleanField(label=_("We stopped before the last stage"),
                                       required=False)


class ReflectionForm(Form):
    reflection = forms.CharField(
        label=_("Your reflection"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed for your students, and what you learned. Your coach sees "
                    "this."),
        error_messages={"required": _("Write your reflection first.")})


class PrivateNotesForm(Form):
    private_notes = forms.CharField(
        label=_("Private notes"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Only you ever see these."))


class GrowthGoalForm(Form):
    title = forms.CharField(label=_("My goal"), max_length=200)
    description = forms.CharField(
        label=_("What it looks like when I get there"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=GrowthGoal.Status.choices)

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["status"]
