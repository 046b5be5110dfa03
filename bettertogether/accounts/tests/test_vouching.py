"""The rules of what each provider vouches for, branch by branch (no provider needed).

The whole flow, against a loopback provider, is in test_sso.py, test_sso_google.py and
test_sso_entra.py; these check the edges those flows do not reach one by one.
"""

import time

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error

from bettertogether.accounts import vouching
from bettertogether.accounts.entra.views import id_token_claims
from bettertogether.directory.models import Organisation
from bettertogether.testing.oidc import ELSEWHERE_TENANT, RIVERSIDE_TENANT

LOGIN_URL = "https://login.microsoftonline.com"
CLIENT_ID = "6e1a4c57-0d7b-4f35-9c21-8a4f2e9b7d10"
OID = "1d3e5f70-0a1b-4c2d-8e3f-405162738495"


def network(tenants=(RIVERSIDE_TENANT,), domains=("riverside.test",)) -> Organisation:
    return Organisation(
        kind="network",
        name="Riverside",
        entra_tenants="\n".join(tenants),
        entra_domains="\n".join(domains),
    )


def claims(**extra) -> dict:
    return {"tid": RIVERSIDE_TENANT, "oid": OID, **extra}


# --- Microsoft: is the address the tenant's own? ---------------------------------------


@pytest.mark.parametrize("edov", [True, "true", "True", 1, "1"])
def test_entra_xms_edov_confirms_the_tokens_own_email_however_written(edov):
    token = claims(email="Teacher@Riverside.test", xms_edov=edov)

    assert vouching._entra_refusal(token, "teacher@riverside.test", [network(domains=())]) is None


@pytest.mark.parametrize("edov", [False, "false", 0, None, "yes"])
def test_entra_xms_edov_false_or_absent_confirms_nothing(edov):
    token = claims(email="teacher@riverside.test", xms_edov=edov)

    assert (
        vouching._entra_refusal(token, "teacher@riverside.test", [network(domains=())]) == "domain"
    )


def test_entra_xms_edov_speaks_for_the_tokens_email_not_for_graphs_mail():
    token = claims(email="someone.else@riverside.test", xms_edov=True)

    assert (
        vouching._entra_refusal(token, "teacher@riverside.test", [network(domains=())]) == "domain"
    )


@pytest.mark.parametrize(
    "listed",
    [
        {"verified_primary_email": "teacher@riverside.test"},
        {"verified_primary_email": ["other@riverside.test", "TEACHER@riverside.test"]},
        {"verified_secondary_email": ["teacher@riverside.test"]},
    ],
)
def test_entra_verified_primary_or_secondary_email_confirms_the_address(listed):
    assert (
        vouching._entra_refusal(claims(**listed), "teacher@riverside.test", [network(domains=())])
        is None
    )


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("teacher@riverside.test", None),
        ("teacher@lincoln.riverside.test", None),  # Entra verifies subdomains with their root
        ("teacher@notriverside.test", "domain"),
        ("teacher@riverside.test.evil.example", "domain"),
    ],
)
def test_entra_domain_list_covers_the_domain_and_its_subdomains(address, refusal):
    assert vouching._entra_refusal(claims(), address, [network()]) == refusal


def test_entra_tenant_nobody_trusts_is_refused_before_the_address_is_looked_at():
    token = claims(tid=ELSEWHERE_TENANT, email="teacher@riverside.test", xms_edov=True)

    assert vouching._entra_refusal(token, "teacher@riverside.test", [network()]) == "tenant"
    assert vouching._entra_refusal(claims(), "teacher@riverside.test", []) == "tenant"


def test_entra_domain_of_a_network_that_does_not_trust_the_tenant_does_not_count():
    trusting = network(domains=("elsewhere.test",))
    other = network(tenants=(ELSEWHERE_TENANT,), domains=("riverside.test",))

    assert (
        vouching._entra_refusal(claims(), "teacher@riverside.test", [trusting, other]) == "domain"
    )


# --- Google and any OIDC provider -------------------------------------------------------


def login(provider: str, address: str | None, *, verified: bool, **extra) -> SocialLogin:
    account = SocialAccount(provider=provider, uid="1", extra_data={"email": address, **extra})
    emails = [EmailAddress(email=address, verified=verified)] if address else []
    return SocialLogin(account=account, email_addresses=emails)


@pytest.mark.parametrize(
    ("address", "extra", "refusal"),
    [
        ("tess@gmail.com", {}, None),
        ("teacher@riverside.test", {"hd": "riverside.test"}, None),
        ("teacher@riverside.test", {}, "google_elsewhere"),
    ],
)
def test_google_is_authoritative_for_gmail_and_workspace_accounts_only(
    db, settings, address, extra, refusal
):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": [{"client_id": "g"}]}}

    vouched = vouching.vouched_address(login("google", address, verified=True, **extra))

    assert (vouched.address, vouched.refusal) == (address, refusal)


def test_google_unverified_address_is_refused_even_with_hd(db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": [{"client_id": "g"}]}}

    vouched = vouching.vouched_address(
        login("google", "teacher@riverside.test", verified=False, hd="riverside.test")
    )

    assert vouched.refusal == "unverified"


def test_no_address_at_all_is_refused(db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": [{"client_id": "g"}]}}

    assert vouching.vouched_address(login("google", None, verified=True)).refusal == "unverified"


# --- Microsoft's ID token ---------------------------------------------------------------


def id_token(**changes) -> str:
    payload = {
        "aud": CLIENT_ID,
        "iss": f"{LOGIN_URL}/{RIVERSIDE_TENANT}/v2.0",
        "exp": int(time.time()) + 600,
        "tid": RIVERSIDE_TENANT,
        "oid": OID,
        "email": "teacher@riverside.test",
        "xms_edov": True,
        "name": "Tess Teacher",
        "ipaddr": "192.0.2.1",
    }
    payload.update(changes)
    payload = {key: value for key, value in payload.items() if value is not None}
    return jwt.encode(payload, "not-checked-the-token-came-over-tls", algorithm="HS256")


def test_id_token_claims_keeps_who_and_what_microsoft_says_of_the_address():
    kept = id_token_claims(id_token(), client_id=CLIENT_ID, login_url=LOGIN_URL)

    assert kept == {
        "tid": RIVERSIDE_TENANT,
        "oid": OID,
        "email": "teacher@riverside.test",
        "xms_edov": True,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "somebody-elses-app"},
        {"iss": f"{LOGIN_URL}/{ELSEWHERE_TENANT}/v2.0"},  # the issuer must name the token's tenant
        {"iss": f"https://login.example.org/{RIVERSIDE_TENANT}/v2.0"},
        {"exp": -600},  # seconds from when the test runs, not from when it was collected
        {"nbf": +600},
        {"tid": None},
        {"tid": "organizations"},
        {"oid": None},
    ],
)
def test_id_token_claims_refuses_a_token_not_meant_for_us(changes):
    now = int(time.time())
    changes = {name: now + value if name in ("exp", "nbf") else value
               for name, value in changes.items()}
    with pytest.raises(OAuth2Error):
        id_token_claims(id_token(**changes), client_id=CLIENT_ID, login_url=LOGIN_URL)


@pytest.mark.parametrize("token", [None, "", "not-a-jwt"])
def test_id_token_claims_refuses_no_token_or_garbage(token):
    with pytest.raises(OAuth2Error):
        id_token_claims(token, client_id=CLIENT_ID, login_url=LOGIN_URL)
