from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.forms import Form

from .models import Delivery

DELIVERY_CHOICES = [
    (Delivery.IMMEDIATE, _("Immediately: an email for each notification, as it happens")),
    (Delivery.DIGEST, _("Daily digest: one email each morning listing everything new")),
    (Delivery.NONE, _("In the app only: no email")),
]


class PreferenceForm(Form):
    delivery = forms.ChoiceField(
        label=_("Email me"),
        choices=DELIVERY_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "Notifications tell you when a teacher asks for support, when your coach answers, "
            "when a session is scheduled, moved or called off, and the day before a session. "
            "You always see them here in the app, whichever you choose."
        ),
        error_messages={
            "required": _("Choose how you want to hear about notifications."),
            "invalid_choice": _("Choose one of the three ways."),
        },
    )
