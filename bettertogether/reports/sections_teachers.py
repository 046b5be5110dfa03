"""A report's teachers: who was reached and who was in a caseload, by school, grade and
coach, with small groups hidden from leaders."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import (
    Count,
)
from django.utils.translation import gettext as _

from bettertogether.directory import disclosure
from bettertogether.directory.models import TeacherProfile
from bettertogether.directory.scope import scope_for
from bettertogether.directory.selectors import active_memberships

from . import query
from .models import ReportKind
from .reach import fetch_rows
from .report_base import (
    ReportContext,
    ReportNames,
    Section,
    cell_share,
    hours,
    make_chart,
    make_table,
)
from .rows import SchoolTeacherRow, TeacherGradeRow, TimeTotals
from .sources import Source, caseload_rows, coach_rows, reach_rows


def reached_count(ctx: ReportContext, start: datetime.date, end: datetime.date) -> int:
    """How many teachers had a contact in [start, end]: one number."""
    _source, rows = reach_rows(ctx, start, end)
    return rows.values("teacher_id").distinct().count()


class CountedTeachers:
    """Teachers of a set of (coach, teacher, school) rows, counted by the database: once
    per school, once per coach, and who they are (a teacher counts once in each, however
    many rows they have)."""

    def __init__(self, rows, school: str = "school_id") -> None:
        self.rows, self.school = rows, school
        self.teachers = {teacher for (teacher,) in fetch_rows(
            rows.order_by().values_list("teacher_id").distinct())}

    def _by(self, field: str) -> dict[int, int]:
        return dict(self.rows.order_by().values(field)
                    .annotate(n=Count("teacher_id", distinct=True)).values_list(field, "n"))

    def by_school(self) -> dict[int, int]:
        return self._by(self.school)

    def by_coach(self) -> dict[int, int]:
        return self._by("coach_id")


class FetchedTeachers:
    """The same as `CountedTeachers`, counted here from the distinct rows fetched once: for
    the log's links, where one pass over them is cheaper than three."""

    def __init__(self, rows, school: str) -> None:
        # `PairRow`s, left plain tuples (tens of thousands) and read by unpacking.
        self.fetched: list[tuple] = fetch_rows(
            rows.values_list("coach_id", "teacher_id", school).order_by().distinct())
        self.teachers = {teacher for _coach, teacher, _school in self.fetched}

    def by_school(self) -> dict[int, int]:
        return Counter(school for school, _teacher in
                       {(school, teacher) for _coach, teacher, school in self.fetched})

    def by_coach(self) -> dict[int, int]:
        return Counter(coach for coach, _teacher in
                       {(coach, teacher) for coach, teacher, _school in self.fetched})


class Reach:
    """Who was reached in the period and who was in a caseload of its school years."""

    def __init__(self, ctx: ReportContext) -> None:
        source, rows = reach_rows(ctx, ctx.filters.start, ctx.filters.end)
        if source == Source.LOG_LINKS:
            self.reached = FetchedTeachers(rows, school="interaction__school_id")
        else:
            self.reached = CountedTeachers(rows)
        self.caseload = CountedTeachers(caseload_rows(ctx))
        self.teachers = self.reached.teachers
        self.caseload_teachers = self.caseload.teachers

    def reached_by_school(self) -> dict[int, int]:
        return self.reached.by_school()

    def reached_by_coach(self) -> dict[int, int]:
        return self.reached.by_coach()

    def caseload_by_school(self) -> dict[int, int]:
        return self.caseload.by_school()

    def caseload_by_coach(self) -> dict[int, int]:
        return self.caseload.by_coach()

    def totals(self) -> dict[str, int]:
        return {"reached": len(self.teachers), "caseload": len(self.caseload_teachers),
                "reached_caseload": len(self.teachers & self.caseload_teachers)}

    def by_grade(self, grade_ids) -> tuple[dict[int, int], dict[int, int]]:
        """Per grade of the network: caseload teachers, and teachers reached (one query)."""
        if not self.teachers and not self.caseload_teachers:
            return Counter(), Counter()
        grades = map(TeacherGradeRow._make, fetch_rows(
            TeacherProfile.grades.through.objects.filter(gradelevel_id__in=list(grade_ids))
            .values_list("teacherprofile__person_id", "gradelevel_id")))
        caseload, reached = Counter(), Counter()
        for row in grades:
            if row.teacher_id in self.caseload_teachers:
                caseload[row.grade_id] += 1
            if row.teacher_id in self.teachers:
                reached[row.grade_id] += 1
        return caseload, reached


# --- building ------------------------------------------------------------------------------

def _narrowed_to_a_coach(ctx: ReportContext) -> bool:
    """Under a grade or subject, a report about one coach is about the coach's teachers of
    it (as that coach's row in the coaches' table is)."""
    return ctx.teachers is not None and bool(ctx.filters.coach_id
                                             or ctx.scope.kind == ReportKind.COACH)

def _coach_teachers(ctx: ReportContext) -> list[SchoolTeacherRow]:
    """(school, teacher) of the coach's caseloads the filters leave: one query, kept."""
    if ctx.coach_teachers is None:
        ctx.coach_teachers = list(map(SchoolTeacherRow._make, caseload_rows(ctx)
                                      .values_list("school_id", "teacher_id")
                                      .order_by().distinct()))
    return ctx.coach_teachers

def population_size(ctx: ReportContext) -> int:
    """The teachers a report describes: of its school (or network, or the coach's schools),
    of the grade or subject chosen. A coach's caseload is not narrowed to — a coach's
    figures describe the coach's work — except under a grade or subject
    (`_narrowed_to_a_coach`)."""
    if _narrowed_to_a_coach(ctx):
        return len({row.teacher_id for row in _coach_teachers(ctx)})
    return (active_memberships().filter(query.teaching_staff(ctx))
            .values("person_id").distinct().count())

def school_populations(ctx: ReportContext) -> dict[int, int]:
    """Each school's teachers as a report narrowed to that school would count them
    (`population_size`): the schools below the floor are left out of every total, so the
    network's figures never exceed what its shown schools' own reports add up to."""
    if _narrowed_to_a_coach(ctx):
        counted = Counter(row.school_id for row in _coach_teachers(ctx))
        return {pk: counted.get(pk, 0) for pk in ctx.sizes}
    return ctx.sizes

def _blank(rows: list[list], whole: set[int], cells: dict[int, tuple[int, ...]]) -> None:
    """Hide whole rows (all but their name) and single figures of the others."""
    for i in whole:
        rows[i][1:] = [disclosure.HIDDEN] * (len(rows[i]) - 1)
    for i, columns in cells.items():
        if i not in whole:
            for column in columns:
                rows[i][column] = disclosure.HIDDEN


def _group_rows(labels: list[str], totals: list[int], reached: list[int], *,
                suppresses: bool, left_out: frozenset[int] = frozenset()
                ) -> tuple[list[list], str]:
    """Rows of (label, caseload teachers, teachers reached, share) as their reader may
    see them. For a leader: a row whose caseload is 1 to 4 teachers is hidden, a count of
    1 to 4 reached is hidden with its share, and more rows are hidden until the hidden ones
    cannot be had back from the report's totals. `left_out` rows (schools too small to
    describe, in no total) are hidden and play no part in that."""
    rows = [[label, total, n, cell_share(n, total)]
            for label, total, n in zip(labels, totals, reached, strict=True)]
    if not suppresses:
        return rows, ""
    inside = [i for i in range(len(rows)) if i not in left_out]
    caseloads, counts = [totals[i] for i in inside], [reached[i] for i in inside]
    whole = {k for k, n in enumerate(caseloads) if not disclosure.count_shown(n)}
    whole = disclosure.complete(whole, values=caseloads, groups=caseloads)
    few = whole | {k for k, n in enumerate(counts) if not disclosure.count_shown(n)}
    few = disclosure.complete(few, values=counts, groups=caseloads)
    whole_rows = {inside[k] for k in whole} | set(left_out)
    _blank(rows, whole_rows, {inside[k]: (2, 3) for k in few})
    return rows, disclosure.hidden_note(len(whole_rows), len(few - whole))


def reach_section(ctx: ReportContext, names: ReportNames, reach: Reach) -> Section:
    scope = ctx.scope
    caseload, reached = reach.caseload_by_school(), reach.reached_by_school()
    if scope.kind == ReportKind.SCHOOL:
        school_ids = [scope.school.pk]
    elif scope.kind == ReportKind.NETWORK:
        school_ids = sorted(names.schools, key=lambda pk: names.schools[pk].casefold())
        if ctx.filters.school_id:
            school_ids = [ctx.filters.school_id]
    else:
        school_ids = set(caseload) | {pk for pk in reached if pk}
        if scope.suppresses:  # the coach's schools too small to describe, as hidden rows
            school_ids |= ctx.excluded & scope_for(scope.coach).coach_school_ids
        school_ids = sorted(school_ids, key=lambda pk: names.schools.get(pk, "").casefold())
    if scope.kind == ReportKind.NETWORK:
        return _schools_section(ctx, names, school_ids, caseload, reached)
    rows, note = _group_rows(
        [names.schools.get(pk, _("Several schools")) for pk in school_ids],
        [caseload.get(pk, 0) for pk in school_ids], [reached.get(pk, 0) for pk in school_ids],
        suppresses=scope.suppresses,
        left_out=frozenset(i for i, pk in enumerate(school_ids) if pk in ctx.excluded))
    return make_table("reach", _("Teachers reached"),
                  [_("School"), _("Caseload teachers"), _("Teachers reached"),
                   _("Share of caseload")], rows,
                  chart=make_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("Reached: at least one contact in the period, with any "
                                "teacher of the school (in a caseload or not)."),
                  note=note)


def _school_staff(ctx: ReportContext) -> dict[int, int]:
    """Teachers of each school of the network (of the grade or subject filtered by)."""
    if ctx.sizes:
        return ctx.sizes
    staff = active_memberships().filter(query.teaching_staff(ctx, each_school=True))
    return dict(staff.values("organisation_id").annotate(n=Count("person_id", distinct=True))
                .order_by().values_list("organisation_id", "n"))


# The columns of the schools' table (after the school's name).
TEACHERS, IN_CASELOAD, REACHED, NEVER_REACHED, SHARE_REACHED = range(1, 6)


def _schools_section(ctx: ReportContext, names: ReportNames, school_ids: list[int],
                     caseload: dict, reached: dict) -> Section:
    """The network's schools side by side. For its admins, a school too small to describe
    is a hidden row (and left out of every total of the report); in the others a count of
    1 to 4 teachers is hidden, with whatever would give it back (never reached is the
    school's teachers less those reached)."""
    staff = _school_staff(ctx)
    caseload_cells = (IN_CASELOAD,)
    reached_cells = (REACHED, NEVER_REACHED, SHARE_REACHED)  # each gives the others back
    rows, whole, cells = [], set(), {}
    for i, pk in enumerate(school_ids):
        in_school, n, in_caseload = staff.get(pk, 0), reached.get(pk, 0), caseload.get(pk, 0)
        rows.append([names.schools.get(pk, "?"), in_school, in_caseload, n,
                     max(in_school - n, 0), cell_share(n, in_school)])
        if not ctx.scope.suppresses:
            continue
        if pk in ctx.excluded or not disclosure.group_shown(in_school):
            whole.add(i)
    if ctx.scope.suppresses:
        shown = [i for i in range(len(rows)) if i not in whole]
        counted = {column: disclosure.complete(
            (k for k, i in enumerate(shown) if not disclosure.count_shown(rows[i][column])
             or (column == REACHED and not disclosure.count_shown(rows[i][NEVER_REACHED]))),
            values=[rows[i][column] for i in shown]) for column in (IN_CASELOAD, REACHED)}
        for column, hidden in counted.items():
            for k in hidden:
                cells.setdefault(shown[k], ())
                cells[shown[k]] += caseload_cells if column == IN_CASELOAD else reached_cells
        _blank(rows, whole, cells)
    return make_table(
        "schools", _("Schools side by side: reach and coverage"),
        [_("School"), _("Teachers"), _("In a caseload"), _("Reached"),
         _("Never reached"), _("Share reached")], rows,
        chart=make_chart("bar", 0, [REACHED], unit=_("teachers")),
        description=_("Reached: at least one contact in the period. Never reached: "
                      "teachers of the school with no contact in it."),
        note=disclosure.hidden_note(len(whole), len(cells)))


def grade_section(ctx: ReportContext, names: ReportNames, reach: Reach) -> Section | None:
    if not names.grades:
        return None
    in_caseload, reached = reach.by_grade(names.grades)
    shown = [pk for pk in names.grades if in_caseload.get(pk, 0) or reached.get(pk, 0)]
    rows, note = _group_rows([names.grades[pk] for pk in shown],
                             [in_caseload.get(pk, 0) for pk in shown],
                             [reached.get(pk, 0) for pk in shown],
                             suppresses=ctx.scope.suppresses)
    return make_table("grades", _("Teachers reached by grade"),
                  [_("Grade"), _("Caseload teachers"), _("Reached"), _("Share")], rows,
                  chart=make_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("A teacher of several grades counts in each."),
                  note=note)


COACH_CASELOAD, COACH_REACHED = 1, 2  # columns of the coaches' table


def coach_section(ctx: ReportContext, names: ReportNames, reach: Reach) -> Section:
    caseloads, reached = reach.caseload_by_coach(), reach.reached_by_coach()
    minutes: dict[int, TimeTotals] = defaultdict(TimeTotals)
    for row in coach_rows(ctx):
        minutes[row.coach_id].add(row)
    coach_ids = sorted(set(caseloads) | set(minutes),
                       key=lambda pk: names.coaches.get(pk, "").casefold())
    rows = [[names.coaches.get(pk, "?"), caseloads.get(pk, 0), reached.get(pk, 0),
             minutes[pk].contacts, hours(minutes[pk].contact_minutes),
             hours(minutes[pk].own_minutes)]
            for pk in coach_ids]
    note = ""
    if ctx.scope.suppresses:
        rows, note = _gated_coach_rows(ctx, rows)
    return make_table("coaches", _("Coach caseload balance"),
                  [_("Coach"), _("Caseload teachers"), _("Teachers reached"), _("Contacts"),
                   _("Hours with teachers"), _("Own hours")], rows,
                  chart=make_chart("bar", 0, [1], unit=_("teachers")),
                  description=_("Caseloads of the school years in the period."),
                  note=note)


def _gated_coach_rows(ctx: ReportContext, rows: list[list]) -> tuple[list[list], str]:
    """A coach's row describes the coach's work. Under a grade or subject filter it is
    about the coach's few teachers of it, so a coach with fewer than five of them is a
    hidden row; anywhere, a count of 1 to 4 teachers is hidden; and more is hidden until
    nothing hidden comes back from the report's totals."""
    caseloads = [row[COACH_CASELOAD] for row in rows]
    reached = [row[COACH_REACHED] for row in rows]
    whole = set()
    if ctx.teachers is not None:
        whole = {i for i, n in enumerate(caseloads) if not disclosure.group_shown(n)}
        whole = disclosure.complete(whole, values=caseloads, groups=caseloads)
    few_caseload = disclosure.complete(
        whole | {i for i, n in enumerate(caseloads) if not disclosure.count_shown(n)},
        values=caseloads)
    few_reached = disclosure.complete(
        whole | {i for i, n in enumerate(reached) if not disclosure.count_shown(n)},
        values=reached)
    cells = {i: (COACH_CASELOAD,) for i in few_caseload - whole}
    for i in few_reached - whole:
        cells[i] = (*cells.get(i, ()), COACH_REACHED)
    _blank(rows, whole, cells)
    return rows, disclosure.hidden_note(len(whole), len(cells))
