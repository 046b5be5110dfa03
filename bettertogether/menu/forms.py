from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.coaching.forms import DateTimeLocalInput
from bettertogether.coaching.models import Place, SupportKind
from bettertogether.core.fields import DateTimeField, ModelMultipleChoiceField
from bettertogether.core.forms import Form

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
PLACE_CHOICES = [("", _("Not given")), *Place.choices]


class MenuItemForm(Form):
    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("What a teacher would ask for, in their words."))
    kind = forms.TypedChoiceField(label=_("Kind of support"), coerce=int, empty_value=None)
    typical_minutes = forms.IntegerField(
        label=_("Typical length in minutes"), min_value=1, max_value=480,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("What you get"), required=False, max_length=300,
                              help_text=_("What the teacher walks away with."))
    is_active = forms.BooleanField(label=_("Offered on the menu"), required=False,
                                   initial=True)

    def __init__(self, *args, kinds: list[SupportKind], with_active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.pk: kind for kind in kinds if kind.is_contact}
        self.fields["kind"].choices = [("", _("Choose…")),
                                       *((k.pk, k.name) for k in self.kinds.values())]
        if not with_active:
            del self.fields["is_active"]

    def clean_kind(self) -> SupportKind:
        kind = self.kinds.get(self.cleaned_data.get("kind"))
        if kind is None:
            raise forms.ValidationError(_("Choose a kind of support from the list."))
        return kind


CHOOSE_A_COACH = _("Choose one of the coaches of your school.")


class RequestForm(Form):
    coach = forms.TypedChoiceField(
        label=_("Coach"), coerce=int, empty_value=None,
        error_messages={"required": CHOOSE_A_COACH, "invalid_choice": CHOOSE_A_COACH})
    note = forms.CharField(
        label=_("A note to your coach"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you have in mind. Only you and your coach see this."))
    preferred_times = forms.CharField(
        label=_("Times that suit you"), required=False, max_length=300,
        help_text=_("For example: Tuesdays after 3, or my planning period (4th)."))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.coaches = {coach.pk: coach for coach in coaches}
        self.fields["coach"].choices = [(c.pk, c.full_name) for c in coaches]
        if len(coaches) == 1:
            self.fields["coach"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            if coaches:
                self.initial.setdefault("coach", coaches[0].pk)

    def clean_coach(self):
        coach = self.coaches.get(self.cleaned_data.get("coach"))
        if coach is None:
            raise forms.ValidationError(CHOOSE_A_COACH)
        return coach


class TimeForm(Form):
    """A start and an end: the end may be given as a time alone, on the start's day."""

    starts_at = DateTimeField(label=_("Starts"), widget=DateTimeLocalInput(),
                                    input_formats=TIME_FORMATS)
    ends_at = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"), input_formats=["%H:%M", "%H:%M:%S"])
    place = forms.ChoiceField(label=_("Where"), required=False, choices=PLACE_CHOICES)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None:
            local = timezone.localtime(starts)
            end = timezone.make_aware(datetime.datetime.combine(local.date(), ends),
                                      timezone.get_current_timezone())
            if end <= starts:
                self.add_error("ends_at", _("It must end after it starts."))
            data["ends_at"] = end
        return data


class AcceptForm(TimeForm):
    location = forms.CharField(label=_("Room or link"), required=False, max_length=200)
    message = forms.CharField(label=_("A word to the teacher"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(TimeForm):
    message = forms.CharField(label=_("A word to the teacher"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(Form):
    message = forms.CharField(
        label=_("Your message to the teacher"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why not now, or what else might help. The teacher sees this."),
        error_messages={"required": _(
            "Say a word to the teacher: why not now, or what else might help.")})


class SessionForm(TimeForm):
    """A session the coach schedules (or edits): teachers and kind only when new."""

    title = forms.CharField(label=_("Title"), max_length=120)
    teachers = ModelMultipleChoiceField(label=_("Teachers"), queryset=None,
                                              help_text=_("One or several: a team counts."))
    kind = forms.TypedChoiceField(label=_("Kind of support"), coerce=int, empty_value=None)
    location = forms.CharField(label=_("Room or link"), required=False, max_length=200)
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The teachers see this."))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    field_order = ["title", "teachers", "kind", "starts_at", "ends_at", "place", "location",
                   "agenda"]

    def __init__(self, *args, teachers=None, kinds: list[SupportKind] | None = None,
                 new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["teachers"].queryset = teachers
            self.kinds = {kind.pk: kind for kind in kinds or [] if kind.is_contact}
            self.fields["kind"].choices = [("", _("Choose…")),
                                           *((k.pk, k.name) for k in self.kinds.values())]
            self.fields["idempotency_key"].required = True
            if not self.is_bound:
                self.initial.setdefault("idempotency_key", uuid.uuid4())
        else:
            for name in ("teachers", "kind", "idempotency_key"):
                del self.fields[name]

    def clean_kind(self) -> SupportKind:
        kind = self.kinds.get(self.cleaned_data.get("kind"))
        if kind is None:
            raise forms.ValidationError(_("Choose a kind of support from the list."))
        return kind


class StatusFilterForm(Form):
    status = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("open", _("Open requests")), ("all", _("All requests"))])
    teacher = forms.IntegerField(required=False, widget=forms.HiddenInput)
