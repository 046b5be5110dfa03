"""Single sign-on through OpenID Connect (django-allauth).

The rule: a provider proves who someone is; it never decides who belongs here. A sign-in
through a provider is accepted only when the provider vouches for the email address
(`email_verified`) and that address belongs to someone a network admin invited or a roster
import brought in. Nobody can create an account in an organisation by signing in.

- A person who already exists (invited and accepted, or rostered) is linked to the provider
  account on their first sign-in, and signed in.
- A person with a pending invitation has it accepted on the spot (no password is set).
- Anyone else, an unverified address or a switched-off account gets a clear refusal.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from bettertogether.activity.services import activity_record
from bettertogether.directory.models import Organisation, Person

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by invitations and rosters, never by signing up."""

    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        if sociallogin.is_existing:
            person = sociallogin.user
            if not person.is_active:
                raise ImmediateHttpResponse(_refuse(request, "inactive"))
            return
        email = verified_email(sociallogin)
        if email is None:
            raise ImmediateHttpResponse(_refuse(request, "unverified"))
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            person = services.invitations_accept_by_email(email=email)
        if person is None:
            raise ImmediateHttpResponse(_refuse(request, "unknown", email=email))
        if not person.is_active:
            raise ImmediateHttpResponse(_refuse(request, "inactive"))
        sociallogin.connect(request, person)
        activity_record(
            actor=person,
            action="person.link_sso",
            target=person,
            organisation=Organisation.objects.filter(
                pk__in=person.memberships.values("network_id")
            ).order_by("pk").first(),
            details={"kind": sociallogin.account.provider},
        )


def verified_email(sociallogin) -> str | None:
    """The email address the provider vouches for, if any."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return None


REFUSALS = {
    "unverified": _lazy(
        "Your sign-in provider did not confirm your email address, so we cannot tell which "
        "account is yours. Ask your IT team to confirm it, or sign in with your password."
    ),
    "unknown": _lazy(
        "There is no Better Together account for %(email)s. Accounts are created when your "
        "school invites you or imports its roster: ask your network admin."
    ),
    "inactive": _lazy("This account is switched off. Ask your network admin."),
}


def _refuse(request, reason: str, **values):
    message = str(REFUSALS[reason]) % values if values else str(REFUSALS[reason])
    return render(request, "accounts/sso_refused.html", {"message": message}, status=403)


# Where each kind of provider sends the browser to sign in.
KNOWN_SIGN_IN_ORIGINS = {
    "google": "https://accounts.google.com",
    "microsoft": "https://login.microsoftonline.com",
}


def sign_in_origins(request) -> list[str]:
    """The origins a sign-in button's form ends up at, for the page's form-action policy.

    A browser applies the page's `form-action` to every redirect after a form is posted, so
    the sign-in page must allow each configured provider's own sign-in origin.
    """
    origins = []
    for provider in get_social_adapter().list_providers(request):
        origin = KNOWN_SIGN_IN_ORIGINS.get(provider.id)
        if origin is None:
            server_url = (provider.app.settings or {}).get("server_url", "")
            parts = urlsplit(server_url)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        if origin and origin not in origins:
            origins.append(origin)
    return origins
