"""Which teachers a report's coaches reached in a period, read from the month bitmaps.

`reached_rows` answers "who had at least one contact with whom, at which school, between
these two days" with one pass over a row per (coach, teacher, school) — `PairReach` keeps
the months of contact of each as bits. Whole months inside the period are a bit test; a
month only partly inside it (the first and last month of most periods) is checked against
the log, and only for the pairs whose whole months did not already answer.

With a kind-of-support filter the bitmaps cannot answer (they hold no kinds): the engine
reads those pairs from the log itself.
"""

from __future__ import annotations

import calendar
import datetime

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from bettertogether.coaching.models import InteractionTeacher

from .tallies import BITS, COLUMNS, midnight, month_index

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


def _bit(index: int) -> tuple[str, int] | None:
    column, bit = divmod(index, BITS)
    if index < 0 or column >= len(COLUMNS):
        return None
    return COLUMNS[column], 1 << bit


def _hits(masks: dict[str, int]):
    found = None
    for column, mask in masks.items():
        if not mask:
            continue
        term = F(column).bitand(mask)
        found = term if found is None else found.bitor(term)
    return found


def reached_rows(pairs, *, start: datetime.date, end: datetime.date,
                 zone) -> set[tuple[int, int, int | None]]:
    """(coach, teacher, school) of the rows of `pairs` (a PairReach queryset already
    narrowed to the report's scope) with a contact in [start, end].

    Two queries at most: the pairs a whole month answers, then — only among the others —
    the pairs with a contact in the part months at the ends, checked against the log. (As
    one query with OR, PostgreSQL would hash every link of those months instead of looking
    up the few pairs that need it.)
    """
    whole = dict.fromkeys(COLUMNS, 0)
    partial = []
    for month, first, after, complete in _months(start, end):
        found = _bit(month_index(month))
        if found is None:
            continue
        if complete:
            whole[found[0]] |= found[1]
        else:
            partial.append((found, first, after))
    columns = ("coach_id", "teacher_id", "school_id")
    hits = _hits(whole)
    rows: set = set()
    others = pairs
    if hits is not None:
        pairs = pairs.alias(whole_hits=hits)
        rows |= set(fetch_rows(pairs.filter(~Q(whole_hits=0)).values_list(*columns)
                           .order_by().distinct()))
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
        rows |= set(fetch_rows(others.filter(condition).values_list(*columns)
                           .order_by().distinct()))
    return rows


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` of plain numbers in one go (tens of thousands of small
    rows: Django's row-by-row conversion would cost more than the query)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
