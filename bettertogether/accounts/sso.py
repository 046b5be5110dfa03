"""Single sign-on through OpenID Connect (django-allauth): Google, Microsoft Entra ID, any other.

The rule: a provider proves who someone is; it never decides who belongs here. A sign-in
through a provider is accepted only when the provider vouches for the email address — as
that provider documents it, which differs from one provider to the next (`vouching.py`:
Google's `email_verified` where Google is authoritative, any OIDC provider's
`email_verified`, and for Microsoft Entra ID, which vouches for no address, a tenant the
network trusts and an address in that tenant's verified domains) — and that address belongs
to someone a network admin invited or a roster import brought in. Nobody can create an
account in an organisation by signing in.

- A person who already exists (invited and accepted, or rostered) is linked to the provider
  account on their first sign-in, and signed in. Later sign-ins find the link by the
  provider's own id for the account, never by the address.
- A person with a pending invitation has it accepted on the spot (no password is set).
- Anyone else, an address the provider does not vouch for, a tenant the network does not
  trust, or a switched-off account gets a clear refusal, and nothing changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from bettertogether.activity.services import activity_record
from bettertogether.directory.models import Organisation, Person

from . import selectors, services, vouching
from .entra.views import DEFAULT_LOGIN_URL


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
            if reason := vouching.refusal_for_linked(sociallogin, person=person):
                raise ImmediateHttpResponse(_refuse(request, reason))
            return
        vouched = vouching.vouched_address(sociallogin)
        if vouched.refusal:
            raise ImmediateHttpResponse(_refuse(request, vouched.refusal, email=vouched.address))
        email = vouched.address
        person = Person.objects.filter(email__iexact=email).first()
        network = selectors.sign_in_network_for(email=email, person=person)
        if person is not None or network is not None:
            reason = vouching.refusal_for_holder(sociallogin, address=email, network=network)
            if reason:
                raise ImmediateHttpResponse(_refuse(request, reason, email=email))
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


REFUSALS = {
    "unverified": _lazy(
        "Your sign-in provider did not confirm your email address, so we cannot tell which "
        "account is yours. Ask your IT team to confirm it, or sign in with your password."
    ),
    "unknown": _lazy(
        "There is no Better Together account for %(email)s. Accounts are created when your "
        "school invites you or imports its roster: ask your network admin."
    ),
    "google_elsewhere": _lazy(
        "Google cannot confirm that %(email)s is still yours: it is a personal Google account "
        "made with an address Google does not look after. Sign in with your school's Google "
        "Workspace account, or with your password."
    ),
    "tenant": _lazy(
        "Your network does not sign people in through this Microsoft organisation. Ask your "
        "network admin to add its tenant on the network's settings page, or sign in with "
        "your password."
    ),
    "domain": _lazy(
        "Microsoft did not confirm that %(email)s belongs to your organisation, so we cannot "
        "tell which account is yours. Ask your network admin to list your organisation's "
        "verified domains on the network's settings page, or sign in with your password."
    ),
    "inactive": _lazy("This account is switched off. Ask your network admin."),
}


def _refuse(request, reason: str, **values):
    message = str(REFUSALS[reason]) % values if values else str(REFUSALS[reason])
    return render(request, "accounts/sso_refused.html", {"message": message}, status=403)


def sign_in_origins(request) -> list[str]:
    """The origins a sign-in button's form ends up at, for the page's form-action policy.

    A browser applies the page's `form-action` to every redirect after a form is posted, so
    the sign-in page must allow each configured provider's own sign-in origin.
    """
    origins = []
    for provider in get_social_adapter().list_providers(request):
        parts = urlsplit(_sign_in_url(provider))
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def _sign_in_url(provider) -> str:
    """Where the provider's sign-in page is: Google's is fixed, Microsoft's may be a national
    cloud's (`login_url`), any other provider's is its issuer."""
    app_settings = provider.app.settings or {}
    if provider.id == "google":
        return GoogleOAuth2Adapter.authorize_url
    if provider.id == "microsoft":
        return app_settings.get("login_url", DEFAULT_LOGIN_URL)
    return app_settings.get("server_url", "")
