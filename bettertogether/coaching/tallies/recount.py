"""Recounting one coach's tallies after a write to their log.

`log_written` is called by every service that writes the log (`coaching.services`), inside
its transaction, with the moments and teachers the write touched (before and after, for an
edit). It takes the locks of `locks.py`, reads the network's calendar, deletes the coach's
tallies of the weeks, terms and pairs touched and sums them again **from the log itself**.
Because the locks are held until the writer commits and each recount reads what is
committed at that moment plus its own write, the last recount of a week always sees every
write to it: two coaches (or two tabs of one coach) logging at once cannot lose a count.
Nothing is ever added to or subtracted from a tally in place.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, DateField, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.directory.calendar import midnight, zone_of
from bettertogether.directory.models import Organisation

from . import locks
from .buckets import bucket_of, local_day, monday_of, month_bits, term_starts
from .models import CoachWeek, KindWeek, PairReach, PairTerm, WeekTally

_batch = threading.local()


@contextmanager
def deferred() -> Iterator[None]:
    """Recount once, at the end of the block, what every log write inside it touched.

    For a writer of many entries in one transaction (the demo seeders): each coach's weeks,
    terms and pairs are summed again from the log once instead of after every entry, which
    gives the same tallies since a recount never adds to a tally in place. Nested blocks
    join the outer one; if the block fails nothing is recounted (its transaction is undone).
    """
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = pending = defaultdict(lambda: (set(), set()))
    try:
        yield
    finally:
        _batch.pending = None
    for (network_id, coach_id), (moments, teacher_ids) in pending.items():
        log_written(network_id=network_id, coach_id=coach_id, moments=moments,
                    teacher_ids=teacher_ids)


@transaction.atomic
def log_written(*, network_id: int, coach_id: int, moments: Iterable[datetime.datetime],
                teacher_ids: Iterable[int]) -> None:
    """Sum again, from the log, one coach's tallies of the weeks and terms of `moments`."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        batch_moments, batch_teachers = pending[(network_id, coach_id)]
        batch_moments.update(moments)
        batch_teachers.update(teacher_ids)
        return
    locks.calendar_shared(network_id)
    locks.coach(coach_id)
    # Read only now: a change of time zone or terms committed before the lock counts.
    network = Organisation.objects.only("pk", "time_zone").get(pk=network_id)
    zone = zone_of(network)
    days = {day for day in (local_day(moment, zone) for moment in moments) if day}
    weeks = sorted({monday_of(day) for day in days})
    if weeks:
        _recount_weeks(network, coach_id, weeks, zone)
    teacher_ids = sorted(set(teacher_ids))
    if teacher_ids and days:
        starts = term_starts(network.pk)
        buckets = sorted({bucket_of(day, starts) for day in days})
        _recount_pairs(network, coach_id, teacher_ids, buckets, zone)
        recount_reach(network, coach_id, teacher_ids, zone)
    if weeks:
        # Last, under the network's lock (always taken after a coach's, never before): the
        # network's weeks summed from every coach's, the others' as committed.
        locks.network(network.pk)
        recount_network_weeks(network, weeks)


def window(since: datetime.date, until: datetime.date, zone) -> Q:
    """The moments of the days [since, until) in the zone (`until` may be forever)."""
    found = Q(occurred_at__gte=midnight(since, zone))
    if until != datetime.date.max:
        found &= Q(occurred_at__lt=midnight(until, zone))
    return found


def _week_rows(entries, zone):
    week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=zone)
    return (entries.annotate(week=week)
            .values("school_id", "kind_id", "kind__is_contact", "week")
            .annotate(n=Count("id"), minutes=Sum("minutes"))
            .order_by()
            .values_list("school_id", "kind_id", "kind__is_contact", "week", "n", "minutes"))


def _week_links(links, zone):
    week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=zone)
    return (links.annotate(week=week)
            .values("interaction__school_id", "interaction__kind_id", "week")
            .annotate(n=Count("id")).order_by()
            .values_list("interaction__school_id", "interaction__kind_id", "week", "n"))


def _recount_weeks(network, coach_id: int, weeks: list[datetime.date], zone) -> None:
    mine = {"network_id": network.pk, "coach_id": coach_id}
    WeekTally.objects.filter(**mine, week__in=weeks).delete()
    CoachWeek.objects.filter(**mine, week__in=weeks).delete()
    within = Q()
    for week in weeks:
        within |= window(week, week + datetime.timedelta(days=7), zone)
    entries = Interaction.objects.filter(within, **mine)
    links = InteractionTeacher.objects.filter(within, coach_id=coach_id,
                                              interaction__network_id=network.pk)
    contacts = {(school, kind, week): n for school, kind, week, n in _week_links(links, zone)}
    fine, coarse = [], defaultdict(lambda: [0, 0, 0])
    for school, kind, is_contact, week, n, minutes in _week_rows(entries, zone):
        met = contacts.get((school, kind, week), 0)
        fine.append(WeekTally(network_id=network.pk, coach_id=coach_id, school_id=school,
                              kind_id=kind, is_contact=is_contact, week=week, interactions=n,
                              minutes=minutes, teacher_contacts=met))
        total = coarse[(school, is_contact, week)]
        total[0] += n
        total[1] += minutes
        total[2] += met
    WeekTally.objects.bulk_create(fine)
    CoachWeek.objects.bulk_create([
        CoachWeek(network_id=network.pk, coach_id=coach_id, school_id=school,
                  is_contact=is_contact, week=week, interactions=n, minutes=minutes,
                  teacher_contacts=met)
        for (school, is_contact, week), (n, minutes, met) in coarse.items()
    ])


def _recount_pairs(network, coach_id: int, teacher_ids: list[int],
                   buckets: list[tuple[datetime.date, datetime.date]], zone) -> None:
    PairTerm.objects.filter(network_id=network.pk, coach_id=coach_id,
                            teacher_id__in=teacher_ids,
                            bucket__in=[first for first, _after in buckets]).delete()
    made = []
    for first, after in buckets:
        rows = (InteractionTeacher.objects
                .filter(window(first, after, zone), coach_id=coach_id,
                        teacher_id__in=teacher_ids, interaction__network_id=network.pk)
                .values("teacher_id", "interaction__school_id")
                .annotate(n=Count("id"), minutes=Sum("interaction__minutes"),
                          first_at=Min("occurred_at"), last_at=Max("occurred_at"))
                .order_by()
                .values_list("teacher_id", "interaction__school_id", "n", "minutes",
                             "first_at", "last_at"))
        made += [PairTerm(network_id=network.pk, coach_id=coach_id, teacher_id=teacher,
                          school_id=school, bucket=first, contacts=n, minutes=minutes,
                          first_at=first_at, last_at=last_at)
                 for teacher, school, n, minutes, first_at, last_at in rows]
    PairTerm.objects.bulk_create(made)


def recount_network_weeks(network, weeks: list[datetime.date] | None = None) -> None:
    """The network's weeks by kind, summed from every coach's weeks (all weeks: None)."""
    KindWeek.objects.filter(network=network, **_weeks_in(weeks)).delete()
    rows = (WeekTally.objects.filter(network=network, **_weeks_in(weeks))
            .values("kind_id", "is_contact", "week")
            .annotate(n=Sum("interactions"), minutes=Sum("minutes"),
                      met=Sum("teacher_contacts"))
            .order_by().values_list("kind_id", "is_contact", "week", "n", "minutes", "met"))
    KindWeek.objects.bulk_create([
        KindWeek(network_id=network.pk, kind_id=kind, is_contact=is_contact, week=week,
                 interactions=n, minutes=minutes, teacher_contacts=met)
        for kind, is_contact, week, n, minutes, met in rows], batch_size=5000)


def _weeks_in(weeks) -> dict:
    return {} if weeks is None else {"week__in": weeks}


def reach_rows(links, zone) -> list:
    """PairReach rows of the links: one per coach, teacher and school."""
    month = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    months: dict[tuple, set[datetime.date]] = defaultdict(set)
    for coach, teacher, school, first in (
            links.annotate(month=month)
            .values_list("coach_id", "teacher_id", "interaction__school_id", "month")
            .distinct().order_by()):
        months[(coach, teacher, school)].add(first)
    return [(key, month_bits(found)) for key, found in months.items()]


def recount_reach(network, coach_id: int, teacher_ids: list[int], zone) -> None:
    """The month bitmaps of the coach's pairs with these teachers."""
    PairReach.objects.filter(network_id=network.pk, coach_id=coach_id,
                             teacher_id__in=teacher_ids).delete()
    insert_reach(network.pk, InteractionTeacher.objects.filter(
        coach_id=coach_id, teacher_id__in=teacher_ids, interaction__network_id=network.pk),
        zone)


def insert_reach(network_id: int, links, zone) -> None:
    PairReach.objects.bulk_create([
        PairReach(network_id=network_id, coach_id=coach, teacher_id=teacher, school_id=school,
                  **bits)
        for (coach, teacher, school), bits in reach_rows(links, zone)], batch_size=5000)
