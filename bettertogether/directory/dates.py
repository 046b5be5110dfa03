"""The span of dates Better Together accepts, in one place.

Every date a person gives — when a contact happened, and as other forms adopt it a school
year, a term, a session or a due date — lies between `FIRST_DAY` and `LAST_DAY`, read in the
organisation's time zone. A form field takes `validate_in_span` as a validator; a service
checks `in_span` and raises `span_message()` against the field, so the form and the service
say the same words.

Why these two days:

- `FIRST_DAY`, 1 January 2000: no coaching record kept here predates it by decades, and it
  catches the slips a typed date invites ("0026", "1026", year 1) before they land in a
  report as a contact from another century.
- `LAST_DAY`, 31 December 2099: far enough for anything planned ahead, yet it refuses
  "9999" and "20266". The coach's log is stricter still: a contact is logged when it
  happens, so nothing later than tomorrow (`coaching.services`).

Figures kept ahead of time must hold every accepted date: the coaching app's month bitmaps
cover 1999 to 2102, a year either side, because a change of the network's time zone moves
an entry by up to a day (`coaching/tallies/buckets.py` checks this).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)


def in_span(day: datetime.date | None) -> bool:
    return day is not None and FIRST_DAY <= day <= LAST_DAY


def span_message() -> str:
    return _("Choose a date from %(first)s to %(last)s.") % {
        "first": date_format(FIRST_DAY, "j F Y"), "last": date_format(LAST_DAY, "j F Y")}


def day_of(value: datetime.date | datetime.datetime) -> datetime.date:
    """The day a date or a date-time names (a date-time in its own time zone)."""
    return value.date() if isinstance(value, datetime.datetime) else value


def validate_in_span(value) -> None:
    """A validator for a date or date-time field (a form parses date-times in the
    organisation's time zone, so the day is the one the person typed)."""
    if value is not None and not in_span(day_of(value)):
        raise ValidationError(span_message(), code="out_of_span")
