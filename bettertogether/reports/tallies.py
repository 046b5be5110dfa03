"""Keeping the reports' tallies equal to the coach's log.

Every write to the log sends `coaching.signals.log_changed` inside its transaction. The
receiver takes a lock on the coach (PostgreSQL: a transaction-level advisory lock; SQLite
writes one transaction at a time anyway), deletes the coach's tallies for the weeks and
terms the change touched, and sums them again **from the log itself**. Because the lock is
held until the writer commits and each recount reads what is committed at that moment plus
its own write, the last recount of a week always sees every write to it: two coaches (or
two tabs of one coach) logging at once cannot lose a count. Nothing is ever added to or
subtracted from a tally in place.

`rebuild` sums a whole network from scratch (the demo seeders, and a repair after a bulk
import); `differences` compares the tallies with a direct computation from the log and is
what the tests and `manage.py report_tallies --check` use to prove they agree.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, DateField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.directory.calendar import midnight, zone_of
from bettertogether.directory.models import Organisation, Term

from .models import CoachWeek, KindWeek, PairReach, PairTerm, WeekTally

LOCK_SPACE = 6_000_001  # the advisory-lock namespace of the reports' tallies (per coach)
NETWORK_LOCK_SPACE = 6_000_002  # … and of a network's own tallies
EPOCH_YEAR = 2020  # month 0 of the pair bitmaps
BITS = 62  # months per bitmap column (a signed 64-bit integer, kept positive)
COLUMNS = ("months_0", "months_1", "months_2")


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def term_starts(network_id: int) -> list[datetime.date]:
    """The first day of every term of the network, in order (one query)."""
    return sorted(set(Term.objects.filter(school_year__network_id=network_id)
                      .values_list("starts_on", flat=True)))


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
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


def _lock(coach_id: int, space: int = LOCK_SPACE) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [space, coach_id])


def month_index(day: datetime.date) -> int:
    return (day.year - EPOCH_YEAR) * 12 + day.month - 1


def month_bits(indexes) -> dict[str, int]:
    """The bitmap columns of a set of month numbers (months outside the span are dropped)."""
    found = dict.fromkeys(COLUMNS, 0)
    for index in indexes:
        column, bit = divmod(index, BITS)
        if index >= 0 and column < len(COLUMNS):
            found[COLUMNS[column]] |= 1 << bit
    return found


def _window(since: datetime.date, until: datetime.date, zone) -> Q:
    found = Q(occurred_at__gte=midnight(since, zone))
    if until != datetime.date.max:
        found &= Q(occurred_at__lt=midnight(until, zone))
    return found


def on_log_changed(sender, *, coach_id: int, network_id: int, moments, teacher_ids,
                   **kwargs) -> None:
    network = Organisation.objects.only("pk", "time_zone").get(pk=network_id)
    recount(network=network, coach_id=coach_id, moments=moments, teacher_ids=teacher_ids)


@transaction.atomic
def recount(*, network: Organisation, coach_id: int, moments: Iterable[datetime.datetime],
            teacher_ids: Iterable[int]) -> None:
    """Sum again, from the log, one coach's tallies of the weeks and terms of `moments`."""
    _lock(coach_id)
    zone = zone_of(network)
    days = {timezone.localdate(moment, timezone=zone) for moment in moments}
    weeks = sorted({monday_of(day) for day in days})
    if weeks:
        _recount_weeks(network, coach_id, weeks, zone)
    teacher_ids = sorted(set(teacher_ids))
    if teacher_ids and days:
        starts = term_starts(network.pk)
        buckets = sorted({bucket_of(day, starts) for day in days})
        _recount_pairs(network, coach_id, teacher_ids, buckets, zone)
        _recount_reach(network, coach_id, teacher_ids, zone)
    if weeks:
        # Last, under the network's lock (always taken after a coach's, never before): the
        # network's weeks summed from every coach's, the others' as committed.
        _lock(network.pk, NETWORK_LOCK_SPACE)
        _recount_network_weeks(network, weeks)


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
    WeekTally.objects.filter(coach_id=coach_id, week__in=weeks).delete()
    CoachWeek.objects.filter(coach_id=coach_id, week__in=weeks).delete()
    within = Q()
    for week in weeks:
        within |= _window(week, week + datetime.timedelta(days=7), zone)
    entries = Interaction.objects.filter(within, coach_id=coach_id)
    links = InteractionTeacher.objects.filter(within, coach_id=coach_id)
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
    PairTerm.objects.filter(coach_id=coach_id, teacher_id__in=teacher_ids,
                            bucket__in=[first for first, _after in buckets]).delete()
    made = []
    for first, after in buckets:
        rows = (InteractionTeacher.objects
                .filter(_window(first, after, zone), coach_id=coach_id,
                        teacher_id__in=teacher_ids)
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


def _recount_network_weeks(network, weeks: list[datetime.date]) -> None:
    KindWeek.objects.filter(network=network, week__in=weeks).delete()
    rows = (WeekTally.objects.filter(network=network, week__in=weeks)
            .values("kind_id", "is_contact", "week")
            .annotate(n=Sum("interactions"), minutes=Sum("minutes"),
                      met=Sum("teacher_contacts"))
            .order_by().values_list("kind_id", "is_contact", "week", "n", "minutes", "met"))
    KindWeek.objects.bulk_create([
        KindWeek(network_id=network.pk, kind_id=kind, is_contact=is_contact, week=week,
                 interactions=n, minutes=minutes, teacher_contacts=met)
        for kind, is_contact, week, n, minutes, met in rows])


def _reach_rows(links, zone) -> list:
    """PairReach rows of the links: one per coach, teacher and school."""
    month = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    months: dict[tuple, set[int]] = defaultdict(set)
    for coach, teacher, school, first in (
            links.annotate(month=month)
            .values_list("coach_id", "teacher_id", "interaction__school_id", "month")
            .distinct().order_by()):
        months[(coach, teacher, school)].add(month_index(first))
    return [(key, month_bits(found)) for key, found in months.items()]


def _recount_reach(network, coach_id: int, teacher_ids: list[int], zone) -> None:
    PairReach.objects.filter(coach_id=coach_id, teacher_id__in=teacher_ids).delete()
    links = InteractionTeacher.objects.filter(coach_id=coach_id, teacher_id__in=teacher_ids)
    PairReach.objects.bulk_create([
        PairReach(network_id=network.pk, coach_id=coach, teacher_id=teacher, school_id=school,
                  **bits)
        for (coach, teacher, school), bits in _reach_rows(links, zone)])


# --- a whole network at once ---------------------------------------------------------------


def _insert_select(model, columns: list[str], queryset) -> None:
    """INSERT INTO model (columns) SELECT …: the rows never pass through Python."""
    sql, params = queryset.query.sql_with_params()
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column)
                      for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


def _bucket_expression(network_id: int, zone):
    """`bucket_of` in SQL: the latest term started by `day`, else the day's month."""
    started = (Term.objects.filter(school_year__network_id=network_id,
                                   starts_on__lte=OuterRef("day"))
               .order_by("-starts_on").values("starts_on")[:1])
    month = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    return Coalesce(Subquery(started), month)


@transaction.atomic
def rebuild(network: Organisation) -> None:
    """Sum the network's whole log into its tallies again: three INSERT … SELECT."""
    zone = zone_of(network)
    for model in (WeekTally, CoachWeek, KindWeek, PairTerm, PairReach):
        model.objects.filter(network=network).delete()
    week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=zone)
    met = (InteractionTeacher.objects.filter(interaction_id=OuterRef("pk")).order_by()
           .values("interaction_id").annotate(n=Count("id")).values("n"))
    fine = (Interaction.objects.filter(network=network)
            .annotate(week=week, met=Coalesce(Subquery(met), 0))
            .values("network_id", "coach_id", "school_id", "kind_id", "kind__is_contact", "week")
            .annotate(n=Count("id"), total=Sum("minutes"), contacts=Sum("met"))
            .order_by()
            .values_list("network_id", "coach_id", "school_id", "kind_id", "kind__is_contact",
                         "week", "n", "total", "contacts"))
    _insert_select(WeekTally, ["network", "coach", "school", "kind", "is_contact", "week",
                               "interactions", "minutes", "teacher_contacts"], fine)
    coarse = (WeekTally.objects.filter(network=network)
              .values("network_id", "coach_id", "school_id", "is_contact", "week")
              .annotate(n=Sum("interactions"), total=Sum("minutes"),
                        contacts=Sum("teacher_contacts"))
              .order_by()
              .values_list("network_id", "coach_id", "school_id", "is_contact", "week", "n",
                           "total", "contacts"))
    _insert_select(CoachWeek, ["network", "coach", "school", "is_contact", "week",
                               "interactions", "minutes", "teacher_contacts"], coarse)
    by_kind = (WeekTally.objects.filter(network=network)
               .values("network_id", "kind_id", "is_contact", "week")
               .annotate(n=Sum("interactions"), total=Sum("minutes"),
                         contacts=Sum("teacher_contacts"))
               .order_by()
               .values_list("network_id", "kind_id", "is_contact", "week", "n", "total",
                            "contacts"))
    _insert_select(KindWeek, ["network", "kind", "is_contact", "week", "interactions",
                              "minutes", "teacher_contacts"], by_kind)
    pairs = (InteractionTeacher.objects.filter(interaction__network=network)
             .annotate(day=TruncDate("occurred_at", tzinfo=zone))
             .annotate(bucket=_bucket_expression(network.pk, zone))
             .values("interaction__network_id", "coach_id", "teacher_id",
                     "interaction__school_id", "bucket")
             .annotate(n=Count("id"), total=Sum("interaction__minutes"),
                       first_at=Min("occurred_at"), last_at=Max("occurred_at"))
             .order_by()
             .values_list("interaction__network_id", "coach_id", "teacher_id",
                          "interaction__school_id", "bucket", "n", "total", "first_at",
                          "last_at"))
    _insert_select(PairTerm, ["network", "coach", "teacher", "school", "bucket", "contacts",
                              "minutes", "first_at", "last_at"], pairs)
    links = InteractionTeacher.objects.filter(interaction__network=network)
    PairReach.objects.bulk_create([
        PairReach(network_id=network.pk, coach_id=coach, teacher_id=teacher, school_id=school,
                  **bits)
        for (coach, teacher, school), bits in _reach_rows(links, zone)], batch_size=5000)


# --- proof ----------------------------------------------------------------------------------


def _stored(network) -> dict[str, set]:
    return {
        "weeks": set(WeekTally.objects.filter(network=network).values_list(
            "coach_id", "school_id", "kind_id", "is_contact", "week", "interactions", "minutes",
            "teacher_contacts")),
        "coach_weeks": set(CoachWeek.objects.filter(network=network).values_list(
            "coach_id", "school_id", "is_contact", "week", "interactions", "minutes",
            "teacher_contacts")),
        "pairs": set(PairTerm.objects.filter(network=network).values_list(
            "coach_id", "teacher_id", "school_id", "bucket", "contacts", "minutes", "first_at",
            "last_at")),
        "kind_weeks": set(KindWeek.objects.filter(network=network).values_list(
            "kind_id", "is_contact", "week", "interactions", "minutes", "teacher_contacts")),
        "reach": set(PairReach.objects.filter(network=network).values_list(
            "coach_id", "teacher_id", "school_id", *COLUMNS)),
    }


def direct(network: Organisation) -> dict[str, set]:
    """The tallies computed in Python from every row of the log (for proofs, not pages)."""
    zone = zone_of(network)
    starts = term_starts(network.pk)
    weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    coach_weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    kind_weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    entries = (Interaction.objects.filter(network=network)
               .annotate(met=Count("links"))
               .values_list("coach_id", "school_id", "kind_id", "kind__is_contact",
                            "occurred_at", "minutes", "met"))
    for coach, school, kind, is_contact, moment, minutes, met in entries:
        week = monday_of(timezone.localdate(moment, timezone=zone))
        for key, into in (((coach, school, kind, is_contact, week), weeks),
                          ((coach, school, is_contact, week), coach_weeks),
                          ((kind, is_contact, week), kind_weeks)):
            row = into[key]
            row[0] += 1
            row[1] += minutes
            row[2] += met
    pairs: dict[tuple, list] = {}
    reach: dict[tuple, set[int]] = defaultdict(set)
    links = (InteractionTeacher.objects.filter(interaction__network=network)
             .values_list("coach_id", "teacher_id", "interaction__school_id", "occurred_at",
                          "interaction__minutes"))
    for coach, teacher, school, moment, minutes in links:
        bucket = bucket_of(timezone.localdate(moment, timezone=zone), starts)[0]
        row = pairs.setdefault((coach, teacher, school, bucket), [0, 0, moment, moment])
        row[0] += 1
        row[1] += minutes
        row[2] = min(row[2], moment)
        row[3] = max(row[3], moment)
        reach[(coach, teacher, school)].add(month_index(timezone.localdate(moment,
                                                                           timezone=zone)))
    return {
        "weeks": {(*key, *values) for key, values in weeks.items()},
        "coach_weeks": {(*key, *values) for key, values in coach_weeks.items()},
        "pairs": {(*key, *values) for key, values in pairs.items()},
        "kind_weeks": {(*key, *values) for key, values in kind_weeks.items()},
        "reach": {(*key, *month_bits(found).values()) for key, found in reach.items()},
    }


def differences(network: Organisation) -> dict[str, dict[str, set]]:
    """What the tallies hold that the log does not say, and the other way round."""
    stored, expected = _stored(network), direct(network)
    found = {}
    for name in stored:
        extra, missing = stored[name] - expected[name], expected[name] - stored[name]
        if extra or missing:
            found[name] = {"extra": extra, "missing": missing}
    return found
