"""Which tally or table answers each question of a report — decided here, in `source_for`,
and nowhere else — and the reads of the hours that follow from it.

The log (`Interaction`, and `InteractionTeacher` linking an entry to each teacher) is the
truth. The tallies (`coaching.tallies`) are sums of it kept up to date as it changes, so a
report over years reads a few thousand rows instead of millions. Each tally answers only
what it holds, and `source_for` picks the cheapest one that does:

    question        filters                           read from              and from the log
    --------------  --------------------------------  ---------------------  -----------------------
    HOURS           none but the period, in a         KindWeek, whole weeks  the part weeks at
                    network's report                                         either end
    HOURS           a school, a coach, a kind; a      WeekTally, whole weeks the part weeks at
                    school's or a coach's report;                            either end
                    small schools left out
    HOURS           a grade or a subject              -                      every day
    HOURS_BY_COACH  no kind                           CoachWeek, whole weeks the part weeks
    HOURS_BY_COACH  a kind                            WeekTally, whole weeks the part weeks
    HOURS_BY_COACH  a grade or a subject              -                      every day
    REACH           no kind                           PairReach              the part months, for
                                                                             pairs not yet found
    REACH           a kind                            -                      InteractionTeacher
    TERMS           no kind                           PairTerm               -
    TERMS           a kind                            -                      InteractionTeacher
    CASELOADS       any (a kind does not narrow it)   CaseloadAssignment     -

The questions: `HOURS` is entries and minutes by kind and week (the time sections, the
headline, the hours of each term, this term against the last); `HOURS_BY_COACH` the same by
coach and school (the coaches' table); `REACH` who had a contact, by school, coach and
grade, and how many; `TERMS` the teachers contacted, and in repeated contact, term by term;
`CASELOADS` the teachers of the coaches' caseloads of the school years in the period.

Why:

- `KindWeek` holds the network's weeks by kind and nothing else: the fewest rows, but no
  school or coach, so any narrowing (or a small school left out) reads `WeekTally`, which
  holds weeks by coach, school and kind. `CoachWeek` holds weeks by coach and school, every
  kind together: the coaches' table reads it unless a kind is chosen.
- Every weekly tally holds whole weeks (Monday to Sunday) in the network's time zone: the
  days of a part week at either end of the period (at most six each) come from the log,
  and so does a period inside one week.
- No tally holds teachers: under a grade or subject filter the hours come from the log's
  entries with at least one of its teachers, every day of the period.
- `PairReach` keeps, for each coach, teacher and school, a bit per month with a contact. A
  month wholly inside the period is a bit test; a month only partly inside is checked
  against the log's links, and only for the pairs the whole months did not already find
  (`reach.py`). The bits hold no kinds: with a kind filter, reach reads the log's links.
- `PairTerm` keeps each pair's contacts term by term, with the first and last; it holds no
  kinds, so with a kind filter the term table reads the log's links of that kind and puts
  each in its term as the tally does (`term_depth`).

The conditions each source is read with (the scope and the filters as SQL) are
`query.py`'s. The randomized tests in `tests/test_engine.py` hold every answer here equal to
a count straight from the log.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncWeek

from bettertogether.coaching.models import (
    CoachWeek,
    Interaction,
    InteractionTeacher,
    KindWeek,
    PairReach,
    PairTerm,
    WeekTally,
)
from bettertogether.coaching.tallies.buckets import bucket_of, local_day, monday_of, term_starts
from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import CaseloadAssignment

from . import query
from .models import ReportKind
from .reach import reached_pairs
from .report_base import DAY, ReportContext
from .rows import CoachRow, KindWeekRow, TermDepthRow


class Question(StrEnum):
    HOURS = "hours"
    HOURS_BY_COACH = "hours_by_coach"
    REACH = "reach"
    TERMS = "terms"
    CASELOADS = "caseloads"


class Source(StrEnum):
    """Where an answer is read: a tally (`coaching.tallies`), a table, or the log."""

    KIND_WEEK = "KindWeek"
    WEEK_TALLY = "WeekTally"
    COACH_WEEK = "CoachWeek"
    PAIR_REACH = "PairReach"
    PAIR_TERM = "PairTerm"
    CASELOAD = "CaseloadAssignment"
    LOG = "Interaction"
    LOG_LINKS = "InteractionTeacher"


@dataclass(frozen=True)
class Plan:
    """How a question is answered: `source` over the whole weeks `weeks` (first Monday,
    the Monday after the last) when it is a weekly tally, and the log on `log_days` (spans
    of (first day, the day after the last)) for what the tally cannot answer."""

    source: Source | None
    weeks: tuple[datetime.date, datetime.date] | None = None
    log_days: tuple[tuple[datetime.date, datetime.date], ...] = ()


# Each source's model, and the condition that keeps it inside the scope and the filters.
MODELS = {Source.KIND_WEEK: KindWeek, Source.WEEK_TALLY: WeekTally, Source.COACH_WEEK: CoachWeek,
          Source.PAIR_REACH: PairReach, Source.PAIR_TERM: PairTerm,
          Source.CASELOAD: CaseloadAssignment, Source.LOG: Interaction,
          Source.LOG_LINKS: InteractionTeacher}
CONDITIONS = {Source.KIND_WEEK: query.kind_weeks, Source.WEEK_TALLY: query.week_tallies,
              Source.COACH_WEEK: query.coach_weeks, Source.PAIR_REACH: query.pairs,
              Source.PAIR_TERM: query.pairs, Source.CASELOAD: query.caseloads,
              Source.LOG: query.log, Source.LOG_LINKS: query.links}


def rows_of(ctx: ReportContext, source: Source):
    """The rows of `source` inside the report's scope and filters (any day)."""
    return MODELS[source].objects.filter(CONDITIONS[source](ctx))


def _whole_weeks(ctx: ReportContext) -> Plan:
    """Whole weeks (Monday to Sunday) from a tally, the days of a part week at either end
    of the period from the log (each at most six days); a period inside one week, or under
    a grade or subject filter, from the log alone. The tally is filled in by the caller."""
    start, end = ctx.filters.start, ctx.filters.end
    everything = ((start, end + DAY),)
    if ctx.teachers is not None:
        return Plan(source=None, log_days=everything)
    first_week = monday_of(start)
    if first_week < start:
        first_week += datetime.timedelta(days=7)
    last_week = monday_of(end + DAY)  # the week after the last whole one
    if first_week > last_week:  # the range sits inside one week
        return Plan(source=None, log_days=everything)
    edges = []
    if start < first_week:
        edges.append((start, first_week))
    if last_week <= end:
        edges.append((last_week, end + DAY))
    if first_week == last_week:  # no whole week: only part weeks
        return Plan(source=None, log_days=tuple(edges))
    return Plan(source=None, weeks=(first_week, last_week), log_days=tuple(edges))


def _network_wide(ctx: ReportContext) -> bool:
    """A network's report with no school or coach filter, all its schools counted."""
    return (ctx.scope.kind == ReportKind.NETWORK and not ctx.filters.school_id
            and not ctx.filters.coach_id and not ctx.excluded)


def source_for(ctx: ReportContext, question: Question) -> Plan:
    """Which tally or table answers `question` for this report (the module's table)."""
    if question in (Question.HOURS, Question.HOURS_BY_COACH):
        plan = _whole_weeks(ctx)
        if plan.weeks is None:
            return plan
        if question == Question.HOURS_BY_COACH:
            tally = Source.WEEK_TALLY if ctx.filters.kind_id else Source.COACH_WEEK
        else:
            tally = Source.KIND_WEEK if _network_wide(ctx) else Source.WEEK_TALLY
        return Plan(source=tally, weeks=plan.weeks, log_days=plan.log_days)
    if question == Question.REACH:
        return Plan(source=Source.LOG_LINKS if ctx.filters.kind_id else Source.PAIR_REACH)
    if question == Question.TERMS:
        return Plan(source=Source.LOG_LINKS if ctx.filters.kind_id else Source.PAIR_TERM)
    if question == Question.CASELOADS:
        return Plan(source=Source.CASELOAD)
    raise ValueError(f"No source answers {question!r}")


# --- the hours, read as the plan says ---------------------------------------------------------


def _tally_rows(ctx: ReportContext, plan: Plan):
    first_week, last_week = plan.weeks
    return rows_of(ctx, plan.source).filter(week__gte=first_week, week__lt=last_week)


def log_entries(ctx: ReportContext, spans):
    """The log's entries inside the scope and the filters, on these days."""
    return rows_of(ctx, Source.LOG).filter(query.log_days(ctx, spans))


def week_rows(ctx: ReportContext) -> list[KindWeekRow]:
    """Entries and minutes by kind and week over the period (`Question.HOURS`)."""
    plan = source_for(ctx, Question.HOURS)
    rows: list[KindWeekRow] = []
    if plan.weeks:
        rows += map(KindWeekRow._make, _tally_rows(ctx, plan)
                    .values("kind_id", "is_contact", "week")
                    .annotate(n=Sum("interactions"), minutes=Sum("minutes")).order_by()
                    .values_list("kind_id", "is_contact", "week", "n", "minutes"))
    if plan.log_days:
        week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=ctx.zone)
        rows += map(KindWeekRow._make, log_entries(ctx, plan.log_days).annotate(week=week)
                    .values("kind_id", "kind__is_contact", "week")
                    .annotate(n=Count("id"), minutes=Sum("minutes")).order_by()
                    .values_list("kind_id", "kind__is_contact", "week", "n", "minutes"))
    return rows


def coach_rows(ctx: ReportContext) -> list[CoachRow]:
    """Entries and minutes by school and coach over the period (`Question.HOURS_BY_COACH`)."""
    plan = source_for(ctx, Question.HOURS_BY_COACH)
    rows: list[CoachRow] = []
    if plan.weeks:
        rows += map(CoachRow._make, _tally_rows(ctx, plan)
                    .values("school_id", "coach_id", "is_contact")
                    .annotate(n=Sum("interactions"), minutes=Sum("minutes")).order_by()
                    .values_list("school_id", "coach_id", "is_contact", "n", "minutes"))
    if plan.log_days:
        rows += map(CoachRow._make, log_entries(ctx, plan.log_days)
                    .values("school_id", "coach_id", "kind__is_contact")
                    .annotate(n=Count("id"), minutes=Sum("minutes")).order_by()
                    .values_list("school_id", "coach_id", "kind__is_contact", "n", "minutes"))
    return rows


# --- teachers: reach, terms, caseloads ---------------------------------------------------------


def reach_rows(ctx: ReportContext, first: datetime.date, last: datetime.date):
    """Who was reached from `first` to `last` (`Question.REACH`): the source, and its rows
    with a contact in those days (`PairReach` rows, or the log's links), each with a
    coach, a teacher and a school."""
    source = source_for(ctx, Question.REACH).source
    if source == Source.LOG_LINKS:
        return source, rows_of(ctx, source).filter(query.between(ctx, "occurred_at", first, last))
    return source, reached_pairs(rows_of(ctx, source), start=first, end=last, zone=ctx.zone)


def term_depth(ctx: ReportContext, buckets: list[datetime.date], *, min_contacts: int,
               min_weeks: int) -> dict[datetime.date, TermDepthRow]:
    """Teachers contacted in each term's bucket, and those in repeated contact with a coach
    (at least `min_contacts` contacts over at least `min_weeks` weeks), by the bucket's
    first day (`Question.TERMS`). With a kind of support chosen, the log's links of that
    kind are put in their buckets as the pair tallies put every contact."""
    plan = source_for(ctx, Question.TERMS)
    long_enough = datetime.timedelta(weeks=min_weeks)
    if plan.source == Source.PAIR_TERM:
        rows = (rows_of(ctx, plan.source).filter(bucket__in=buckets).values("bucket")
                .annotate(connected=Count("teacher_id", distinct=True),
                          repeated=Count("teacher_id", distinct=True, filter=Q(
                              contacts__gte=min_contacts,
                              last_at__gte=F("first_at") + long_enough)))
                .order_by().values_list("bucket", "connected", "repeated"))
        return {row.bucket: row for row in map(TermDepthRow._make, rows)}
    if not buckets:
        return {}
    starts = term_starts(ctx.scope.network.pk)
    windows = {first: bucket_of(first, starts) for first in buckets}
    low = min(first for first, _after in windows.values())
    high = max(after for _first, after in windows.values())
    links = rows_of(ctx, plan.source).filter(occurred_at__gte=midnight(low, ctx.zone))
    if high != datetime.date.max:
        links = links.filter(occurred_at__lt=midnight(high, ctx.zone))
    pairs: dict[tuple, list] = {}  # (bucket, coach, teacher, school) → [contacts, first, last]
    for coach, teacher, school, moment in links.values_list(
            "coach_id", "teacher_id", "interaction__school_id", "occurred_at").iterator():
        day = local_day(moment, ctx.zone)
        bucket = bucket_of(day, starts)[0] if day else None
        if bucket not in windows:
            continue
        pair = pairs.setdefault((bucket, coach, teacher, school), [0, moment, moment])
        pair[0] += 1
        pair[1], pair[2] = min(pair[1], moment), max(pair[2], moment)
    connected: dict[datetime.date, set] = defaultdict(set)
    repeated: dict[datetime.date, set] = defaultdict(set)
    for (bucket, _coach, teacher, _school), (contacts, first, last) in pairs.items():
        connected[bucket].add(teacher)
        if contacts >= min_contacts and last >= first + long_enough:
            repeated[bucket].add(teacher)
    return {bucket: TermDepthRow(bucket, len(connected[bucket]), len(repeated[bucket]))
            for bucket in connected}


def caseload_rows(ctx: ReportContext):
    """The caseloads of the school years in the period (`Question.CASELOADS`)."""
    return rows_of(ctx, source_for(ctx, Question.CASELOADS).source)
