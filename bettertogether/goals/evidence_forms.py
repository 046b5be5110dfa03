"""Forms of a cycle's student evidence. Each has a prefix, because the cycle page shows the
form to add a measure, one form per measure to record a point, and the upload form
together, and their fields' ids must not clash."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import DateField
from bettertogether.core.forms import Form

from .models import EvidencePoint, MeasureKind

Moment = EvidencePoint.Moment


class MeasureForm(Form):
    prefix = "measure"

    name = forms.CharField(
        label=_("What is measured"), max_length=160,
        help_text=_("About the class's learning, never a student's name: “Explains their "
                    "reasoning in writing”."),
        error_messages={"required": _("Say what is measured.")})
    kind = forms.ChoiceField(label=_("How it is counted"), choices=MeasureKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Choose how it is counted.")})
    target_description = forms.CharField(
        label=_("What meeting the target means"), required=False, max_length=300,
        help_text=_("For a share: for example, 3 or more on the reasoning rubric."))
    scale_max = forms.DecimalField(
        label=_("Highest possible score"), required=False, max_digits=8, decimal_places=2,
        help_text=_("For a score, if it has one: 4 for a 4-point rubric, 20 for a quiz out "
                    "of 20."))


class PointForm(Form):
    """One moment of one measure: the fields of the measure's kind only."""

    moment = forms.ChoiceField(label=_("When in the cycle"), choices=Moment.choices)
    taken_on = DateField(label=_("Date"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date.")})
    students = forms.IntegerField(label=_("Number of students"), min_value=1,
                                  max_value=32767,
                                  error_messages={"required": _("Enter how many students.")})
    meeting_target = forms.IntegerField(
        label=_("Students meeting the target"), min_value=0, max_value=32767,
        error_messages={"required": _("Enter how many students met the target.")})
    mean = forms.DecimalField(label=_("Mean score"), min_value=0, max_digits=8,
                              decimal_places=3,
                              error_messages={"required": _("Enter the class's mean score.")})
    sd = forms.DecimalField(
        label=_("Standard deviation"), min_value=0, max_digits=8, decimal_places=3,
        help_text=_("From your spreadsheet: STDEV.S of the class's scores."),
        error_messages={"required": _("Enter the standard deviation.")})

    def __init__(self, *args, measure, points=(), **kwargs):
        kwargs.setdefault("prefix", f"point-{measure.pk}")
        super().__init__(*args, **kwargs)
        self.measure = measure
        drop = ("mean", "sd") if measure.kind == MeasureKind.SHARE else ("meeting_target",)
        for name in drop:
            del self.fields[name]
        if not self.is_bound:
            moments = {p.moment for p in points}
            self.initial.setdefault("taken_on", timezone.localdate())
            self.initial.setdefault("moment", Moment.BEFORE if Moment.BEFORE not in moments
                                    else Moment.CHECKPOINT if Moment.AFTER in moments
                                    else Moment.AFTER)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"moment": data["moment"], "taken_on": data["taken_on"],
                "students": data["students"], "meeting_target": data.get("meeting_target"),
                "mean": data.get("mean"), "sd": data.get("sd")}


class SampleForm(Form):
    prefix = "sample"

    file = forms.FileField(
        label=_("Work sample"),
        widget=forms.FileInput(attrs={
            "accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
        error_messages={"required": _("Choose a file to upload."),
                        "empty": _("This file is empty.")})
    description = forms.CharField(label=_("What it shows"), required=False, max_length=300,
                                  help_text=_("For example: a typical piece at the start."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, PNG or JPEG of at most %(mb)s MB. Take every student's name off first: "
            "from the work and from the file's name.") % {
            "mb": settings.EVIDENCE_SAMPLE_MAX_BYTES // (1024 * 1024)}
