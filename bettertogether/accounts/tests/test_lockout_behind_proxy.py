"""The brute-force lock-out behind a load balancer, tested with a real proxy in front.

Five wrong passwords lock one account from one place. Behind a load balancer every
connection comes from the balancer, so the place is the client's address that the balancer
appended to X-Forwarded-For, and only when the operator says a balancer is there
(`TRUSTED_PROXY_COUNT`); otherwise the header is the client's own word and is ignored.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bettertogether.testing.cast import build_cast
from bettertogether.testing.factories import PASSWORD
from bettertogether.testing.proxy import ForwardingProxy, SignInClient

WRONG = "not-the-password"
LOCKED = 429  # django-axes' answer to a locked-out sign-in
CLIENT_A, CLIENT_B = "127.0.0.2", "127.0.0.3"

ROOT = Path(__file__).resolve().parents[3]

# What settings.py makes of TRUSTED_PROXY_COUNT (the first test below holds it to that).
# django-ipware counts the proxies listed *in* the header: one fewer than those in front.
CLIENT_ADDRESS_SETTINGS = {
    0: {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"], "AXES_IPWARE_PROXY_COUNT": None},
    1: {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": 0},
    2: {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_COUNT": 1},
}


@pytest.mark.parametrize("count", [None, 0, 1, 2])
def test_trusted_proxy_count_is_read_from_the_environment(count):
    env = {k: v for k, v in os.environ.items() if k != "TRUSTED_PROXY_COUNT"}
    if count is not None:
        env["TRUSTED_PROXY_COUNT"] = str(count)
    names = [*CLIENT_ADDRESS_SETTINGS[0], "IPWARE_STRICT", "ALLAUTH_TRUSTED_PROXY_COUNT"]
    script = ("import json; from django.conf import settings; "
              f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")

    result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
                            cwd=ROOT, env={**env, "BT_TESTING": "true"}, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {**CLIENT_ADDRESS_SETTINGS[count or 0],
                                         "IPWARE_STRICT": False,
                                         "ALLAUTH_TRUSTED_PROXY_COUNT": count or 0}


@pytest.fixture
def trusted_proxies(settings):
    """Configure the app as `TRUSTED_PROXY_COUNT=n` would, with the lock-out switched on."""

    def configure(count: int) -> None:
        settings.AXES_ENABLED = True
        for name, value in CLIENT_ADDRESS_SETTINGS[count].items():
            setattr(settings, name, value)

    return configure


@pytest.fixture
def proxy(live_server):
    running = ForwardingProxy(live_server.url).start()
    yield running
    running.stop()


@pytest.fixture
def cast(live_server, transactional_db):
    return build_cast()


def _wrong_five_times(client: SignInClient, email: str, *, spoofs=("",) * 5) -> list[int]:
    return [client.sign_in(email, WRONG, forwarded_for=spoof)[0] for spoof in spoofs]


def test_lockout_behind_a_proxy_locks_the_client_not_everyone(cast, proxy, trusted_proxies):
    trusted_proxies(1)
    a = SignInClient(proxy.url, source=CLIENT_A)
    b = SignInClient(proxy.url, source=CLIENT_B)

    assert _wrong_five_times(a, cast.teacher.email) == [200, 200, 200, 200, LOCKED]

    # A is locked out of the account even with the right password, and even writing
    # another address into the header: the proxy puts A's real one after it.
    assert a.sign_in(cast.teacher.email, PASSWORD)[0] == LOCKED
    assert a.sign_in(cast.teacher.email, PASSWORD, forwarded_for="198.51.100.9")[0] == LOCKED
    # B, elsewhere behind the same proxy, signs in to the same account.
    assert b.sign_in(cast.teacher.email, PASSWORD)[0] == 302


def test_lockout_without_trusted_proxy_ignores_a_spoofed_header(cast, live_server,
                                                                trusted_proxies):
    trusted_proxies(0)
    a = SignInClient(live_server.url, source=CLIENT_A)
    b = SignInClient(live_server.url, source=CLIENT_B)
    spoofs = [f"203.0.113.{n}" for n in range(1, 6)]

    # A new made-up address on every try does not start a new count.
    assert _wrong_five_times(a, cast.teacher.email, spoofs=spoofs) == [
        200, 200, 200, 200, LOCKED]
    assert a.sign_in(cast.teacher.email, PASSWORD, forwarded_for="203.0.113.99")[0] == LOCKED
    # Nor does naming B's address let A lock B out: B connects from elsewhere.
    assert b.sign_in(cast.teacher.email, PASSWORD)[0] == 302


def test_lockout_without_trusted_proxy_cannot_be_dodged_by_naming_another_client(
    cast, live_server, trusted_proxies
):
    trusted_proxies(0)
    a = SignInClient(live_server.url, source=CLIENT_A)

    _wrong_five_times(a, cast.teacher.email)

    assert a.sign_in(cast.teacher.email, PASSWORD, forwarded_for=CLIENT_B)[0] == LOCKED
