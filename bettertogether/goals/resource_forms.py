"""Forms of the library of conversation resources."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.forms import Form

from .models import ConversationResource, Purpose

ONLY_ME = "me"


class LibraryFilterForm(Form):
    purpose = forms.ChoiceField(label=_("Purpose"), required=False,
                                choices=[("", _("Every purpose")), *Purpose.choices])


class ResourceForm(Form):
    """A resource of the coach's own or of a network. `share` only when it is new and the
    person may put it in more than one place (their own shelf, a network's)."""

    title = forms.CharField(label=_("Title"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=ConversationResource.Kind.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices,
                                help_text=_("The stage of a cycle it serves."))
    body = forms.CharField(
        label=_("Text"), max_length=6000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Question stems one a line, or the protocol's steps."))
    share = forms.ChoiceField(label=_("Who sees it"), widget=forms.RadioSelect)

    def __init__(self, *args, networks=(), can_keep_own: bool = False, new: bool = True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(ONLY_ME, _("Only me"))] if can_keep_own else []
        choices += [(str(n.pk), _("Every coach of %(network)s") % {"network": n.name})
                    for n in networks]
        self.new = new
        self.networks = {str(n.pk): n for n in networks}
        self.fixed_share = choices[0][0] if len(choices) == 1 else None
        if not new or len(choices) <= 1:
            del self.fields["share"]
        else:
            self.fields["share"].choices = choices
            self.initial.setdefault("share", ONLY_ME if can_keep_own else choices[0][0])

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        share = data.pop("share", self.fixed_share)
        if self.new:
            data["for_network"] = self.networks.get(share)
        return data


class AgendaForm(Form):
    """Which of the coach's upcoming sessions a resource goes into."""

    session = forms.TypedChoiceField(label=_("Add to the agenda of…"), coerce=int,
                                     error_messages={"invalid_choice": _(
                                         "Choose one of your upcoming sessions.")})

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [(s.pk, s.title) for s in sessions]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]
