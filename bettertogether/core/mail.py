"""The development email backend: each email printed as a person reads it.

Under `make run` (DEBUG on) email is not sent but printed by the task worker, and that is
how a newcomer receives an invitation or a password-reset link. Django's own console
backend prints the raw MIME message, whose quoted-printable encoding cuts a long link into
pieces joined by "=" signs that no one can click or copy. This one prints the headers a
reader needs and the plain text as it was written, with each link whole on its line.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

RULE = "-" * 79


class ConsoleEmailBackend(DjangoConsoleBackend):
    def write_message(self, message: EmailMessage) -> None:
        headers = [("From", message.from_email), ("To", ", ".join(message.to)),
                   ("Cc", ", ".join(message.cc)), ("Subject", message.subject)]
        lines = [f"{name}: {value}" for name, value in headers if value]
        also = [mimetype for _content, mimetype in getattr(message, "alternatives", [])]
        if also:
            lines.append(f"(Also sent as {', '.join(also)}.)")
        self.stream.write("\n".join([RULE, *lines, "", message.body.rstrip(), RULE, ""]))
