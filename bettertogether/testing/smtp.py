"""A real SMTP server on loopback that keeps every message it receives.

Email tests send through Django's SMTP backend, over a socket, to this sink — the same
path production mail takes — and then read what arrived:

    def test_invite(smtp_sink, ...):
        ...
        message = smtp_sink.wait_for("new.coach@riverside.test")
        link = link_in(message, path="/accounts/invite/")

Add `smtp_sink` to a test (it is registered in `bettertogether/e2e/conftest.py`, and any
conftest can re-export it) and `settings.MAILERS` points at the sink for that test.
`make soak` runs one too (`SmtpSink().start()`), for a server in another process; it needs
aiosmtpd but not pytest.
"""

from __future__ import annotations

import email
import logging
import re
import threading
import time
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

try:
    import pytest
except ImportError:  # `make soak` runs the sink without the test dependencies
    pytest = None

HOST = "127.0.0.1"
LINK = re.compile(r"https?://[^\s<>\"']+")


class _FreePortController(Controller):
    """Listens on port 0 and learns the port the kernel chose, so parallel runs never clash."""

    def _trigger_server(self):
        # Runs once the listening socket exists and before the controller first connects
        # to it: the right moment to replace the requested port 0 by the real one.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Collects parsed messages; `wait_for` blocks until one reaches an address."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self._controller = _FreePortController(self, hostname=HOST, port=0)

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> SmtpSink:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs each command
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def host(self) -> str:
        return HOST

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def mailers(self) -> dict:
        """A value for `settings.MAILERS` that sends every email here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": self.host, "port": self.port, "timeout": 5},
            }
        }

    # -- aiosmtpd handler hook -----------------------------------------------------------
    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    # -- reading what arrived ------------------------------------------------------------
    def to(self, address: str) -> list[EmailMessage]:
        """Every message so far whose To header holds `address` (case-insensitive)."""
        wanted = address.lower()
        with self._arrived:
            return [
                m for m in self.messages
                if any(a.addr_spec.lower() == wanted for a in m["To"].addresses)
            ]

    def wait_for(self, address: str, *, timeout: float = 10.0) -> EmailMessage:
        """The latest message to `address`, waiting up to `timeout` seconds for one."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while not (found := self.to(address)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    received = [str(m["To"]) for m in self.messages] or "nothing"
                    raise AssertionError(
                        f"No email to {address} within {timeout:g}s; the sink received: "
                        f"{received}"
                    )
                self._arrived.wait(remaining)
            return found[-1]

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()


def text_body(message: EmailMessage) -> str:
    """The plain-text part of a message."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise AssertionError(f"The email {message['Subject']!r} has no plain-text part.")
    return part.get_content()


def link_in(message: EmailMessage, *, path: str = "") -> str:
    """The one link in the text body whose URL contains `path`."""
    links = [url for url in LINK.findall(text_body(message)) if path in url]
    if len(links) != 1:
        raise AssertionError(
            f"Expected one link containing {path!r} in {message['Subject']!r}, found {links}."
        )
    return links[0]


if pytest is not None:

    @pytest.fixture
    def smtp_sink(settings):
        """A running SMTP sink; for this test every email goes to it over a real socket."""
        sink = SmtpSink().start()
        settings.MAILERS = sink.mailers
        yield sink
        sink.stop()
