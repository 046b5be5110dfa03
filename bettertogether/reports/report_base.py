"""What every part of a report shares: its filters and scope, the querysets that keep a
report inside them, the hours read from the tallies (and from the log for part weeks), and
the shape of a table and its chart. `engine.py` says what a report is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.utils import formats

from bettertogether.coaching.models import (
    CoachWeek,
    Interaction,
    InteractionTeacher,
    KindWeek,
    WeekTally,
)
from bettertogether.coaching.tallies.buckets import monday_of
from bettertogether.directory import disclosure
from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import (
    CaseloadAssignment,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    TeacherProfile,
)
from bettertogether.goals.models import (
    GoalStatus,
)

from .models import ReportKind

OWN, LEADER = "own", "leader"
MET_STATUSES = (GoalStatus.MET, GoalStatus.PARTLY_MET)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    school_id: int | None = None
    grade_id: int | None = None
    subject_id: int | None = None
    coach_id: int | None = None
    kind_id: int | None = None

    @property
    def teacher_filtered(self) -> bool:
        return bool(self.grade_id or self.subject_id)

    def as_data(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                **{name: getattr(self, name) for name in
                   ("school_id", "grade_id", "subject_id", "coach_id", "kind_id")
                   if getattr(self, name)}}

    @classmethod
    def from_data(cls, data: dict) -> Filters:
        return cls(start=datetime.date.fromisoformat(data["start"]),
                   end=datetime.date.fromisoformat(data["end"]),
                   **{name: data.get(name) for name in
                      ("school_id", "grade_id", "subject_id", "coach_id", "kind_id")})

@dataclass(frozen=True)
class Scope:
    """What a report is about and for whom: a coach's own work, a school, or a network."""

    kind: str
    network: Organisation
    school: Organisation | None = None
    coach: Person | None = None
    audience: str = LEADER
    recounting: bool = False  # the network's tallies are being recounted (`coaching.tallies`)

    @property
    def suppresses(self) -> bool:
        """Read by a leader, an admin or a snapshot's reader: every figure passes the
        disclosure gate (`directory.disclosure`)."""
        return self.audience == LEADER

@dataclass
class _Context:
    scope: Scope
    filters: Filters
    zone: object
    since: datetime.datetime
    until: datetime.datetime
    terms: list = field(default_factory=list)
    teachers: object = None  # a subquery of the teachers the grade/subject filters leave
    # For a leader's report across schools: each school's teachers (under the grade or
    # subject filter), and the schools too small to describe, left out of every figure.
    sizes: dict = field(default_factory=dict)
    excluded: frozenset = frozenset()
    coach_teachers: list | None = None  # (school, teacher) of a coach's caseload, once read


# --- small helpers ---------------------------------------------------------------------------

def hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)

def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None

def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")

def _cell_share(part: int, whole: int) -> str:
    found = share(part, whole)
    return "—" if found is None else f"{found}%"

def _table(table_id: str, title: str, columns: list[str], rows: list[list], *,
           description: str = "", chart: dict | None = None, note: str = "") -> dict:
    return {"id": table_id, "title": title, "description": description, "columns": columns,
            "rows": rows, "chart": chart, "note": note}

def _chart(kind: str, label: int, values: list[int], *, unit: str = "") -> dict:
    """A chart of the table's own columns: `label` names the bars, `values` the series."""
    return {"type": kind, "label": label, "values": values, "unit": unit}


# --- the scope as querysets ------------------------------------------------------------------

def _school_coach_ids(school_id: int):
    return Membership.objects.filter(organisation_id=school_id,
                                     role=Role.COACH).values("person_id")

def _log_filter(ctx: _Context, *, school: str = "school_id", coach: str = "coach_id",
                network: str = "network_id", kind: str | None = "kind_id",
                own_time_kind: str | None = "is_contact") -> Q:
    """Rows of the log (or of a tally) inside the scope and the filters.

    A school's report counts the contacts in the school and the own time (planning,
    meetings) of the coaches who serve it, as the school summary does.
    """
    scope, filters = ctx.scope, ctx.filters
    found = Q(**{network: scope.network.pk})
    if scope.kind == ReportKind.COACH:
        found &= Q(**{coach: scope.coach.pk})
    school_id = scope.school.pk if scope.kind == ReportKind.SCHOOL else filters.school_id
    if school_id:
        in_school = Q(**{school: school_id})
        if own_time_kind:
            in_school |= Q(**{f"{school}__isnull": True, own_time_kind: False,
                              f"{coach}__in": _school_coach_ids(school_id)})
        found &= in_school
    if filters.coach_id and scope.kind != ReportKind.COACH:
        found &= Q(**{coach: filters.coach_id})
    if filters.kind_id and kind:
        found &= Q(**{kind: filters.kind_id})
    return found & _shown_schools(ctx, school)

def _shown_schools(ctx: _Context, school: str = "school_id") -> Q:
    """Leaves out the schools too small to describe (`ctx.excluded`): a leader's total
    across schools counts shown schools only, so no total minus the shown schools gives a
    small one back. Rows with no school (a coach's own time) stay."""
    if not ctx.excluded:
        return Q()
    return ~Q(**{f"{school}__in": sorted(ctx.excluded)})

def _pair_filter(ctx: _Context, prefix: str = "") -> Q:
    """Pair tallies (or caseloads) inside the scope and the filters."""
    scope, filters = ctx.scope, ctx.filters
    # Caseloads belong to the network through their school year (`_caseloads`).
    found = Q(network_id=scope.network.pk) if prefix == "" else Q()
    if scope.kind == ReportKind.COACH:
        found &= Q(coach_id=scope.coach.pk)
    school_id = scope.school.pk if scope.kind == ReportKind.SCHOOL else filters.school_id
    if school_id:
        found &= Q(school_id=school_id)
    if filters.coach_id and scope.kind != ReportKind.COACH:
        found &= Q(coach_id=filters.coach_id)
    if ctx.teachers is not None:
        found &= Q(teacher_id__in=ctx.teachers)
    return found & _shown_schools(ctx)

def _teacher_population(ctx: _Context):
    """The teachers a grade or subject filter leaves (None: no such filter)."""
    filters = ctx.filters
    if not filters.teacher_filtered:
        return None
    profiles = TeacherProfile.objects.all()
    if filters.grade_id:
        profiles = profiles.filter(grades__id=filters.grade_id)
    if filters.subject_id:
        profiles = profiles.filter(subjects__id=filters.subject_id)
    return profiles.values("person_id")


# --- time: hours by kind, the split, the weeks, the schools, the coaches ---------------------

def _edge_days(ctx: _Context) -> tuple[datetime.date, datetime.date, list[tuple]]:
    """Whole weeks come from the tallies; the days of a part week at either end of the
    range come from the log (each at most six days)."""
    first_week = monday_of(ctx.filters.start)
    if first_week < ctx.filters.start:
        first_week += datetime.timedelta(days=7)
    last_week = monday_of(ctx.filters.end + DAY)  # the week after the last whole one
    edges = []
    if first_week > last_week:  # the range sits inside one week
        return first_week, first_week, [(ctx.filters.start, ctx.filters.end + DAY)]
    if ctx.filters.start < first_week:
        edges.append((ctx.filters.start, first_week))
    if last_week <= ctx.filters.end:
        edges.append((last_week, ctx.filters.end + DAY))
    return first_week, last_week, edges

def _network_wide(ctx: _Context) -> bool:
    """A network report with no school or coach filter reads the network's own tallies."""
    return (ctx.scope.kind == ReportKind.NETWORK and not ctx.filters.school_id
            and not ctx.filters.coach_id and not ctx.excluded)

def _week_rows(ctx: _Context) -> list[tuple]:
    """(kind, is_contact, week, entries, minutes) of the range: whole weeks from the
    tallies, part weeks at either end (and everything, under a grade or subject filter)
    from the log."""
    first_week, last_week, edges = _edge_days(ctx)
    rows: list[tuple] = []
    if ctx.teachers is not None:
        first_week = last_week
        edges = [(ctx.filters.start, ctx.filters.end + DAY)]
    if first_week < last_week:
        if _network_wide(ctx):
            tallies = KindWeek.objects.filter(network_id=ctx.scope.network.pk)
            if ctx.filters.kind_id:
                tallies = tallies.filter(kind_id=ctx.filters.kind_id)
        else:
            tallies = WeekTally.objects.filter(_log_filter(ctx))
        rows += list(tallies.filter(week__gte=first_week, week__lt=last_week)
                     .values("kind_id", "is_contact", "week")
                     .annotate(n=Sum("interactions"), minutes=Sum("minutes")).order_by()
                     .values_list("kind_id", "is_contact", "week", "n", "minutes"))
    if edges:
        week = TruncWeek("occurred_at", output_field=DateField(), tzinfo=ctx.zone)
        rows += list(_direct_entries(ctx, edges).annotate(week=week)
                     .values("kind_id", "kind__is_contact", "week")
                     .annotate(n=Count("id"), minutes=Sum("minutes")).order_by()
                     .values_list("kind_id", "kind__is_contact", "week", "n", "minutes"))
    return rows

def _people_rows(ctx: _Context) -> list[tuple]:
    """(school, coach, is_contact, entries, minutes) of the range, for the coaches' table."""
    first_week, last_week, edges = _edge_days(ctx)
    rows: list[tuple] = []
    if ctx.teachers is not None:
        first_week = last_week
        edges = [(ctx.filters.start, ctx.filters.end + DAY)]
    if first_week < last_week:
        model = WeekTally if ctx.filters.kind_id else CoachWeek
        tallies = model.objects.filter(_log_filter(
            ctx, kind="kind_id" if ctx.filters.kind_id else None),
            week__gte=first_week, week__lt=last_week)
        rows += list(tallies.values("school_id", "coach_id", "is_contact")
                     .annotate(n=Sum("interactions"), minutes=Sum("minutes")).order_by()
                     .values_list("school_id", "coach_id", "is_contact", "n", "minutes"))
    if edges:
        rows += list(_direct_entries(ctx, edges)
                     .values("school_id", "coach_id", "kind__is_contact")
                     .annotate(n=Count("id"), minutes=Sum("minutes")).order_by()
                     .values_list("school_id", "coach_id", "kind__is_contact", "n", "minutes"))
    return rows

def _direct_entries(ctx: _Context, spans):
    within = Q()
    for first, after in spans:
        within |= Q(occurred_at__gte=midnight(first, ctx.zone),
                    occurred_at__lt=midnight(after, ctx.zone))
    entries = Interaction.objects.filter(within, _log_filter(ctx, own_time_kind="kind__is_contact"))
    if ctx.teachers is not None:
        entries = entries.filter(Exists(InteractionTeacher.objects.filter(
            interaction_id=OuterRef("pk"), teacher_id__in=ctx.teachers)))
    return entries


# --- teachers: caseloads, reach, coverage ----------------------------------------------------

def _years_in_range(ctx: _Context):
    return SchoolYear.objects.filter(network_id=ctx.scope.network.pk,
                                     starts_on__lte=ctx.filters.end,
                                     ends_on__gte=ctx.filters.start)

def _caseloads(ctx: _Context):
    found = CaseloadAssignment.objects.filter(_pair_filter(ctx, prefix="caseload"),
                                              school_year__in=_years_in_range(ctx))
    return found

def _link_filter(ctx: _Context) -> Q:
    """The log's links inside the scope and the filters (for a kind-filtered reach)."""
    scope, filters = ctx.scope, ctx.filters
    found = Q(interaction__network_id=scope.network.pk)
    if scope.kind == ReportKind.COACH:
        found &= Q(coach_id=scope.coach.pk)
    school_id = scope.school.pk if scope.kind == ReportKind.SCHOOL else filters.school_id
    if school_id:
        found &= Q(interaction__school_id=school_id)
    if filters.coach_id and scope.kind != ReportKind.COACH:
        found &= Q(coach_id=filters.coach_id)
    if ctx.teachers is not None:
        found &= Q(teacher_id__in=ctx.teachers)
    return found & _shown_schools(ctx, "interaction__school_id")

def _goal_filter(ctx: _Context, prefix: str) -> Q:
    scope, filters = ctx.scope, ctx.filters
    found = Q(**{f"{prefix}network_id": scope.network.pk})
    if scope.kind == ReportKind.COACH:
        found &= Q(**{f"{prefix}coach_id": scope.coach.pk})
    school_id = scope.school.pk if scope.kind == ReportKind.SCHOOL else filters.school_id
    if school_id:
        found &= Q(**{f"{prefix}school_id": school_id})
    if filters.coach_id and scope.kind != ReportKind.COACH:
        found &= Q(**{f"{prefix}coach_id": filters.coach_id})
    if ctx.teachers is not None:
        found &= Q(**{f"{prefix}teachers__in": ctx.teachers}) if prefix == "" else Q(
            person_id__in=ctx.teachers)
    return found & _shown_schools(ctx, f"{prefix}school_id")

def _goal_filter_without_teachers(ctx: _Context, prefix: str) -> Q:
    teachers, ctx.teachers = ctx.teachers, None
    try:
        return _goal_filter(ctx, prefix)
    finally:
        ctx.teachers = teachers

def _min_group(ctx: _Context) -> int:
    return disclosure.student_floor(ctx.scope.school or ctx.scope.network)
