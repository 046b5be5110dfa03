"""A real OpenID Connect provider on loopback for tests (see `oidc_provider/`)."""

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
USERS = [
    # The provider vouches for this address; it matches the cast's teacher.
    {"username": "tess", "password": "provider-pass-1", "email": "teacher@riverside.test",
     "first_name": "Tess", "last_name": "Teacher"},
    # Nobody invited or rostered this address.
    {"username": "stranger", "password": "provider-pass-2", "email": "stranger@elsewhere.test",
     "first_name": "Sam", "last_name": "Stranger"},
    # Matches an invitation the tests send.
    {"username": "newbie", "password": "provider-pass-3", "email": "newbie@riverside.test",
     "first_name": "Nia", "last_name": "Newbie"},
    # The provider does not vouch for this address (email_verified is false).
    {"username": "unverified", "password": "provider-pass-4", "email": "teacher@riverside.test",
     "first_name": "Una", "last_name": "Verified"},
]


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

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(redirect_bases: list[str]) -> RunningProvider:
    port = _free_port()
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [base.rstrip("/") + callback_path() for base in redirect_bases],
        "users": USERS,
    }
    errors = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "bettertogether.testing.oidc_provider", str(port),
         json.dumps(config)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
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
        data={"username": username, "password": password, "next": next_url,
              "csrfmiddlewaretoken": session.cookies.get("providercsrftoken")},
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
