from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import CompactModelChoiceField
from bettertogether.core.forms import Form, NoColonMixin
from bettertogether.directory.forms import organisation_label
from bettertogether.directory.models import Organisation, Person, Role

from .services import password_reset_email_queue, password_sign_in_allowed


class SignInForm(NoColonMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "That email address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account is switched off. Ask your network admin."),
        "sso_only": _(
            "Your district signs in through single sign-on. Use the sign-in button for your "
            "provider below."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not password_sign_in_allowed(person=user):
            raise forms.ValidationError(self.error_messages["sso_only"], code="sso_only")


class PasswordResetForm(NoColonMixin, auth_forms.PasswordResetForm):
    """Queues the reset email; the worker makes its link and speaks the person's terminology."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, domain_override=None, request=None, **kwargs):
        for person in self.get_users(self.cleaned_data["email"]):
            password_reset_email_queue(person=person)


class InvitationForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    organisation = CompactModelChoiceField(
        label=_("School or network"), queryset=Organisation.objects.none(),
        label_fields=("name", "kind"), make_label=organisation_label,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AcceptInvitationForm(Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        if p1:
            candidate = Person(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordChangeForm(NoColonMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(NoColonMixin, auth_forms.SetPasswordForm):
    pass
