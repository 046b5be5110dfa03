"""What a network tells us about its Microsoft Entra ID sign-in.

Microsoft does not vouch for the email address of an Entra account: the `mail` attribute is
whatever a tenant's administrator typed, in any domain, and Entra sends no `email_verified`
(see `accounts/vouching.py` for the whole rule). So a network says itself which Entra
organisations sign its people in:

- **tenants**: the tenant IDs (GUIDs) of its Entra organisations. A sign-in from any other
  tenant is refused. The tenant of personal Microsoft accounts cannot be listed.
- **verified domains**: the domains those tenants have verified (Entra admin center →
  Domain names). An address in one of them, or in a subdomain of one (Entra verifies
  subdomains with their root), counts as the tenant's own. Without a list, an address counts
  only when Microsoft itself says so in the ID token (`xms_edov`, `verified_primary_email`).

Both are stored as text, one value a line, normalised (lower case, no repeats), so the
tenants that a sign-in names can be found with one `contains` lookup on any database: a
tenant ID is 36 characters on a line of its own, so it can only match itself.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TENANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Microsoft's documented tenant of personal accounts (outlook.com, hotmail.com, …): not an
# organisation, so never one a network can trust for its people.
PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
DOMAIN = re.compile(
    r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])"
)
_SEPARATORS = re.compile(r"[\s,;]+")


def normalise(text: str) -> str:
    """One value a line, lower case, without repeats, in the order given."""
    values = []
    for value in _SEPARATORS.split(text or ""):
        value = value.strip().lower().removeprefix("@")
        if value and value not in values:
            values.append(value)
    return "\n".join(values)


def values(text: str) -> list[str]:
    return [value for value in (text or "").split("\n") if value]


def tenant_errors(text: str) -> list[str]:
    errors = []
    for value in values(text):
        if value == PERSONAL_ACCOUNTS_TENANT:
            errors.append(
                _("%(value)s is the tenant of personal Microsoft accounts, not an organisation's.")
                % {"value": value}
            )
        elif not TENANT_ID.fullmatch(value):
            errors.append(
                _(
                    "“%(value)s” is not a tenant ID. A tenant ID looks like "
                    "72f988bf-86f1-41af-91ab-2d7cd011db47 (Entra admin center → "
                    "Overview)."
                )
                % {"value": value}
            )
    return errors


def domain_errors(text: str) -> list[str]:
    return [
        _("“%(value)s” is not a domain name, such as district.org.") % {"value": value}
        for value in values(text)
        if not DOMAIN.fullmatch(value)
    ]


def validate(*, tenants: str, domains: str, is_network: bool) -> None:
    """Raise a ValidationError naming the field of each bad value."""
    errors: dict[str, list[str]] = {}
    if not is_network and (tenants or domains):
        errors["entra_tenants"] = [_("Microsoft sign-in is set on the network.")]
    if found := tenant_errors(tenants):
        errors["entra_tenants"] = found
    if found := domain_errors(domains):
        errors["entra_domains"] = found
    if domains and not tenants:
        errors.setdefault("entra_domains", []).append(
            _("List the tenants these domains belong to as well.")
        )
    if errors:
        raise ValidationError(errors)


def domain_covered(address: str, domains: list[str]) -> bool:
    """Whether the address is in one of the domains or in a subdomain of one."""
    domain = address.rpartition("@")[2].lower()
    return any(domain == listed or domain.endswith("." + listed) for listed in domains)
