"""One way to show a moment: in the organisation's zone, in one format.

Pages, the PDF and its status page, emails, notifications and exports all show a date and
time through these functions (templates through the `moments` filters), so the same moment
reads the same everywhere, in the way the organisation's language writes it: "Tue, Dec 8,
2026, 10:23 AM" in an en-US district, "Tue 8 Dec 2026, 10:23" in an en-GB trust. Where a
reader could be unsure which zone is meant — an email read on a phone abroad, a PDF passed
round a board — the zone's abbreviation follows: "Tue, Dec 8, 2026, 10:23 AM CST".

The zone is the active one unless one is given: inside a request, the signed-in person's
network's; inside a task, the network it renders for (`directory.localisation`).
Spreadsheets get machine-readable local times instead ("2026-12-08 10:23"), with the zone
named once in the column's heading.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone, translation

# Django's date formats for a moment and for the time of day alone, by language.
FORMATS = {
    "en-us": ("D, M j, Y, g:i A", "g:i A"),  # "Tue, Dec 8, 2026, 10:23 AM", "10:23 AM"
    "en-gb": ("D j M Y, H:i", "H:i"),  # "Tue 8 Dec 2026, 10:23", "10:23"
}
MACHINE_FORMAT = "%Y-%m-%d %H:%M"  # for CSV and Excel: "2026-12-08 10:23"


def _formats() -> tuple[str, str]:
    language = (translation.get_language() or "en-us").lower()
    return FORMATS.get(language, FORMATS["en-us"])


def _local(value: datetime.datetime, zone: datetime.tzinfo | None) -> datetime.datetime:
    if timezone.is_naive(value):
        return value  # already a local wall-clock time (a form's input, say)
    return timezone.localtime(value, zone)


def _with_zone(text: str, local: datetime.datetime, with_zone: bool) -> str:
    abbreviation = local.tzname() if with_zone else ""
    return f"{text} {abbreviation}" if abbreviation else text


def moment_text(value: datetime.datetime | None, *, zone: datetime.tzinfo | None = None,
                with_zone: bool = False) -> str:
    """"Tue, Dec 8, 2026, 10:23 AM" ("… 10:23 AM CST" with the zone); "" for no moment."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = _local(value, zone)
    return _with_zone(formats.date_format(local, _formats()[0]), local, with_zone)


def clock_text(value: datetime.datetime | None, *, zone: datetime.tzinfo | None = None,
               with_zone: bool = False) -> str:
    """The time of day alone, "10:23 AM" ("10:23 AM CST"): for the end of a session that
    starts the same day, or "tomorrow at …"."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = _local(value, zone)
    return _with_zone(formats.time_format(local, _formats()[1]), local, with_zone)


def machine_text(value: datetime.datetime | None, *, zone: datetime.tzinfo) -> str:
    """The local time a spreadsheet sorts and parses: "2026-12-08 10:23"."""
    if not isinstance(value, datetime.datetime):
        return ""
    return _local(value, zone).strftime(MACHINE_FORMAT)


def zone_label(zone: datetime.tzinfo) -> str:
    """The zone's name for a column heading: "America/Chicago"."""
    return getattr(zone, "key", None) or str(zone)
