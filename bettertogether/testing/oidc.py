"""A real OpenID Connect provider on loopback for tests (see `oidc_provider/`).

One process answers as three providers, each as the real one does:

- any OpenID Connect provider (`app_settings()`): `email` and `email_verified`;
- Google (`google_settings()`, with `point_google_here()`): Google's issuer, `email`,
  `email_verified` and, for a Google Workspace account, `hd`;
- Microsoft Entra ID (`microsoft_settings()`): Microsoft's endpoint paths (allauth's
  documented `login_url` and `graph_url` settings point at the loopback), an ID token with
  `tid`, `oid` and the optional `email` / `xms_edov`, never `email_verified`, and Graph's
  `/me` with `mail` and `userPrincipalName`.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "test-idp"
CLIENT_ID = "better-together-tests"
CLIENT_SECRET = "a-client-secret-for-tests-only"
GOOGLE_CLIENT_ID = "better-together-tests.apps.googleusercontent.com"
GOOGLE_CLIENT_SECRET = "a-google-client-secret-for-tests-only"
ENTRA_CLIENT_ID = "6e1a4c57-0d7b-4f35-9c21-8a4f2e9b7d10"
ENTRA_CLIENT_SECRET = "an-entra-client-secret-for-tests-only"
# The Entra organisation of the cast's network (Riverside), and somebody else's.
RIVERSIDE_TENANT = "5a1f0c3e-7b2d-4c8e-9f10-2b3c4d5e6f70"
ELSEWHERE_TENANT = "c0ffee00-1234-4abc-8def-0123456789ab"

USERS = [
    # --- any OpenID Connect provider ---
    # The provider vouches for this address; it matches the cast's teacher.
    {
        "username": "tess",
        "password": "provider-pass-1",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {"email": "teacher@riverside.test", "email_verified": True},
    },
    # Nobody invited or rostered this address.
    {
        "username": "stranger",
        "password": "provider-pass-2",
        "first_name": "Sam",
        "last_name": "Stranger",
        "claims": {"email": "stranger@elsewhere.test", "email_verified": True},
    },
    # Matches an invitation the tests send.
    {
        "username": "newbie",
        "password": "provider-pass-3",
        "first_name": "Nia",
        "last_name": "Newbie",
        "claims": {"email": "newbie@riverside.test", "email_verified": True},
    },
    # The provider does not vouch for this address (email_verified is false).
    {
        "username": "unverified",
        "password": "provider-pass-4",
        "first_name": "Una",
        "last_name": "Verified",
        "claims": {"email": "teacher@riverside.test", "email_verified": False},
    },
    # The provider says nothing of the address (no email_verified at all).
    {
        "username": "silent",
        "password": "provider-pass-5",
        "first_name": "Sid",
        "last_name": "Silent",
        "claims": {"email": "teacher@riverside.test"},
    },
    # --- Google ---
    # A Google Workspace account of the district's domain: Google is authoritative.
    {
        "username": "g-tess",
        "password": "google-pass-1",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {
            "email": "teacher@riverside.test",
            "email_verified": True,
            "hd": "riverside.test",
        },
    },
    {
        "username": "g-unverified",
        "password": "google-pass-2",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {
            "email": "teacher@riverside.test",
            "email_verified": False,
            "hd": "riverside.test",
        },
    },
    # A personal Google account made with the teacher's school address: Google verified it
    # once, is not authoritative for it, and says so by sending no `hd`.
    {
        "username": "g-elsewhere",
        "password": "google-pass-3",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {"email": "teacher@riverside.test", "email_verified": True},
    },
    # A Gmail address nobody invited.
    {
        "username": "g-stranger",
        "password": "google-pass-4",
        "first_name": "Sam",
        "last_name": "Stranger",
        "claims": {"email": "sam.stranger@gmail.com", "email_verified": True},
    },
    {
        "username": "g-newbie",
        "password": "google-pass-5",
        "first_name": "Nia",
        "last_name": "Newbie",
        "claims": {
            "email": "newbie@riverside.test",
            "email_verified": True,
            "hd": "riverside.test",
        },
    },
    # --- Microsoft Entra ID ---
    # Riverside's tenant; no optional claims: only the network's domain list vouches.
    {
        "username": "e-tess",
        "password": "entra-pass-1",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {
            "tid": RIVERSIDE_TENANT,
            "oid": "1d3e5f70-0a1b-4c2d-8e3f-405162738495",
            "preferred_username": "tess@riverside.test",
        },
        "graph": {"mail": "teacher@riverside.test", "userPrincipalName": "tess@riverside.test"},
    },
    # Riverside's tenant, with the optional claims: Microsoft confirms the address itself.
    {
        "username": "e-confirmed",
        "password": "entra-pass-2",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {
            "tid": RIVERSIDE_TENANT,
            "oid": "2e4f6071-1b2c-4d3e-9f40-5162738495a6",
            "email": "teacher@riverside.test",
            "xms_edov": True,
        },
        "graph": {"mail": "teacher@riverside.test", "userPrincipalName": "tess@riverside.test"},
    },
    # Another organisation's tenant whose admin typed the teacher's address as a user's mail.
    {
        "username": "e-forged",
        "password": "entra-pass-3",
        "first_name": "Mallory",
        "last_name": "Forger",
        "claims": {
            "tid": ELSEWHERE_TENANT,
            "oid": "3f507182-2c3d-4e4f-a051-62738495a6b7",
            "email": "teacher@riverside.test",
            "xms_edov": False,
        },
        "graph": {"mail": "teacher@riverside.test", "userPrincipalName": "mal@elsewhere.test"},
    },
    # Riverside's own tenant, with a mail typed in a domain the tenant does not own.
    {
        "username": "e-misdomain",
        "password": "entra-pass-4",
        "first_name": "Olive",
        "last_name": "Outsider",
        "claims": {"tid": RIVERSIDE_TENANT, "oid": "40618293-3d4e-4f50-b162-738495a6b7c8"},
        "graph": {"mail": "outsider@northfield.test", "userPrincipalName": "olive@riverside.test"},
    },
    {
        "username": "e-newbie",
        "password": "entra-pass-5",
        "first_name": "Nia",
        "last_name": "Newbie",
        "claims": {"tid": RIVERSIDE_TENANT, "oid": "517293a4-4e5f-4061-8273-8495a6b7c8d9"},
        "graph": {"mail": "newbie@riverside.test", "userPrincipalName": "nia@riverside.test"},
    },
    # The other tenant, for its own people: its verified domain is elsewhere.test.
    {
        "username": "e-elsewhere",
        "password": "entra-pass-6",
        "first_name": "Tess",
        "last_name": "Teacher",
        "claims": {
            "tid": ELSEWHERE_TENANT,
            "oid": "6283a4b5-5f60-4172-9384-95a6b7c8d9e0",
            "email": "teacher@riverside.test",
            "xms_edov": True,
        },
        "graph": {"mail": "teacher@riverside.test", "userPrincipalName": "tess@elsewhere.test"},
    },
]
PASSWORDS = {user["username"]: user["password"] for user in USERS}

CALLBACKS = {
    "oidc": f"/sso/oidc/{PROVIDER_ID}/login/callback/",
    "google": "/sso/google/login/callback/",
    "entra": "/sso/microsoft/login/callback/",
}


def callback_path(provider_id: str = PROVIDER_ID) -> str:
    return f"/sso/oidc/{provider_id}/login/callback/"


@dataclass
class RunningProvider:
    url: str
    process: subprocess.Popen
    users: list[dict] = field(default_factory=lambda: USERS)

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def app_settings(self, **extra) -> dict:
        """The SOCIALACCOUNT_PROVIDERS entry that points Better Together at this provider."""
        return {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "Test SSO",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": self.issuer, **extra},
                    }
                ]
            }
        }

    def google_settings(self) -> dict:
        """As settings.py configures Google (its endpoints: `point_google_here`)."""
        return {
            "google": {
                "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET}],
                "SCOPE": ["openid", "email", "profile"],
                "OAUTH_PKCE_ENABLED": True,
            }
        }

    def microsoft_settings(self, tenant: str = "organizations") -> dict:
        """As settings.py configures Microsoft, with its endpoints on the loopback."""
        return {
            "microsoft": {
                "APPS": [
                    {
                        "client_id": ENTRA_CLIENT_ID,
                        "secret": ENTRA_CLIENT_SECRET,
                        "settings": {
                            "tenant": tenant,
                            "login_url": self.url,
                            "graph_url": self.url,
                        },
                    }
                ],
                "SCOPE": ["openid", "email", "profile", "User.Read"],
            }
        }

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def point_google_here(monkeypatch, provider: RunningProvider) -> None:
    """allauth reads Google's endpoints once, when it is imported; point them here."""
    from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter

    monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", f"{provider.issuer}/authorize/")
    monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", f"{provider.issuer}/token/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(redirect_bases: list[str]) -> RunningProvider:
    port = _free_port()
    bases = [base.rstrip("/") for base in redirect_bases]
    secrets = {
        "oidc": (CLIENT_ID, CLIENT_SECRET),
        "google": (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET),
        "entra": (ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET),
    }
    config = {
        "clients": [
            {
                "kind": kind,
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": [base + CALLBACKS[kind] for base in bases],
            }
            for kind, (client_id, secret) in secrets.items()
        ],
        "users": USERS,
    }
    errors = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bettertogether.testing.oidc_provider",
            str(port),
            json.dumps(config),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        errors.seek(0)
        raise RuntimeError(f"The test OIDC provider did not start: {errors.read()}")
    return RunningProvider(url=f"http://127.0.0.1:{port}", process=process)


@pytest.fixture(scope="session")
def oidc_provider():
    """A provider that redirects back to the Django test client (http://testserver)."""
    provider = start_provider(["http://testserver"])
    yield provider
    provider.stop()


def sign_in_at_provider(authorize_url: str, username: str, password: str) -> str:
    """Sign in on the provider's own page as a browser would; return where it sends us back."""
    from urllib.parse import parse_qs, urljoin, urlsplit

    import requests

    parts = urlsplit(authorize_url)
    provider_base = f"{parts.scheme}://{parts.netloc}"
    session = requests.Session()
    page = session.get(authorize_url, timeout=10)  # follows to the provider's sign-in page
    next_url = parse_qs(urlsplit(page.url).query).get("next", [""])[0]
    response = session.post(
        page.url,
        data={
            "username": username,
            "password": password,
            "next": next_url,
            "csrfmiddlewaretoken": session.cookies.get("providercsrftoken"),
        },
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    current = page.url
    for _ in range(10):
        if response.status_code not in (301, 302, 303):
            raise AssertionError(f"The provider answered {response.status_code}, not a redirect")
        target = urljoin(current, response.headers["Location"])
        if not target.startswith(provider_base):
            return target
        current = target
        response = session.get(target, allow_redirects=False, timeout=10)
    raise AssertionError("Too many redirects at the provider")


def sign_in_through(client, start: str, username: str):
    """Press a sign-in button (`start`, the provider's login path) on the Django test client,
    sign in at the provider as `username`, and follow it back; return Better Together's
    answer to the callback."""
    from urllib.parse import urlsplit

    begun = client.post(start, {"process": "login"})
    assert begun.status_code == 302, begun.content[:500]
    back = sign_in_at_provider(begun["Location"], username, PASSWORDS[username])
    parts = urlsplit(back)
    assert parts.netloc == "testserver", back
    return client.get(f"{parts.path}?{parts.query}")
