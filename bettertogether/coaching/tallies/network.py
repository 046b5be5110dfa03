"""Recounting a whole network's tallies: after a change of its calendar, and from scratch.

**A change of the calendar** (`calendar_changed`, registered with
`directory.calendar_changes`) moves entries between buckets: a new time zone moves every
week, term and month; a term that came, went or moved re-buckets the days from the term
before it to the next term that did not move (`buckets.days_moved_by`). On the district's
two million entries that is more than a request may take, so the change, in its own
transaction, only records a `TallyRecount` and queues `coaching.tasks.recount_tallies` for
the worker on commit. Until the worker is done the reports say their figures are being
recounted (`recounting`).

**The worker** (`recount_pending`) merges the network's pending recounts and does them
coach by coach, each coach in a transaction of its own under the calendar lock (shared) and
the coach's lock, reading the calendar as it stands then. A coach who logs meanwhile waits
only for their own turn; their write recounts what it touched as it always does, so
nothing they write is lost, and the worker's turn for them (before or after) sums the same
log. Last come the network's weeks by kind. A calendar that changes again mid-way queues
its own recount, done after this one.

**`rebuild`** sums a network from scratch with a few INSERT … SELECT, holding the calendar
lock exclusively (log writes of the network wait for it): the demo seeders, and
`manage.py report_tallies --rebuild` after a bulk load that bypassed the services. It
settles every pending recount of the network.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Count, DateField, Exists, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.core.queue import enqueue_on_commit
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.calendar_changes import CalendarChange
from bettertogether.directory.models import Organisation, Term

from . import locks
from .buckets import days_moved_by, term_starts, whole_buckets
from .models import CoachWeek, KindWeek, PairReach, PairTerm, TallyRecount, WeekTally
from .recount import insert_reach, recount_network_weeks, window

EVERYTHING, PAIR_TERMS = TallyRecount.Part.EVERYTHING, TallyRecount.Part.PAIR_TERMS
TALLIES = (WeekTally, CoachWeek, PairTerm, PairReach)  # a coach's own; KindWeek is the network's


def recounting(network_id) -> Exists:
    """An expression: whether the network (an id or `OuterRef`) has a recount pending."""
    return Exists(TallyRecount.objects.filter(network_id=network_id, done_at__isnull=True))


# --- a change of the calendar ----------------------------------------------------------------


def calendar_changed(change: CalendarChange) -> None:
    """Record what the change moved and queue its recount (inside the change's transaction)."""
    locks.calendar_exclusive(change.network_id)
    if change.time_zone:
        part, first, after = EVERYTHING, None, None
        moved = Interaction.objects.filter(network_id=change.network_id)
    else:
        part = PAIR_TERMS
        first, after = days_moved_by(term_starts(change.network_id), change.term_starts)
        zone = zone_of(Organisation.objects.only("time_zone").get(pk=change.network_id))
        # Only a contact from the earliest changed start on can change term.
        moved = InteractionTeacher.objects.filter(
            window(min(change.term_starts), after, zone),
            interaction__network_id=change.network_id)
    if not moved.exists():
        return  # nothing logged where the buckets moved: nothing to recount
    TallyRecount.objects.create(network_id=change.network_id, part=part, first_day=first,
                                after_day=None if after == datetime.date.max else after)
    _queue(change.network_id)


def _queue(network_id: int) -> None:
    from bettertogether.coaching.tasks import recount_tallies

    enqueue_on_commit(recount_tallies, network_id=network_id)


# --- the worker ------------------------------------------------------------------------------


def recount_pending(*, network_id: int) -> int:
    """Do the network's pending recounts; how many there were."""
    pending = list(TallyRecount.objects.filter(network_id=network_id, done_at__isnull=True)
                   .order_by("pk"))
    if not pending:
        return 0
    everything = any(each.part == EVERYTHING for each in pending)
    span = None if everything else (
        min(each.first_day for each in pending),
        max((each.after_day or datetime.date.max) for each in pending))
    for coach_id in _coaches(network_id):
        _recount_coach(network_id, coach_id, span)
    if everything:
        _recount_kind_weeks(network_id)
    TallyRecount.objects.filter(pk__in=[each.pk for each in pending]).update(
        done_at=timezone.now())
    return len(pending)


def _coaches(network_id: int) -> list[int]:
    """Every coach with an entry or a tally in the network (one whose entries are all gone
    may still have tallies to clear)."""
    found = set(Interaction.objects.filter(network_id=network_id)
                .values_list("coach_id", flat=True).distinct().order_by())
    for model in TALLIES:
        found |= set(model.objects.filter(network_id=network_id)
                     .values_list("coach_id", flat=True).distinct().order_by())
    return sorted(found)


@transaction.atomic
def _recount_coach(network_id: int, coach_id: int, span) -> None:
    """One coach's tallies: all of them (`span` None), or their pairs' terms in the span."""
    locks.calendar_shared(network_id)
    locks.coach(coach_id)
    zone = zone_of(Organisation.objects.only("time_zone").get(pk=network_id))
    mine = {"network_id": network_id, "coach_id": coach_id}
    entries = Interaction.objects.filter(**mine)
    links = InteractionTeacher.objects.filter(coach_id=coach_id,
                                              interaction__network_id=network_id)
    if span is None:
        for model in TALLIES:
            model.objects.filter(**mine).delete()
        _insert_weeks(entries, zone, WeekTally.objects.filter(**mine))
        _insert_pairs(network_id, links, zone)
        insert_reach(network_id, links, zone)
        return
    first, after = whole_buckets(*span, term_starts(network_id))
    buckets = {"bucket__gte": first}
    if after != datetime.date.max:
        buckets["bucket__lt"] = after
    PairTerm.objects.filter(**mine, **buckets).delete()
    _insert_pairs(network_id, links.filter(window(first, after, zone)), zone)


@transaction.atomic
def _recount_kind_weeks(network_id: int) -> None:
    locks.calendar_shared(network_id)
    locks.network(network_id)
    recount_network_weeks(Organisation.objects.only("pk").get(pk=network_id))


# --- from scratch ----------------------------------------------------------------------------


@transaction.atomic
def rebuild(network: Organisation) -> None:
    """Sum the network's whole log into its tallies again: a few INSERT … SELECT."""
    locks.calendar_exclusive(network.pk)
    network = Organisation.objects.only("pk", "time_zone").get(pk=network.pk)
    zone = zone_of(network)
    for model in (*TALLIES, KindWeek):
        model.objects.filter(network=network).delete()
    _insert_weeks(Interaction.objects.filter(network=network), zone,
                  WeekTally.objects.filter(network=network))
    by_kind = (WeekTally.objects.filter(network=network)
               .values("network_id", "kind_id", "is_contact", "week")
               .annotate(n=Sum("interactions"), total=Sum("minutes"),
                         contacts=Sum("teacher_contacts"))
               .order_by()
               .values_list("network_id", "kind_id", "is_contact", "week", "n", "total",
                            "contacts"))
    _insert_select(KindWeek, ["network", "kind", "is_contact", "week", "interactions",
                              "minutes", "teacher_contacts"], by_kind)
    links = InteractionTeacher.objects.filter(interaction__network=network)
    _insert_pairs(network.pk, links, zone)
    insert_reach(network.pk, links, zone)
    TallyRecount.objects.filter(network=network, done_at__isnull=True).update(
        done_at=timezone.now())


def _insert_select(model, columns: list[str], queryset) -> None:
    """INSERT INTO model (columns) SELECT …: the rows never pass through Python."""
    sql, params = queryset.query.sql_with_params()
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column)
                      for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


def _insert_weeks(entries, zone, weeks) -> None:
    """WeekTally rows of `entries`, then CoachWeek rows from them (`weeks`: the same rows
    as a WeekTally queryset)."""
    week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=zone)
    met = (InteractionTeacher.objects.filter(interaction_id=OuterRef("pk")).order_by()
           .values("interaction_id").annotate(n=Count("id")).values("n"))
    fine = (entries.annotate(week=week, met=Coalesce(Subquery(met), 0))
            .values("network_id", "coach_id", "school_id", "kind_id", "kind__is_contact", "week")
            .annotate(n=Count("id"), total=Sum("minutes"), contacts=Sum("met"))
            .order_by()
            .values_list("network_id", "coach_id", "school_id", "kind_id", "kind__is_contact",
                         "week", "n", "total", "contacts"))
    _insert_select(WeekTally, ["network", "coach", "school", "kind", "is_contact", "week",
                               "interactions", "minutes", "teacher_contacts"], fine)
    coarse = (weeks.values("network_id", "coach_id", "school_id", "is_contact", "week")
              .annotate(n=Sum("interactions"), total=Sum("minutes"),
                        contacts=Sum("teacher_contacts"))
              .order_by()
              .values_list("network_id", "coach_id", "school_id", "is_contact", "week", "n",
                           "total", "contacts"))
    _insert_select(CoachWeek, ["network", "coach", "school", "is_contact", "week",
                               "interactions", "minutes", "teacher_contacts"], coarse)


def _bucket_expression(network_id: int, zone):
    """`buckets.bucket_of` in SQL: the latest term started by `day`, else the day's month."""
    started = (Term.objects.filter(school_year__network_id=network_id,
                                   starts_on__lte=OuterRef("day"))
               .order_by("-starts_on").values("starts_on")[:1])
    month = TruncMonth("occurred_at", output_field=DateField(), tzinfo=zone)
    return Coalesce(Subquery(started), month)


def _insert_pairs(network_id: int, links, zone) -> None:
    pairs = (links.annotate(day=TruncDate("occurred_at", tzinfo=zone))
             .annotate(bucket=_bucket_expression(network_id, zone))
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
