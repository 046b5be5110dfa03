"""The report's filters and the form that publishes a snapshot."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import DateField
from bettertogether.core.forms import Form
from bettertogether.core.widgets import FastSelect

from .engine import Filters

MAX_YEARS = 6


class ReportFilterForm(Form):
    start = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    # A network offers hundreds of schools and coaches: the options are drawn in Python.
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int,
                                    empty_value=None, widget=FastSelect)
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int,
                                   empty_value=None, widget=FastSelect)
    subject = forms.TypedChoiceField(label=_("Subject"), required=False, coerce=int,
                                     empty_value=None, widget=FastSelect)
    coach = forms.TypedChoiceField(label=_("Coach"), required=False, coerce=int,
                                   empty_value=None, widget=FastSelect)
    kind = forms.TypedChoiceField(label=_("Kind of support"), required=False, coerce=int,
                                  empty_value=None, widget=FastSelect)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, key, everyone in (("school", "schools", _("Every school")),
                                    ("grade", "grades", _("Every grade")),
                                    ("subject", "subjects", _("Every subject")),
                                    ("coach", "coaches", _("Every coach")),
                                    ("kind", "kinds", _("Every kind"))):
            options = choices.get(key) or []
            if len(options) < 1 or (name == "school" and len(options) < 2):
                del self.fields[name]
                continue
            self.fields[name].choices = [("", everyone), *options]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end comes before the start: choose a later day."))
            elif end - start > datetime.timedelta(days=366 * MAX_YEARS):
                self.add_error("start", _("Choose at most %(n)s years.") % {"n": MAX_YEARS})
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(start=data["start"], end=data["end"], school_id=data.get("school"),
                       grade_id=data.get("grade"), subject_id=data.get("subject"),
                       coach_id=data.get("coach"), kind_id=data.get("kind"))


class SnapshotForm(Form):
    leader = forms.TypedChoiceField(label=_("Share with"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=120)
    message = forms.CharField(label=_("Message (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", _("Choose a leader")),
                                         *[(p.pk, p.full_name) for p in leaders]]
