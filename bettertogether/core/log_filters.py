"""Log lines never carry the secret of a link.

Three addresses of the product are themselves keys: an invitation (`/accounts/invite/<token>/`),
a password reset (`/accounts/password/reset/<uid>/<token>/`) and a calendar feed
(`/calendar/<token>.ics`). The development server logs every request line, and Django logs
the path of every response that is a 4xx or 5xx, so without this filter a log reader could
pick up someone's working link. `settings.LOGGING` puts it on those loggers and on the
console handler; it replaces the secret part of any such path by "…".
"""

from __future__ import annotations

import logging
import re

HIDDEN = "…"
SEGMENT = r"[^/\s?#\"']+"
SECRET_PATHS = (
    re.compile(rf"(/accounts/invite/){SEGMENT}"),
    # The reset view swaps the token for "set-password" in its own redirect; that part is
    # no secret and stays readable.
    re.compile(rf"(/accounts/password/reset/{SEGMENT}/)(?!set-password/){SEGMENT}"),
    re.compile(rf"(/calendar/){SEGMENT}(?=\.ics)"),
)


def redact_secret_links(text: str) -> str:
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{HIDDEN}", text)
    return text


class RedactSecretLinks(logging.Filter):
    """Rewrite a record whose message names a secret address; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record is the handler's to report, as without us
        redacted = redact_secret_links(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
