"""The impact reports: one engine for the coach's, the school's and the network's report.

A report is a plain, JSON-ready dictionary — a heading, headline figures, and sections that
are each a **table** (columns and rows) with an optional chart drawn from that same table —
so the page, the PDF, the CSV and Excel exports and a published snapshot all show the same
figures, and every chart has its data table by construction.

What it reads: the tallies (`models.py`), the caseloads, and counts of requests, sessions,
goals, cycles and stored evidence growth. It never selects a note, a reflection, a goal's
words, a measure's name or a file, so no content can reach a report.

Who reads what (`Scope`):
- a coach reads their own work, in full (`audience=OWN`);
- a school's leaders and the network's admins read a school; the admins read the network;
  a coach's published snapshot is built for its leader. For these readers
  (`audience=LEADER`) any figure about fewer than `MIN_TEACHERS` teachers is suppressed,
  and student evidence follows the school's minimum group and `MIN_CYCLES_FOR_EVIDENCE`.

A report runs a fixed number of queries, whatever the size of the log (the tests hold it
to that with one and with many rows).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bettertogether.coaching.models import Interaction, InteractionTeacher, RelationshipRules
from bettertogether.directory.models import (
    CaseloadAssignment,
    GradeLevel,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    Subject,
    TeacherProfile,
    Term,
)
from bettertogether.directory.selectors import active_memberships
from bettertogether.goals.models import (
    Cycle,
    CycleStatus,
    EvidenceMeasure,
    EvidencePoint,
    Goal,
    GoalStatus,
)
from bettertogether.goals.summaries import MIN_CYCLES_FOR_EVIDENCE
from bettertogether.menu.models import RequestStatus, SupportRequest

from .models import CoachWeek, KindWeek, PairReach, PairTerm, ReportKind, WeekTally
from .reach import fetch_rows, reached_rows
from .tallies import midnight, monday_of, zone_of

MIN_TEACHERS = 5  # the fewest teachers a figure for leaders may describe
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

    @property
    def suppresses(self) -> bool:
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
    return found


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
    return found


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
            and not ctx.filters.coach_id)


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
    return found


def _reached_count(ctx: _Context, start: datetime.date, end: datetime.date) -> int:
    """How many teachers had a contact in [start, end]: one query, one number."""
    if ctx.filters.kind_id:
        return (InteractionTeacher.objects.filter(
            _link_filter(ctx), interaction__kind_id=ctx.filters.kind_id,
            occurred_at__gte=midnight(start, ctx.zone),
            occurred_at__lt=midnight(end + DAY, ctx.zone))
            .values("teacher_id").distinct().count())
    return len({teacher for _coach, teacher, _school in reached_rows(
        PairReach.objects.filter(_pair_filter(ctx)), start=start, end=end, zone=ctx.zone)})


class _Reach:
    """Who was reached in the period and who was in a caseload of its school years, as
    (coach, teacher, school) rows fetched once (two queries), counted here for every table:
    a teacher counts once per school, per coach and in all, however many rows they have."""

    def __init__(self, ctx: _Context) -> None:
        self.network_id = ctx.scope.network.pk
        if ctx.filters.kind_id:
            # The bitmaps hold no kinds: read the pairs from the log itself.
            self.reached = fetch_rows(InteractionTeacher.objects.filter(
                _link_filter(ctx), interaction__kind_id=ctx.filters.kind_id,
                occurred_at__gte=ctx.since, occurred_at__lt=ctx.until)
                .values_list("coach_id", "teacher_id", "interaction__school_id")
                .order_by().distinct())
        else:
            self.reached = reached_rows(PairReach.objects.filter(_pair_filter(ctx)),
                                        start=ctx.filters.start, end=ctx.filters.end,
                                        zone=ctx.zone)
        self.caseload = fetch_rows(_caseloads(ctx)
                                   .values_list("coach_id", "teacher_id", "school_id")
                                   .order_by().distinct())
        self.teachers = {row[1] for row in self.reached}
        self.caseload_teachers = {row[1] for row in self.caseload}

    @staticmethod
    def _by(rows, position: int) -> dict[int, int]:
        pairs = set(zip(map(itemgetter(position), rows), map(itemgetter(1), rows),
                        strict=True))
        return Counter(map(itemgetter(0), pairs))

    def reached_by_school(self) -> dict[int, int]:
        return self._by(self.reached, 2)

    def reached_by_coach(self) -> dict[int, int]:
        return self._by(self.reached, 0)

    def caseload_by_school(self) -> dict[int, int]:
        return self._by(self.caseload, 2)

    def caseload_by_coach(self) -> dict[int, int]:
        return self._by(self.caseload, 0)

    def totals(self) -> dict[str, int]:
        return {"reached": len(self.teachers), "caseload": len(self.caseload_teachers),
                "reached_caseload": len(self.teachers & self.caseload_teachers)}

    def by_grade(self) -> tuple[dict[int, int], dict[int, int]]:
        """Per grade: caseload teachers, and teachers reached (one query)."""
        if not self.teachers and not self.caseload_teachers:
            return Counter(), Counter()
        network_teachers = Membership.objects.filter(network_id=self.network_id,
                                                     role=Role.TEACHER).values("person_id")
        grades = fetch_rows(TeacherProfile.grades.through.objects
                       .filter(teacherprofile__person_id__in=network_teachers)
                       .values_list("teacherprofile__person_id", "gradelevel_id"))
        caseload, reached = Counter(), Counter()
        for teacher, grade in grades:
            if teacher in self.caseload_teachers:
                caseload[grade] += 1
            if teacher in self.teachers:
                reached[grade] += 1
        return caseload, reached


def _reach(ctx: _Context) -> _Reach:
    return _Reach(ctx)


# --- building ------------------------------------------------------------------------------


def build_report(*, scope: Scope, filters: Filters) -> dict:
    zone = zone_of(scope.network)
    ctx = _Context(scope=scope, filters=filters, zone=zone,
                   since=midnight(filters.start, zone), until=midnight(filters.end + DAY, zone))
    ctx.terms = list(Term.objects.filter(school_year__network_id=scope.network.pk,
                                         starts_on__lte=filters.end,
                                         ends_on__gte=filters.start)
                     .order_by("starts_on").values_list("pk", "name", "starts_on", "ends_on",
                                                        "school_year__name"))
    ctx.teachers = _teacher_population(ctx)
    names = _names(ctx)
    report = {
        "kind": str(scope.kind), "audience": scope.audience, "min_teachers": MIN_TEACHERS,
        "title": _title(scope), "period": {"start": filters.start.isoformat(),
                                           "end": filters.end.isoformat(),
                                           "label": f"{_day(filters.start)} – {_day(filters.end)}"},
        "filters": _filter_labels(ctx, names), "suppressed": "", "headline": [],
        "sections": [],
    }
    narrowed = (ctx.teachers is not None or scope.kind == ReportKind.SCHOOL
                or filters.school_id)
    if scope.suppresses and narrowed:
        # A small school, or a grade or subject of a few teachers: every figure of the
        # report would describe them one by one.
        population = _population_size(ctx)
        if population < MIN_TEACHERS:
            report["suppressed"] = (_(
                "Fewer than %(n)s teachers match these filters, so no figure is shown: it "
                "could describe one person. Widen the filters.") if ctx.teachers is not None
                else _("This school has fewer than %(n)s teachers, so no figure is shown: "
                       "it could describe one person.")) % {"n": MIN_TEACHERS}
            return report
    week_rows = _week_rows(ctx)
    reach = _reach(ctx)
    goals = _goal_counts(ctx)
    report["sections"] += _time_sections(ctx, names, week_rows)
    report["sections"].append(_reach_section(ctx, names, reach))
    report["sections"].append(_grade_section(ctx, names, reach))
    if scope.kind != ReportKind.NETWORK:
        report["sections"].append(_term_section(ctx, week_rows))
    report["sections"].append(_funnel_section(ctx))
    report["sections"].append(_goal_section(goals))
    report["sections"].append(_growth_section(ctx, names))
    if scope.kind == ReportKind.NETWORK:
        report["sections"].append(_coach_section(ctx, names, reach))
    contact_minutes = sum(row[4] for row in week_rows if row[1])
    own_minutes = sum(row[4] for row in week_rows if not row[1])
    contacts = sum(row[3] for row in week_rows if row[1])
    totals = reach.totals()
    reached_total, caseload_total = totals["reached"], totals["caseload"]
    reached_caseload = totals["reached_caseload"]
    report["headline"] = [
        {"label": _("Hours logged"), "value": hours(contact_minutes + own_minutes),
         "detail": _("%(with)s with teachers, %(own)s own time") % {
             "with": hours(contact_minutes), "own": hours(own_minutes)}},
        {"label": _("Contacts with teachers"), "value": contacts,
         "detail": _("log entries with at least one teacher")},
        {"label": _("Teachers reached"), "value": reached_total,
         "detail": _("%(reached)s of %(all)s caseload teachers (%(share)s)") % {
             "reached": reached_caseload, "all": caseload_total,
             "share": _cell_share(reached_caseload, caseload_total)}},
        {"label": _("Coaching cycles completed"), "value": goals["cycles_completed"],
         "detail": _("%(started)s started in the period") % {
             "started": goals["cycles_started"]}},
        {"label": _("Goals met"), "value": goals["goals_met"],
         "detail": _("met or partly met, of %(closed)s goals closed") % {
             "closed": goals["goals_closed"]}},
    ]
    if scope.kind != ReportKind.NETWORK:  # the network compares its schools instead
        report["sections"].insert(1, _comparison_section(ctx))
    report["sections"] = [section for section in report["sections"] if section]
    return report


def _title(scope: Scope) -> str:
    if scope.kind == ReportKind.COACH:
        return _("Coaching impact: %(name)s") % {"name": scope.coach.full_name}
    if scope.kind == ReportKind.SCHOOL:
        return _("Coaching impact: %(name)s") % {"name": scope.school.name}
    return _("Coaching impact across %(name)s") % {"name": scope.network.name}


def _names(ctx: _Context) -> dict:
    """Names of the schools, coaches, kinds, grades and subjects a report may print: two
    queries (kinds, schools) plus one for coaches in a network report."""
    from bettertogether.coaching.models import SupportKind

    network_id = ctx.scope.network.pk
    kinds = {pk: (name, is_contact) for pk, name, is_contact in SupportKind.objects.filter(
        Q(network__isnull=True) | Q(network_id=network_id)).values_list("pk", "name",
                                                                          "is_contact")}
    schools, min_groups = {}, {}
    for pk, name, min_group in (Organisation.objects.filter(network_id=network_id,
                                                            kind=Organisation.Kind.SCHOOL)
                                .values_list("pk", "name", "min_student_group")):
        schools[pk], min_groups[pk] = name, min_group
    found = {"kinds": kinds, "schools": schools, "min_groups": min_groups, "coaches": {},
             "grades": {}, "subjects": {}}
    if ctx.scope.kind == ReportKind.NETWORK or ctx.filters.coach_id:
        found["coaches"] = dict(Person.objects.filter(
            memberships__network_id=network_id, memberships__role=Role.COACH)
            .distinct().values_list("pk", "full_name"))
    found["grades"] = dict(GradeLevel.objects.filter(network_id=network_id)
                           .values_list("pk", "name"))
    if ctx.filters.subject_id:
        found["subjects"] = dict(Subject.objects.filter(network_id=network_id,
                                                        pk=ctx.filters.subject_id)
                                 .values_list("pk", "name"))
    return found


def _filter_labels(ctx: _Context, names: dict) -> list[dict]:
    filters, found = ctx.filters, []
    for label, value in ((_("School"), names["schools"].get(filters.school_id)),
                         (_("Grade"), names["grades"].get(filters.grade_id)),
                         (_("Subject"), names["subjects"].get(filters.subject_id)),
                         (_("Coach"), names["coaches"].get(filters.coach_id)),
                         (_("Kind of support"),
                          names["kinds"].get(filters.kind_id, (None,))[0])):
        if value:
            found.append({"label": label, "value": value})
    return found


def _population_size(ctx: _Context) -> int:
    """The teachers a report describes: of its school (or network, or the coach's schools),
    of the grade or subject chosen. A coach's caseload is not narrowed to: caseloads are
    no secret to a school's leaders, and a coach's figures describe the coach's work."""
    teachers = active_memberships().filter(role=Role.TEACHER)
    if ctx.teachers is not None:
        teachers = teachers.filter(person_id__in=ctx.teachers)
    if ctx.scope.kind == ReportKind.SCHOOL:
        teachers = teachers.filter(organisation_id=ctx.scope.school.pk)
    elif ctx.filters.school_id:
        teachers = teachers.filter(organisation_id=ctx.filters.school_id)
    else:
        teachers = teachers.filter(network_id=ctx.scope.network.pk)
    return teachers.values("person_id").distinct().count()


def _time_sections(ctx: _Context, names: dict, week_rows) -> list[dict]:
    by_kind: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    weeks: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    contact = own = 0
    for kind, is_contact, week, n, minutes in week_rows:
        by_kind[kind][0] += n
        by_kind[kind][1] += minutes
        row = weeks[week]
        row[0 if is_contact else 1] += minutes
        row[2] += n if is_contact else 0
        if is_contact:
            contact += minutes
        else:
            own += minutes
    total = contact + own
    unknown = ("?", True)
    kind_rows = sorted(
        ([names["kinds"].get(kind, unknown)[0],
          _("With teachers") if names["kinds"].get(kind, unknown)[1] else _("Own time"),
          n, hours(minutes), _cell_share(minutes, total)]
         for kind, (n, minutes) in by_kind.items()),
        key=lambda row: (row[1] != _("With teachers"), -row[3], row[0].casefold()))
    kinds_table = _table(
        "time_by_kind", _("Hours by kind of support"),
        [_("Kind of support"), _("Time"), _("Entries"), _("Hours"), _("Share of hours")],
        kind_rows, chart=_chart("bar", 0, [3], unit=_("hours")),
        description=_("Every entry of the coaches' log in the period, summed by its kind."))
    split = _table(
        "time_split", _("Time with teachers and the coach's own time"),
        [_("Time"), _("Hours"), _("Share")],
        [[_("With teachers"), hours(contact), _cell_share(contact, total)],
         [_("Own time"), hours(own),
          _cell_share(own, total)]],
        chart=_chart("bar", 0, [1], unit=_("hours")),
        description=_("Own time is planning, meetings, duties and the coach's own "
                      "learning: logged without a teacher."))
    weekly = _table(
        "weekly", _("Week by week"),
        [_("Week of"), _("Contacts"), _("Hours with teachers"), _("Own hours")],
        [[_day(max(week, ctx.filters.start)), row[2], hours(row[0]), hours(row[1])]
         for week, row in sorted(weeks.items())],
        chart=_chart("line", 0, [2, 3], unit=_("hours")),
        description=_("Weeks start on Monday; the first and last may be part weeks."))
    return [kinds_table, split, weekly]


def _reach_section(ctx: _Context, names: dict, reach: _Reach) -> dict:
    scope = ctx.scope
    caseload, reached = reach.caseload_by_school(), reach.reached_by_school()
    if scope.kind == ReportKind.SCHOOL:
        school_ids = [scope.school.pk]
    elif scope.kind == ReportKind.NETWORK:
        school_ids = sorted(names["schools"], key=lambda pk: names["schools"][pk].casefold())
        if ctx.filters.school_id:
            school_ids = [ctx.filters.school_id]
    else:
        school_ids = sorted(set(caseload) | {pk for pk in reached if pk},
                            key=lambda pk: names["schools"].get(pk, "").casefold())
    if scope.kind == ReportKind.NETWORK:
        staff = active_memberships().filter(role=Role.TEACHER, network_id=scope.network.pk)
        if ctx.teachers is not None:  # the grade's or subject's teachers of each school
            staff = staff.filter(person_id__in=ctx.teachers)
        staff = dict(staff.values("organisation_id").annotate(n=Count("person_id", distinct=True))
                     .order_by().values_list("organisation_id", "n"))
        rows, suppressed = [], 0
        for pk in school_ids:
            in_school, n = staff.get(pk, 0), reached.get(pk, 0)
            if (scope.suppresses and in_school < MIN_TEACHERS
                    and (in_school or n or caseload.get(pk))):
                suppressed += 1
                rows.append([names["schools"].get(pk, "?"), None, None, None, None, None])
                continue
            rows.append([names["schools"].get(pk, "?"), in_school, caseload.get(pk, 0), n,
                         max(in_school - n, 0), _cell_share(n, in_school)])
        return _table(
            "schools", _("Schools side by side: reach and coverage"),
            [_("School"), _("Teachers"), _("In a caseload"), _("Reached"),
             _("Never reached"), _("Share reached")], rows,
            chart=_chart("bar", 0, [3], unit=_("teachers")),
            description=_("Reached: at least one contact in the period. Never reached: "
                          "teachers of the school with no contact in it."),
            note=_suppressed_note(suppressed))
    rows, suppressed = [], 0
    for pk in school_ids:
        name, total, n = (names["schools"].get(pk, _("Several schools")), caseload.get(pk, 0),
                          reached.get(pk, 0))
        if scope.suppresses and total < MIN_TEACHERS and (total or n):
            suppressed += 1
            rows.append([name, None, None, None])
            continue
        rows.append([name, total, n, _cell_share(n, total)])
    return _table("reach", _("Teachers reached"),
                  [_("School"), _("Caseload teachers"), _("Teachers reached"),
                   _("Share of caseload")], rows,
                  chart=_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("Reached: at least one contact in the period, with any "
                                "teacher of the school (in a caseload or not)."),
                  note=_suppressed_note(suppressed))


def _suppressed_note(n: int) -> str:
    if not n:
        return ""
    return _("%(n)s row(s) describe fewer than %(min)s teachers and are hidden.") % {
        "n": n, "min": MIN_TEACHERS}


def _grade_section(ctx: _Context, names: dict, reach: _Reach) -> dict | None:
    if not names["grades"]:
        return None
    in_caseload, reached = reach.by_grade()
    rows, suppressed = [], 0
    for pk, name in names["grades"].items():
        total, n = in_caseload.get(pk, 0), reached.get(pk, 0)
        if not total and not n:
            continue
        if ctx.scope.suppresses and total < MIN_TEACHERS:
            suppressed += 1
            rows.append([name, None, None, None])
            continue
        rows.append([name, total, n, _cell_share(n, total)])
    return _table("grades", _("Teachers reached by grade"),
                  [_("Grade"), _("Caseload teachers"), _("Reached"), _("Share")], rows,
                  chart=_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("A teacher of several grades counts in each."),
                  note=_suppressed_note(suppressed))


def _term_bounds(ctx: _Context):
    for pk, name, starts, ends, year in ctx.terms:
        yield pk, f"{name} {year}", max(starts, ctx.filters.start), min(ends, ctx.filters.end)


def _term_section(ctx: _Context, week_rows) -> dict | None:
    if not ctx.terms:
        return None
    rules = RelationshipRules.objects.filter(network_id=ctx.scope.network.pk).first()
    min_contacts = rules.trusting_min_contacts if rules else 3
    min_weeks = rules.trusting_min_weeks if rules else 3
    buckets = [starts for _pk, _name, starts, _ends, _year in ctx.terms]
    pairs = (PairTerm.objects.filter(_pair_filter(ctx), bucket__in=buckets)
             .values("bucket")
             .annotate(connected=Count("teacher_id", distinct=True),
                       repeated=Count("teacher_id", distinct=True, filter=Q(
                           contacts__gte=min_contacts,
                           last_at__gte=F("first_at") + datetime.timedelta(weeks=min_weeks))))
             .order_by().values_list("bucket", "connected", "repeated"))
    by_bucket = {bucket: (connected, repeated) for bucket, connected, repeated in pairs}
    goal_teachers = Goal.teachers.through.objects.filter(_goal_filter(ctx, "goal__"))
    cycle_teachers = Cycle.teachers.through.objects.filter(
        _goal_filter(ctx, "cycle__"),
        Exists(EvidencePoint.objects.filter(measure__cycle_id=OuterRef("cycle_id"))))
    live_goals, evidence = {}, {}
    for pk, _label, starts, ends in _term_bounds(ctx):
        live_goals[f"g{pk}"] = Count("person_id", distinct=True, filter=Q(
            goal__created_at__lt=midnight(ends + DAY, ctx.zone)) & (
            Q(goal__closed_at__isnull=True) | Q(goal__closed_at__gte=midnight(starts, ctx.zone)))
            & ~Q(goal__status=GoalStatus.DROPPED))
        evidence[f"c{pk}"] = Count("person_id", distinct=True, filter=Q(
            cycle__started_on__lte=ends) & (
            Q(cycle__closed_at__isnull=True)
            | Q(cycle__closed_at__gte=midnight(starts, ctx.zone))))
    partnering = goal_teachers.aggregate(**live_goals) if live_goals else {}
    data_driven = cycle_teachers.aggregate(**evidence) if evidence else {}
    weeks = defaultdict(lambda: [0, 0])
    for _kind, is_contact, week, n, minutes in week_rows:
        weeks[week][0] += minutes
        weeks[week][1] += n if is_contact else 0
    rows = []
    for pk, label, starts, ends in _term_bounds(ctx):
        connected, repeated = by_bucket.get(
            next(b for p, _n, b, _e, _y in ctx.terms if p == pk), (0, 0))
        minutes = sum(m for week, (m, _n) in weeks.items() if starts <= week + DAY * 6
                      and week <= ends)
        rows.append([label, hours(minutes), connected, repeated,
                     partnering.get(f"g{pk}", 0), data_driven.get(f"c{pk}", 0)])
    return _table(
        "terms", _("Term by term: how deep the coaching went"),
        [_("Term"), _("Hours"), _("Teachers contacted"),
         _("Repeated contact (trusting)"), _("Goal or cycle under way (partnering)"),
         _("Cycle with student evidence (data-driven)")], rows,
        chart=_chart("bar", 0, [2, 3, 4, 5], unit=_("teachers")),
        description=_("Each column counts teachers in that term; a teacher can count in "
                      "several. Repeated contact: at least %(n)s contacts over at least "
                      "%(w)s weeks in the term.") % {"n": min_contacts, "w": min_weeks})


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
    return found


def _goal_counts(ctx: _Context) -> dict:
    since, until = ctx.since, ctx.until
    distinct = ctx.teachers is not None  # the teachers' join can repeat a goal
    goals = Goal.objects.filter(_goal_filter(ctx, "")).aggregate(
        goals_set=Count("id", distinct=distinct,
                        filter=Q(created_at__gte=since, created_at__lt=until)),
        goals_closed=Count("id", distinct=distinct, filter=Q(
            closed_at__gte=since, closed_at__lt=until) & ~Q(status=GoalStatus.DROPPED)),
        goals_met=Count("id", distinct=distinct, filter=Q(
            closed_at__gte=since, closed_at__lt=until, status__in=MET_STATUSES)))
    cycles = Cycle.objects.filter(_goal_filter(ctx, "")).aggregate(
        cycles_started=Count("id", distinct=distinct, filter=Q(
            started_on__gte=ctx.filters.start, started_on__lte=ctx.filters.end)),
        cycles_completed=Count("id", distinct=distinct, filter=Q(
            closed_at__gte=since, closed_at__lt=until, status=CycleStatus.COMPLETED)),
        cycles_active=Count("id", distinct=distinct, filter=Q(
            status=CycleStatus.ACTIVE, started_on__lte=ctx.filters.end)))
    return {**goals, **cycles}


def _goal_section(goals: dict) -> dict:
    rows = [[_("Goals set"), goals["goals_set"]],
            [_("Goals closed"), goals["goals_closed"]],
            [_("Goals met or partly met"), goals["goals_met"]],
            [_("Cycles started"), goals["cycles_started"]],
            [_("Cycles completed"), goals["cycles_completed"]],
            [_("Cycles under way now"), goals["cycles_active"]]]
    return _table("goals", _("Goals and coaching cycles"), [_("Measure"), _("Count")], rows,
                  chart=_chart("bar", 0, [1]),
                  description=_("Set and started: in the period. Closed, met and completed: "
                                "closed in the period."))


def _funnel_section(ctx: _Context) -> dict:
    scope, filters = ctx.scope, ctx.filters
    requests = SupportRequest.objects.filter(network_id=scope.network.pk,
                                             created_at__gte=ctx.since,
                                             created_at__lt=ctx.until)
    if scope.kind == ReportKind.COACH:
        requests = requests.filter(coach_id=scope.coach.pk)
    school_id = scope.school.pk if scope.kind == ReportKind.SCHOOL else filters.school_id
    if school_id:
        requests = requests.filter(school_id=school_id)
    if filters.coach_id and scope.kind != ReportKind.COACH:
        requests = requests.filter(coach_id=filters.coach_id)
    if filters.kind_id:
        requests = requests.filter(item__kind_id=filters.kind_id)
    if ctx.teachers is not None:
        requests = requests.filter(teacher_id__in=ctx.teachers)
    # A request met with a session is scheduled, or done once the session is logged (a
    # cancelled session puts it back to waiting). Its goals may have several cycles, hence
    # the distinct counts.
    asked = requests.order_by().values("pk")
    counts = requests.aggregate(total=Count("id"), session=Count("id", filter=Q(
        status__in=(RequestStatus.SCHEDULED, RequestStatus.DONE))))
    counts.update(Goal.objects.filter(source_request_id__in=asked).aggregate(
        goal=Count("source_request_id", distinct=True),
        cycle=Count("source_request_id", distinct=True, filter=Q(Exists(
            Cycle.objects.filter(goal_id=OuterRef("pk")))))))
    total = counts["total"]
    rows = [[_("Requests from the menu"), total, _cell_share(total, total)],
            [_("Met with a session"), counts["session"], _cell_share(counts["session"], total)],
            [_("Led to a goal"), counts["goal"], _cell_share(counts["goal"], total)],
            [_("Led to a coaching cycle"), counts["cycle"], _cell_share(counts["cycle"], total)]]
    return _table("funnel", _("From a request to a cycle"),
                  [_("Step"), _("Requests"), _("Share of requests")], rows,
                  chart=_chart("bar", 0, [1], unit=_("requests")),
                  description=_("Requests teachers made from the coaching menu in the period, "
                                "and how far each went."))


def _growth_section(ctx: _Context, names: dict) -> dict:
    measures = EvidenceMeasure.objects.filter(
        _goal_filter_without_teachers(ctx, "cycle__"),
        growth_on__gte=ctx.filters.start, growth_on__lte=ctx.filters.end,
        growth_students__isnull=False)
    if ctx.teachers is not None:
        measures = measures.filter(cycle_id__in=Cycle.teachers.through.objects.filter(
            person_id__in=ctx.teachers).values("cycle_id"))
    floor = _min_group(ctx)
    # Each measure needs its own school's smallest group too (a network report spans
    # schools), and never fewer students than the report's own floor. One fetch of five
    # numbers per measure; the counts, the mean and the median are taken here.
    min_groups = names["min_groups"]
    rows = fetch_rows(measures.order_by().values_list(
        "cycle_id", "growth_students", "growth_change_pp", "growth_g", "cycle__school_id"))
    shown = [row for row in rows if row[1] >= max(floor, min_groups.get(row[4], floor))]
    changes = [row[2] for row in shown if row[2] is not None]
    effects = [row[3] for row in shown if row[3] is not None]
    figures = {"total": len(rows), "shown": len(shown),
               "cycles": len({row[0] for row in shown})}
    share_cycles = len({row[0] for row in shown if row[2] is not None})
    score_cycles = len({row[0] for row in shown if row[3] is not None})
    limit = MIN_CYCLES_FOR_EVIDENCE if ctx.scope.suppresses else 1
    mean_change = (round(statistics.fmean(changes), 1)
                   if changes and share_cycles >= limit else None)
    median_g = (round(statistics.median(effects), 2)
                if effects and score_cycles >= limit else None)
    table_rows = [
        [_("Cycles with before-and-after evidence"), figures["cycles"], ""],
        [_("Mean change in the share of students meeting the target"),
         share_cycles, "—" if mean_change is None else
         _("%(n)+.1f percentage points") % {"n": mean_change}],
        [_("Median effect size on scores (Hedges' g)"), score_cycles,
         "—" if median_g is None else f"{median_g:+.2f}"],
        [_("Measures left out: a group smaller than %(n)s students") % {"n": floor},
         figures["total"] - figures["shown"], ""],
    ]
    note = ""
    if ctx.scope.suppresses and (mean_change is None or median_g is None):
        note = _("A figure needs at least %(n)s cycles of its own before it is shown.") % {
            "n": MIN_CYCLES_FOR_EVIDENCE}
    return _table("growth", _("Student evidence: growth from before to after"),
                  [_("Measure"), _("Cycles"), _("Result")], table_rows, note=note,
                  description=_("Over the measures of cycles whose after evidence falls in "
                                "the period."))


def _goal_filter_without_teachers(ctx: _Context, prefix: str) -> Q:
    teachers, ctx.teachers = ctx.teachers, None
    try:
        return _goal_filter(ctx, prefix)
    finally:
        ctx.teachers = teachers


def _min_group(ctx: _Context) -> int:
    from bettertogether.directory.models import MIN_STUDENT_GROUP

    school = ctx.scope.school
    if school is not None:
        return max(school.min_student_group, MIN_STUDENT_GROUP)
    return max(ctx.scope.network.min_student_group, MIN_STUDENT_GROUP)


def _coach_section(ctx: _Context, names: dict, reach: _Reach) -> dict:
    caseloads, reached = reach.caseload_by_coach(), reach.reached_by_coach()
    minutes = defaultdict(lambda: [0, 0, 0])
    for _school, coach, is_contact, n, total in _people_rows(ctx):
        row = minutes[coach]
        row[0 if is_contact else 1] += total
        row[2] += n if is_contact else 0
    coach_ids = sorted(set(caseloads) | set(minutes),
                       key=lambda pk: names["coaches"].get(pk, "").casefold())
    rows, suppressed = [], 0
    for pk in coach_ids:
        if (ctx.scope.suppresses and ctx.teachers is not None
                and caseloads.get(pk, 0) < MIN_TEACHERS):
            # Under a grade or subject: a coach's few teachers of it, one by one.
            suppressed += 1
            rows.append([names["coaches"].get(pk, "?"), None, None, None, None, None])
            continue
        rows.append([names["coaches"].get(pk, "?"), caseloads.get(pk, 0), reached.get(pk, 0),
                     minutes[pk][2], hours(minutes[pk][0]), hours(minutes[pk][1])])
    return _table("coaches", _("Coach caseload balance"),
                  [_("Coach"), _("Caseload teachers"), _("Teachers reached"), _("Contacts"),
                   _("Hours with teachers"), _("Own hours")], rows,
                  chart=_chart("bar", 0, [1], unit=_("teachers")),
                  description=_("Caseloads of the school years in the period."),
                  note=_suppressed_note(suppressed))


def _comparison_section(ctx: _Context) -> dict | None:
    """This term against the one before, on the figures of the log."""
    today = min(ctx.filters.end, timezone.localdate(timezone=ctx.zone))
    terms = list(Term.objects.filter(school_year__network_id=ctx.scope.network.pk,
                                     starts_on__lte=today)
                 .order_by("-starts_on").values_list("name", "starts_on", "ends_on",
                                                     "school_year__name")[:2])
    if len(terms) < 2:
        return None
    (now_name, now_start, now_end, now_year), (was_name, was_start, was_end, was_year) = terms
    figures = {}
    for key, starts, ends in (("now", now_start, min(now_end, today)),
                              ("was", was_start, was_end)):
        window = Filters(start=starts, end=ends, school_id=ctx.filters.school_id,
                         grade_id=ctx.filters.grade_id, subject_id=ctx.filters.subject_id,
                         coach_id=ctx.filters.coach_id, kind_id=ctx.filters.kind_id)
        sub = _Context(scope=ctx.scope, filters=window, zone=ctx.zone,
                       since=midnight(starts, ctx.zone), until=midnight(ends + DAY, ctx.zone),
                       teachers=ctx.teachers)
        rows = [row for row in _week_rows(sub) if row[1]]
        figures[key] = {"minutes": sum(row[4] for row in rows),
                        "contacts": sum(row[3] for row in rows),
                        "reached": _reached_count(sub, starts, ends)}
    now, was = figures["now"], figures["was"]

    def change(a, b):
        return f"{a - b:+}" if isinstance(a, int) else f"{a - b:+.1f}"

    rows = [[_("Hours with teachers"), hours(was["minutes"]), hours(now["minutes"]),
             change(hours(now["minutes"]), hours(was["minutes"]))],
            [_("Contacts"), was["contacts"], now["contacts"],
             change(now["contacts"], was["contacts"])],
            [_("Teachers reached"), was["reached"], now["reached"],
             change(now["reached"], was["reached"])]]
    return _table("compare", _("This term and the last"),
                  [_("Measure"), f"{was_name} {was_year}", f"{now_name} {now_year} "
                   + _("(so far)"), _("Change")], rows,
                  chart=_chart("bar", 0, [1, 2]),
                  description=_("Whole terms, whatever the period chosen above; the other "
                                "filters apply."))
