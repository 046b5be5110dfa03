"""Which email address a sign-in provider vouches for, each provider as it documents itself.

A sign-in links to a person by email address (`sso.py`), so everything rests on the address
being the signer's own. Each provider says so differently:

- **Google**: the ID token's `email` with `email_verified` true, and only where Google is
  authoritative for the address — a Gmail address (`@gmail.com`), or a Google Workspace
  account (the token carries `hd`, the Workspace's domain). A personal Google account made
  with an address from elsewhere was verified once, when it was made; Google documents that
  the address may have changed hands since, so it is refused.
- **Any other OpenID Connect provider**: `email` with `email_verified` true.
- **Microsoft Entra ID**: Entra sends no `email_verified`. The address allauth reads
  (Graph's `mail`, else `userPrincipalName`) is whatever a tenant's administrator typed, in
  any domain, and in a multi-tenant app any tenant can sign in: trusting it as it comes is
  the "nOAuth" account takeover Microsoft warns about. So a Microsoft address counts only
  when both hold:
  1. the ID token's tenant (`tid`) is one a network listed as signing its people in (the
     network's settings page; `directory/signin.py`), and
  2. the address is that tenant's own: Microsoft says so in the ID token (`xms_edov` true
     for the token's `email`, or the address is its `verified_primary_email` /
     `verified_secondary_email`, optional claims an app registration can ask for), or its
     domain is one of the verified domains that network listed for its tenants.
  Both are checked first against every network that trusts the tenant (so the answer does
  not tell a stranger whether an address has an account), then against the network that
  holds the address — the person's home network, or the network whose invitation would
  bring them in: a tenant another network trusts never signs in this network's people.
  A person already linked signs in by tenant and object id (`tid`/`oid`, Microsoft's
  recommended key, never the address), as long as their home network still trusts the
  tenant.

Refusals are keys of `sso.REFUSALS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.signin import domain_covered

from . import selectors

GOOGLE = "google"
MICROSOFT = "microsoft"


@dataclass(frozen=True)
class Vouching:
    address: str | None
    refusal: str | None = None


def provider_kind(sociallogin) -> str:
    """The kind of provider (`google`, `microsoft`, `openid_connect`), whatever the app's id."""
    return sociallogin.account.get_provider().id


def claimed_address(sociallogin) -> str | None:
    for address in sociallogin.email_addresses:
        if address.email:
            return address.email.strip().lower()
    return None


def vouched_address(sociallogin) -> Vouching:
    """The address the provider vouches for, or why it does not."""
    address = claimed_address(sociallogin)
    if address is None:
        return Vouching(None, "unverified")
    kind = provider_kind(sociallogin)
    if kind == MICROSOFT:
        claims = sociallogin.account.extra_data["id_token"]
        trusting = selectors.networks_trusting_entra_tenant(tenant_id=claims["tid"])
        return Vouching(address, _entra_refusal(claims, address, trusting))
    if not _provider_says_verified(sociallogin, address):
        return Vouching(address, "unverified")
    if kind == GOOGLE and not _google_is_authoritative(sociallogin.account.extra_data, address):
        return Vouching(address, "google_elsewhere")
    return Vouching(address)


def refusal_for_holder(sociallogin, *, address: str, network: Organisation | None) -> str | None:
    """Why the network that holds `address` does not take this sign-in, if it does not."""
    if provider_kind(sociallogin) != MICROSOFT:
        return None
    claims = sociallogin.account.extra_data["id_token"]
    return _entra_refusal(claims, address, [network] if network is not None else [])


def refusal_for_linked(sociallogin, *, person: Person) -> str | None:
    """Why a sign-in already linked to `person` is no longer taken, if it is not."""
    if provider_kind(sociallogin) != MICROSOFT:
        return None
    network = selectors.sign_in_network_for(email=person.email, person=person)
    tenant = sociallogin.account.extra_data["id_token"]["tid"]
    if network is None or tenant not in network.entra_tenant_list:
        return "tenant"
    return None


def _provider_says_verified(sociallogin, address: str) -> bool:
    return any(
        item.verified and item.email.strip().lower() == address
        for item in sociallogin.email_addresses
    )


def _google_is_authoritative(claims: dict, address: str) -> bool:
    return address.endswith("@gmail.com") or bool(claims.get("hd"))


def _entra_refusal(claims: dict, address: str, networks: list[Organisation]) -> str | None:
    trusting = [n for n in networks if claims["tid"] in n.entra_tenant_list]
    if not trusting:
        return "tenant"
    if _microsoft_confirms(claims, address):
        return None
    if any(domain_covered(address, network.entra_domain_list) for network in trusting):
        return None
    return "domain"


def _microsoft_confirms(claims: dict, address: str) -> bool:
    """Microsoft itself says the address belongs to the signer's tenant."""
    if _true(claims.get("xms_edov")) and _same(claims.get("email"), address):
        return True
    confirmed = [
        *_listed(claims.get("verified_primary_email")),
        *_listed(claims.get("verified_secondary_email")),
    ]
    return any(_same(value, address) for value in confirmed)


def _true(value) -> bool:
    # Documented as a boolean; seen in the wild as "true" and 1 too.
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return value is True or (type(value) is int and value == 1)


def _same(value, address: str) -> bool:
    return isinstance(value, str) and value.strip().lower() == address


def _listed(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if value else []
