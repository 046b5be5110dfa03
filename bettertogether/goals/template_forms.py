"""Forms of the cycle templates a network keeps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.forms import Form

from .models import Purpose
from .template_services import MAX_DAYS


class TemplateCopyForm(Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=120)


class TemplateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(
        label=_("Offered to coaches"), required=False,
        help_text=_("Coaches choose from the offered templates when they start a cycle."))


class TemplateStageForm(Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices,
                                help_text=_("Conversation resources are offered by purpose."))
    expected_days = forms.IntegerField(
        label=_("Expected length in days"), min_value=1, max_value=MAX_DAYS,
        help_text=_("A stage's due date is this many days after the one before."))
    guidance = forms.CharField(label=_("What happens in this stage"), required=False,
                               max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    collects_evidence = forms.BooleanField(
        label=_("Student evidence is gathered here"), required=False,
        help_text=_("A pre-assessment, a checkpoint or a post-assessment."))
    position = forms.TypedChoiceField(label=_("Place in the cycle"), coerce=int)

    def __init__(self, *args, places: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(n, str(n)) for n in range(1, places + 1)]
        self.initial.setdefault("position", places)
