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
from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import (
    Role,
    TeacherProfile,
)
from bettertogether.directory.selectors import active_memberships

from .models import ReportKind
from .reach import fetch_rows, reached_pairs
from .report_base import (
    DAY,
    MIN_TEACHERS,
    _caseloads,
    _cell_share,
    _chart,
    _Context,
    _link_filter,
    _pair_filter,
    _people_rows,
    _suppressed_note,
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

def _grade_section(ctx: _Context, names: dict, reach: _Reach) -> dict | None:
    if not names["grades"]:
        return None
    in_caseload, reached = reach.by_grade(names["grades"])
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
