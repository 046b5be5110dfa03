"""Which week, term and month a moment of the log falls in, in the network's calendar.

The buckets depend on the network's time zone (a moment's local day: `directory.calendar`
says which zone, and when a day starts) and on the first days of its terms, so a change of
either moves entries between buckets (`network.py` recounts them). Months are also bits:
month n (from January 1999) is bit n mod 62 of column `months_<n // 62>` of `PairReach`;
the twenty columns reach April 2102.
"""

from __future__ import annotations

import bisect
import datetime

from django.utils import timezone

from bettertogether.directory.dates import FIRST_DAY, LAST_DAY
from bettertogether.directory.models import Term

DAY = datetime.timedelta(days=1)
EPOCH_YEAR = 1999  # month 0 of the pair bitmaps: a year before the first day accepted
BITS = 62  # months per bitmap column (a signed 64-bit integer, kept positive)
COLUMNS = tuple(f"months_{n}" for n in range(20))


def local_day(moment: datetime.datetime, zone) -> datetime.date | None:
    """The moment's day in the zone, or None for a moment no calendar can hold."""
    try:
        return timezone.localdate(moment, timezone=zone)
    except (OverflowError, ValueError):
        return None


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def term_starts(network_id: int) -> list[datetime.date]:
    """The first day of every term of the network, in order (one query)."""
    return sorted(set(Term.objects.filter(school_year__network_id=network_id)
                      .values_list("starts_on", flat=True)))


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    if (day.year, day.month) == (datetime.MAXYEAR, 12):
        return datetime.date.max
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def bucket_of(day: datetime.date, starts: list[datetime.date]) -> tuple[datetime.date,
                                                                       datetime.date]:
    """The pair tallies' bucket holding `day`: [first day, first day after).

    The term that has most recently started (holidays belong to the term before them);
    before the network's first term, the calendar month (cut short by that first term).
    """
    at = bisect.bisect_right(starts, day)
    if at:
        first = starts[at - 1]
        return first, (starts[at] if at < len(starts) else datetime.date.max)
    first = _month_start(day)
    after = _next_month(day)
    if starts and starts[0] < after:
        after = starts[0]
    return first, after


def days_moved_by(starts: list[datetime.date], changed: frozenset[datetime.date]
                  ) -> tuple[datetime.date, datetime.date]:
    """The days whose bucket may differ once terms starting on `changed` came or went.

    `starts` are the network's term starts after the change. A day before the earliest
    changed start keeps its bucket, and so does a day from the first unchanged start after
    the latest one; the bucket holding the day before the earliest changed start may have
    lost or gained days, so it is recounted whole. Returns [first day, first day after).
    """
    kept = [start for start in starts if start not in changed]
    earliest, latest = min(changed), max(changed)
    after = next((start for start in kept if start > latest), datetime.date.max)
    before = earliest - DAY if earliest > datetime.date.min else earliest
    return bucket_of(before, kept)[0], after


def whole_buckets(first: datetime.date, after: datetime.date, starts: list[datetime.date]
                  ) -> tuple[datetime.date, datetime.date]:
    """[first, after) widened to whole buckets of the calendar `starts`."""
    first = bucket_of(first, starts)[0]
    if after != datetime.date.max:
        after = bucket_of(after - DAY, starts)[1]
    return first, after


def month_index(day: datetime.date) -> int:
    return (day.year - EPOCH_YEAR) * 12 + day.month - 1


def month_bit(day: datetime.date) -> tuple[str, int] | None:
    """The column and bit of the month holding `day`, or None outside the bitmaps."""
    index = month_index(day)
    column, bit = divmod(index, BITS)
    if index < 0 or column >= len(COLUMNS):
        return None
    return COLUMNS[column], 1 << bit


def month_bits(days) -> dict[str, int]:
    """The bitmap columns of a set of days' months (a month outside the bitmaps cannot
    occur: `covers` proves every accepted day is inside, with a day to spare)."""
    found = dict.fromkeys(COLUMNS, 0)
    for day in days:
        place = month_bit(day)
        if place is not None:
            found[place[0]] |= place[1]
    return found


def covers(day: datetime.date) -> bool:
    return month_bit(day) is not None


# Every day a log entry may have, and the day either side of the span (a change of time
# zone moves an entry's day by at most one), has a bit. Checked once, at import.
if not (covers(FIRST_DAY - DAY) and covers(LAST_DAY + DAY)):
    raise RuntimeError("The month bitmaps do not cover every day the product accepts.")
