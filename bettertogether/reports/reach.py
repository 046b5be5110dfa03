"""Which teachers a report's coaches reached in a period, read from the month bitmaps.

`reached_pairs` answers "who had at least one contact with whom, at which school, between
these two days" with one pass over a row per (coach, teacher, school) — `PairReach` keeps
the months of contact of each as bits. Whole months inside the period are a bit test; a
month only partly inside it (the first and last month of most periods) is checked against
the log, and only for the pairs whose whole months did not already answer.

With a kind-of-support filter the bitmaps cannot answer (they hold no kinds): `sources.py`
(which decides what answers each question) reads those pairs from the log itself.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from bettertogether.coaching.models import InteractionTeacher
from bettertogether.coaching.tallies.buckets import COLUMNS, month_bit
from bettertogether.directory.calendar import midnight

DAY = datetime.timedelta(days=1)


def _months(start: datetime.date, end: datetime.date):
    """Each month touching [start, end]: (first day inside, day after the last inside,
    whether the whole month is inside)."""
    day = start.replace(day=1)
    while day <= end:
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        first_in, last_in = max(day, start), min(last, end)
        yield day, first_in, last_in + DAY, first_in == day and last_in == last
        day = last + DAY


def _hits(masks: dict[str, int]):
    found = None
    for column, mask in masks.items():
        if not mask:
            continue
        term = F(column).bitand(mask)
        found = term if found is None else found.bitor(term)
    return found


# Above this many pairs reached only in the part months, the pairs are named by a subquery
# rather than by their ids (SQLite's limit on a statement's parameters).
MAX_LISTED_PAIRS = 5000


def reached_pairs(pairs, *, start: datetime.date, end: datetime.date, zone):
    """The rows of `pairs` (a PairReach queryset already narrowed to the report's scope)
    with a contact in [start, end], as a queryset to count from.

    The pairs a whole month answers are a bit test; the others with a bit in a part month
    at the ends are checked against the log once, here, and named by their ids. (As one
    condition with OR, PostgreSQL would hash every link of those months instead of looking
    up the few pairs that need it — and would do it again in each count.)
    """
    whole = dict.fromkeys(COLUMNS, 0)
    partial = []
    for month, first, after, complete in _months(start, end):
        found = month_bit(month)
        if found is None:
            continue
        if complete:
            column, bit = found
            whole[column] |= bit
        else:
            partial.append((found, first, after))
    hits = _hits(whole)
    # Matches nothing, yet is a query to run: the count of queries stays the same whether
    # or not any pair is found (an empty list would skip them).
    found = Q(pk__isnull=True)
    others = pairs
    if hits is not None:
        pairs = pairs.alias(whole_hits=hits)
        found = ~Q(whole_hits=0)
        others = pairs.filter(whole_hits=0)
    if partial:
        condition = Q(pk__in=[])
        for n, ((column, bit), first, after) in enumerate(partial):
            links = InteractionTeacher.objects.filter(
                coach_id=OuterRef("coach_id"), teacher_id=OuterRef("teacher_id"),
                occurred_at__gte=midnight(first, zone), occurred_at__lt=midnight(after, zone))
            here = (Exists(links.filter(interaction__school_id=OuterRef("school_id")))
                    | (Q(school__isnull=True) & Exists(links.filter(
                        interaction__school__isnull=True))))
            others = others.alias(**{f"edge_{n}": F(column).bitand(bit)})
            condition |= ~Q(**{f"edge_{n}": 0}) & here
        edge_pairs = others.filter(condition).order_by().values("pk")
        ids = list(edge_pairs.values_list("pk", flat=True)[:MAX_LISTED_PAIRS + 1])
        found |= Q(pk__in=ids if len(ids) <= MAX_LISTED_PAIRS else edge_pairs)
    return pairs.filter(found)


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` of plain numbers in one go (tens of thousands of small
    rows: Django's row-by-row conversion would cost more than the query)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
