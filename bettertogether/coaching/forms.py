from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import DateTimeField, ModelMultipleChoiceField
from bettertogether.core.forms import Form

from .models import Place, SupportKind


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class InteractionForm(Form):
    """The quick log: teachers, kind and minutes up front; the rest under "More".

    `kinds` are the kinds the coach may choose (a list, read once); `teachers` is the
    queryset of teachers the coach may log with. The time zone is the organisation's,
    active while the form is parsed and rendered.
    """

    MORE = ("occurred_at", "place", "shared_note", "private_note")

    teachers = ModelMultipleChoiceField(
        label=_("Teachers"), queryset=None, required=False,
        help_text=_("Choose one or more. Leave empty for your own time."),
    )
    kind = forms.TypedChoiceField(label=_("Kind of support"), coerce=int, empty_value=None)
    minutes = forms.IntegerField(
        label=_("Minutes"), required=False, min_value=1, max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    occurred_at = DateTimeField(
        label=_("When"), required=False, widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    place = forms.ChoiceField(
        label=_("Where"), required=False, choices=[("", _("Not given")), *Place.choices]
    )
    shared_note = forms.CharField(
        label=_("Shared note"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The teacher sees this."),
    )
    private_note = forms.CharField(
        label=_("Private note"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you see this."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kinds: list[SupportKind], teachers, with_key: bool = True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.pk: kind for kind in kinds}
        self.fields["teachers"].queryset = teachers
        contact = [(k.pk, _label(k)) for k in kinds if k.is_contact]
        own = [(k.pk, _label(k)) for k in kinds if not k.is_contact]
        self.fields["kind"].choices = [
            ("", _("Choose…")),
            (_("With teachers"), contact),
            (_("Your own time"), own),
        ]
        self.fields["minutes"].help_text = _(
            "Leave blank for the usual minutes, shown next to each kind."
        )
        if with_key:
            self.fields["idempotency_key"].required = True
            if not self.is_bound:
                self.initial.setdefault("idempotency_key", uuid.uuid4())
        else:
            del self.fields["idempotency_key"]

    def clean_kind(self) -> SupportKind:
        kind = self.kinds.get(self.cleaned_data.get("kind"))
        if kind is None:
            raise forms.ValidationError(_("Choose a kind of support from the list."))
        return kind

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.MORE
                and name != "idempotency_key"]

    def more_fields(self):
        return [self[name] for name in self.MORE]

    @property
    def more_has_errors(self) -> bool:
        return any(self.errors.get(name) for name in self.MORE)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "teachers": list(data["teachers"]),
            "minutes": data["minutes"],
            "occurred_at": data["occurred_at"],
            "place": data["place"],
            "shared_note": data["shared_note"],
            "private_note": data["private_note"],
        }


def _label(kind: SupportKind) -> str:
    return _("%(name)s (%(minutes)s min)") % {"name": kind.name, "minutes": kind.default_minutes}


class KindFilterForm(Form):
    kind = forms.TypedChoiceField(label=_("Kind"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, kinds: list[SupportKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((k.pk, k.name) for k in kinds)]


class PersonalNoteForm(Form):
    text = forms.CharField(
        label=_("New note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only you see these: what to remember about this teacher."),
    )


class CaseloadFilterForm(Form):
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int,
                                    empty_value=None)
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int,
                                   empty_value=None)
    subject = forms.TypedChoiceField(label=_("Subject"), required=False, coerce=int,
                                     empty_value=None)

    def __init__(self, *args, schools, grades, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        for name, everything, options in (
            ("school", _("All schools"), schools),
            ("grade", _("All grades"), grades),
            ("subject", _("All subjects"), subjects),
        ):
            self.fields[name].choices = [("", everything), *((o.pk, o.name) for o in options)]


class RelationshipRulesForm(Form):
    trusting_min_contacts = forms.IntegerField(
        label=_("Contacts before trusting"), min_value=1, max_value=100,
        help_text=_("A teacher is trusting after this many contacts…"),
    )
    trusting_min_weeks = forms.IntegerField(
        label=_("Weeks before trusting"), min_value=0, max_value=52,
        help_text=_("…spread over at least this many weeks (first to latest contact)."),
    )
    nudge_after_days = forms.IntegerField(
        label=_("Nudge after days"), min_value=1, max_value=365,
        help_text=_("Coaches see a reminder for teachers not reached in this many days."),
    )


# --- what leaders see of a school; the kinds of support a network offers ------------------


class SchoolSummaryForm(Form):
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods


class SupportKindForm(Form):
    """A network's own kind of support. `in_use`: something points at it (log entries with
    teachers, or without), so whether it is time with teachers stays as it is."""

    name = forms.CharField(label=_("Name"), max_length=60)
    default_minutes = forms.IntegerField(
        label=_("Usual minutes"), min_value=1, max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("What an entry gets when the coach leaves the minutes blank: 1 to 480."),
    )
    is_contact = forms.TypedChoiceField(
        label=_("Whose time"), widget=forms.RadioSelect, coerce=lambda value: value == "True",
        choices=[("True", _("Time with teachers")),
                 ("False", _("The coach's own time: planning, meetings, duties, own learning"))],
    )

    def __init__(self, *args, with_switch: bool = False, in_use: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_switch:
            self.fields["is_active"] = forms.BooleanField(
                label=_("Offered on the quick log"), required=False,
                help_text=_("Switched off, coaches no longer choose it; past entries keep it."),
            )
        if in_use:
            self.fields["is_contact"].disabled = True
            self.fields["is_contact"].help_text = _(
                "Already in use (logged, offered or booked), so this stays as it is.")
