"""A report's teachers: who was reached and who was in a caseload, by school, grade and
coach, with small groups hidden from leaders."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from operator import itemgetter

from django.db.models import (
    Count,
)
from django.utils.translation import gettext as _

from bettertogether.coaching.models import InteractionTeacher, PairReach
from bettertogether.directory import disclosure
from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import (
    Role,
    TeacherProfile,
)
from bettertogether.directory.scope import scope_for
from bettertogether.directory.selectors import active_memberships

from .models import ReportKind
from .reach import fetch_rows, reached_pairs
from .report_base import (
    DAY,
    _caseloads,
    _cell_share,
    _chart,
    _Context,
    _link_filter,
    _pair_filter,
    _people_rows,
    _table,
    hours,
)


def _reached_count(ctx: _Context, start: datetime.date, end: datetime.date) -> int:
    """How many teachers had a contact in [start, end]: one number."""
    if ctx.filters.kind_id:
        return (InteractionTeacher.objects.filter(
            _link_filter(ctx), interaction__kind_id=ctx.filters.kind_id,
            occurred_at__gte=midnight(start, ctx.zone),
            occurred_at__lt=midnight(end + DAY, ctx.zone))
            .values("teacher_id").distinct().count())
    return (reached_pairs(PairReach.objects.filter(_pair_filter(ctx)), start=start, end=end,
                          zone=ctx.zone).values("teacher_id").distinct().count())


class _Counted:
    """Teachers of a set of (coach, teacher, school) rows, counted by the database: once
    per school, once per coach, and who they are (a teacher counts once in each, however
    many rows they have)."""

    def __init__(self, rows, school: str = "school_id") -> None:
        self.rows, self.school = rows, school
        self.teachers = {row[0] for row in fetch_rows(
            rows.order_by().values_list("teacher_id").distinct())}

    def _by(self, field: str) -> dict[int, int]:
        return dict(self.rows.order_by().values(field)
                    .annotate(n=Count("teacher_id", distinct=True)).values_list(field, "n"))

    def by_school(self) -> dict[int, int]:
        return self._by(self.school)

    def by_coach(self) -> dict[int, int]:
        return self._by("coach_id")


class _Fetched:
    """The same as `_Counted`, counted here from the distinct rows fetched once: for the
    log's links, where one pass over them is cheaper than three."""

    def __init__(self, rows, school: str) -> None:
        self.fetched = fetch_rows(rows.values_list("coach_id", "teacher_id", school)
                                  .order_by().distinct())
        self.teachers = {row[1] for row in self.fetched}

    def _pairs(self, position: int) -> dict[int, int]:
        pairs = set(zip(map(itemgetter(position), self.fetched),
                        map(itemgetter(1), self.fetched), strict=True))
        return Counter(map(itemgetter(0), pairs))

    def by_school(self) -> dict[int, int]:
        return self._pairs(2)

    def by_coach(self) -> dict[int, int]:
        return self._pairs(0)


class _Reach:
    """Who was reached in the period and who was in a caseload of its school years."""

    def __init__(self, ctx: _Context) -> None:
        if ctx.filters.kind_id:
            # The bitmaps hold no kinds: read the pairs from the log itself.
            self.reached = _Fetched(InteractionTeacher.objects.filter(
                _link_filter(ctx), interaction__kind_id=ctx.filters.kind_id,
                occurred_at__gte=ctx.since, occurred_at__lt=ctx.until),
                school="interaction__school_id")
        else:
            self.reached = _Counted(reached_pairs(
                PairReach.objects.filter(_pair_filter(ctx)), start=ctx.filters.start,
                end=ctx.filters.end, zone=ctx.zone))
        self.caseload = _Counted(_caseloads(ctx))
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
        grades = fetch_rows(TeacherProfile.grades.through.objects
                            .filter(gradelevel_id__in=list(grade_ids))
                            .values_list("teacherprofile__person_id", "gradelevel_id"))
        caseload, reached = self.caseload_teachers, self.teachers
        return (Counter(grade for teacher, grade in grades if teacher in caseload),
                Counter(grade for teacher, grade in grades if teacher in reached))

def _reach(ctx: _Context) -> _Reach:
    return _Reach(ctx)


# --- building ------------------------------------------------------------------------------

def _narrowed_to_a_coach(ctx: _Context) -> bool:
    """Under a grade or subject, a report about one coach is about the coach's teachers of
    it (as that coach's row in the coaches' table is)."""
    return ctx.teachers is not None and bool(ctx.filters.coach_id
                                             or ctx.scope.kind == ReportKind.COACH)

def _coach_teachers(ctx: _Context) -> list[tuple[int, int]]:
    """(school, teacher) of the coach's caseloads the filters leave: one query, kept."""
    if ctx.coach_teachers is None:
        ctx.coach_teachers = list(_caseloads(ctx).values_list("school_id", "teacher_id")
                                  .order_by().distinct())
    return ctx.coach_teachers

def _population_size(ctx: _Context) -> int:
    """The teachers a report describes: of its school (or network, or the coach's schools),
    of the grade or subject chosen. A coach's caseload is not narrowed to — a coach's
    figures describe the coach's work — except under a grade or subject
    (`_narrowed_to_a_coach`)."""
    if _narrowed_to_a_coach(ctx):
        return len({teacher for _school, teacher in _coach_teachers(ctx)})
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

def _school_populations(ctx: _Context) -> dict[int, int]:
    """Each school's teachers as a report narrowed to that school would count them
    (`_population_size`): the schools below the floor are left out of every total, so the
    network's figures never exceed what its shown schools' own reports add up to."""
    if _narrowed_to_a_coach(ctx):
        counted = Counter(school for school, _teacher in _coach_teachers(ctx))
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
    rows = [[label, total, n, _cell_share(n, total)]
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
        school_ids = set(caseload) | {pk for pk in reached if pk}
        if scope.suppresses:  # the coach's schools too small to describe, as hidden rows
            school_ids |= ctx.excluded & scope_for(scope.coach).coach_school_ids
        school_ids = sorted(school_ids, key=lambda pk: names["schools"].get(pk, "").casefold())
    if scope.kind == ReportKind.NETWORK:
        return _schools_section(ctx, names, school_ids, caseload, reached)
    rows, note = _group_rows(
        [names["schools"].get(pk, _("Several schools")) for pk in school_ids],
        [caseload.get(pk, 0) for pk in school_ids], [reached.get(pk, 0) for pk in school_ids],
        suppresses=scope.suppresses,
        left_out=frozenset(i for i, pk in enumerate(school_ids) if pk in ctx.excluded))
    return _table("reach", _("Teachers reached"),
                  [_("School"), _("Caseload teachers"), _("Teachers reached"),
                   _("Share of caseload")], rows,
                  chart=_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("Reached: at least one contact in the period, with any "
                                "teacher of the school (in a caseload or not)."),
                  note=note)


def _school_staff(ctx: _Context) -> dict[int, int]:
    """Teachers of each school of the network (of the grade or subject filtered by)."""
    if ctx.sizes:
        return ctx.sizes
    staff = active_memberships().filter(role=Role.TEACHER, network_id=ctx.scope.network.pk)
    if ctx.teachers is not None:
        staff = staff.filter(person_id__in=ctx.teachers)
    return dict(staff.values("organisation_id").annotate(n=Count("person_id", distinct=True))
                .order_by().values_list("organisation_id", "n"))


def _schools_section(ctx: _Context, names: dict, school_ids: list[int], caseload: dict,
                     reached: dict) -> dict:
    """The network's schools side by side. For its admins, a school too small to describe
    is a hidden row (and left out of every total of the report); in the others a count of
    1 to 4 teachers is hidden, with whatever would give it back (never reached is the
    school's teachers less those reached)."""
    staff = _school_staff(ctx)
    rows, whole, cells = [], set(), {}
    for i, pk in enumerate(school_ids):
        in_school, n, in_caseload = staff.get(pk, 0), reached.get(pk, 0), caseload.get(pk, 0)
        rows.append([names["schools"].get(pk, "?"), in_school, in_caseload, n,
                     max(in_school - n, 0), _cell_share(n, in_school)])
        if not ctx.scope.suppresses:
            continue
        if pk in ctx.excluded or not disclosure.group_shown(in_school):
            whole.add(i)
    if ctx.scope.suppresses:
        shown = [i for i in range(len(rows)) if i not in whole]
        counted = {column: disclosure.complete(
            (k for k, i in enumerate(shown) if not disclosure.count_shown(rows[i][column])
             or (column == 3 and not disclosure.count_shown(rows[i][4]))),
            values=[rows[i][column] for i in shown]) for column in (2, 3)}
        for column, hidden in counted.items():
            for k in hidden:
                cells.setdefault(shown[k], ())
                cells[shown[k]] += (2,) if column == 2 else (3, 4, 5)
        _blank(rows, whole, cells)
    return _table(
        "schools", _("Schools side by side: reach and coverage"),
        [_("School"), _("Teachers"), _("In a caseload"), _("Reached"),
         _("Never reached"), _("Share reached")], rows,
        chart=_chart("bar", 0, [3], unit=_("teachers")),
        description=_("Reached: at least one contact in the period. Never reached: "
                      "teachers of the school with no contact in it."),
        note=disclosure.hidden_note(len(whole), len(cells)))


def _grade_section(ctx: _Context, names: dict, reach: _Reach) -> dict | None:
    if not names["grades"]:
        return None
    in_caseload, reached = reach.by_grade(names["grades"])
    grades = [(name, in_caseload.get(pk, 0), reached.get(pk, 0))
              for pk, name in names["grades"].items()
              if in_caseload.get(pk, 0) or reached.get(pk, 0)]
    rows, note = _group_rows([g[0] for g in grades], [g[1] for g in grades],
                             [g[2] for g in grades], suppresses=ctx.scope.suppresses)
    return _table("grades", _("Teachers reached by grade"),
                  [_("Grade"), _("Caseload teachers"), _("Reached"), _("Share")], rows,
                  chart=_chart("bar", 0, [2], unit=_("teachers")),
                  description=_("A teacher of several grades counts in each."),
                  note=note)


def _coach_section(ctx: _Context, names: dict, reach: _Reach) -> dict:
    caseloads, reached = reach.caseload_by_coach(), reach.reached_by_coach()
    minutes = defaultdict(lambda: [0, 0, 0])
    for _school, coach, is_contact, n, total in _people_rows(ctx):
        row = minutes[coach]
        row[0 if is_contact else 1] += total
        row[2] += n if is_contact else 0
    coach_ids = sorted(set(caseloads) | set(minutes),
                       key=lambda pk: names["coaches"].get(pk, "").casefold())
    rows = [[names["coaches"].get(pk, "?"), caseloads.get(pk, 0), reached.get(pk, 0),
             minutes[pk][2], hours(minutes[pk][0]), hours(minutes[pk][1])]
            for pk in coach_ids]
    note = ""
    if ctx.scope.suppresses:
        rows, note = _gated_coach_rows(ctx, rows)
    return _table("coaches", _("Coach caseload balance"),
                  [_("Coach"), _("Caseload teachers"), _("Teachers reached"), _("Contacts"),
                   _("Hours with teachers"), _("Own hours")], rows,
                  chart=_chart("bar", 0, [1], unit=_("teachers")),
                  description=_("Caseloads of the school years in the period."),
                  note=note)


def _gated_coach_rows(ctx: _Context, rows: list[list]) -> tuple[list[list], str]:
    """A coach's row describes the coach's work. Under a grade or subject filter it is
    about the coach's few teachers of it, so a coach with fewer than five of them is a
    hidden row; anywhere, a count of 1 to 4 teachers is hidden; and more is hidden until
    nothing hidden comes back from the report's totals."""
    caseloads, reached = [row[1] for row in rows], [row[2] for row in rows]
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
    cells = {i: (1,) for i in few_caseload - whole}
    for i in few_reached - whole:
        cells[i] = (*cells.get(i, ()), 2)
    _blank(rows, whole, cells)
    return rows, disclosure.hidden_note(len(whole), len(cells))
