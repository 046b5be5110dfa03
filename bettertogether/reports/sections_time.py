"""A report's time: hours by kind and week, term by term, and this term against the last."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)
from django.utils.translation import gettext as _

from bettertogether.coaching.models import RelationshipRules
from bettertogether.directory import calendar, disclosure
from bettertogether.directory.calendar import midnight
from bettertogether.goals.models import (
    Cycle,
    EvidencePoint,
    Goal,
    GoalStatus,
)

from . import query
from .report_base import (
    DAY,
    Filters,
    ReportContext,
    ReportNames,
    Section,
    cell_share,
    day_label,
    hours,
    make_chart,
    make_table,
)
from .rows import KindName, KindWeekRow, TermDepthRow, TimeTotals
from .sections_teachers import reached_count
from .sources import term_depth, week_rows


def time_sections(ctx: ReportContext, names: ReportNames,
                  rows: list[KindWeekRow]) -> list[Section]:
    """Hours by kind of support, with teachers against own time, and week by week."""
    entries: dict[int, int] = defaultdict(int)  # by kind
    minutes: dict[int, int] = defaultdict(int)
    weeks: dict[datetime.date, TimeTotals] = defaultdict(TimeTotals)
    for row in rows:
        entries[row.kind_id] += row.entries
        minutes[row.kind_id] += row.minutes
        weeks[row.week].add(row)
    contact = sum(week.contact_minutes for week in weeks.values())
    own = sum(week.own_minutes for week in weeks.values())
    total = contact + own
    unknown = KindName("?", True)
    kinds = sorted(entries, key=lambda kind: (
        not names.kinds.get(kind, unknown).is_contact, -hours(minutes[kind]),
        names.kinds.get(kind, unknown).name.casefold()))
    kinds_table = make_table(
        "time_by_kind", _("Hours by kind of support"),
        [_("Kind of support"), _("Time"), _("Entries"), _("Hours"), _("Share of hours")],
        [[names.kinds.get(kind, unknown).name,
          _("With teachers") if names.kinds.get(kind, unknown).is_contact else _("Own time"),
          entries[kind], hours(minutes[kind]), cell_share(minutes[kind], total)]
         for kind in kinds],
        chart=make_chart("bar", 0, [3], unit=_("hours")),
        description=_("Every entry of the coaches' log in the period, summed by its kind."))
    split = make_table(
        "time_split", _("Time with teachers and the coach's own time"),
        [_("Time"), _("Hours"), _("Share")],
        [[_("With teachers"), hours(contact), cell_share(contact, total)],
         [_("Own time"), hours(own),
          cell_share(own, total)]],
        chart=make_chart("bar", 0, [1], unit=_("hours")),
        description=_("Own time is planning, meetings, duties and the coach's own "
                      "learning: logged without a teacher."))
    weekly = make_table(
        "weekly", _("Week by week"),
        [_("Week of"), _("Contacts"), _("Hours with teachers"), _("Own hours")],
        [[day_label(max(monday, ctx.filters.start)), week.contacts,
          hours(week.contact_minutes), hours(week.own_minutes)]
         for monday, week in sorted(weeks.items())],
        chart=make_chart("line", 0, [2, 3], unit=_("hours")),
        description=_("Weeks start on Monday; the first and last may be part weeks."))
    return [kinds_table, split, weekly]


def _term_bounds(ctx: ReportContext):
    """Each term with its days inside the period: (term, first day, last day)."""
    for term in ctx.terms:
        yield term, max(term.starts_on, ctx.filters.start), min(term.ends_on, ctx.filters.end)


def term_section(ctx: ReportContext, rows: list[KindWeekRow]) -> Section | None:
    if not ctx.terms:
        return None
    rules = RelationshipRules.objects.filter(network_id=ctx.scope.network.pk).first()
    min_contacts = rules.trusting_min_contacts if rules else 3
    min_weeks = rules.trusting_min_weeks if rules else 3
    by_bucket = term_depth(ctx, [term.starts_on for term in ctx.terms],
                           min_contacts=min_contacts, min_weeks=min_weeks)
    goal_teachers = Goal.teachers.through.objects.filter(query.goal_teachers(ctx))
    cycle_teachers = Cycle.teachers.through.objects.filter(
        query.cycle_teachers(ctx),
        Exists(EvidencePoint.objects.filter(measure__cycle_id=OuterRef("cycle_id"))))
    live_goals, evidence = {}, {}
    for term, starts, ends in _term_bounds(ctx):
        live_goals[f"g{term.pk}"] = Count("person_id", distinct=True, filter=Q(
            goal__created_at__lt=midnight(ends + DAY, ctx.zone)) & (
            Q(goal__closed_at__isnull=True) | Q(goal__closed_at__gte=midnight(starts, ctx.zone)))
            & ~Q(goal__status=GoalStatus.DROPPED))
        evidence[f"c{term.pk}"] = Count("person_id", distinct=True, filter=Q(
            cycle__started_on__lte=ends) & (
            Q(cycle__closed_at__isnull=True)
            | Q(cycle__closed_at__gte=midnight(starts, ctx.zone))))
    partnering = goal_teachers.aggregate(**live_goals) if live_goals else {}
    data_driven = cycle_teachers.aggregate(**evidence) if evidence else {}
    minutes_by_week: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        minutes_by_week[row.week] += row.minutes
    table_rows = []
    for term, starts, ends in _term_bounds(ctx):
        found = by_bucket.get(term.starts_on, TermDepthRow(term.starts_on, 0, 0))
        minutes = sum(m for week, m in minutes_by_week.items()
                      if starts <= week + DAY * 6 and week <= ends)
        table_rows.append([term.label, hours(minutes), found.connected, found.repeated,
                           partnering.get(f"g{term.pk}", 0), data_driven.get(f"c{term.pk}", 0)])
    note = ""
    if ctx.scope.suppresses:
        # Each column but the term and its hours counts teachers: a count of 1 to 4 singles
        # them out.
        hidden = 0
        for row in table_rows:
            row[TEACHER_COLUMNS] = [disclosure.teachers(n) for n in row[TEACHER_COLUMNS]]
            hidden += row[TEACHER_COLUMNS].count(disclosure.HIDDEN)
        note = disclosure.hidden_note(0, hidden)
    return make_table(
        "terms", _("Term by term: how deep the coaching went"),
        [_("Term"), _("Hours"), _("Teachers contacted"),
         _("Repeated contact (trusting)"), _("Goal or cycle under way (partnering)"),
         _("Cycle with student evidence (data-driven)")], table_rows,
        chart=make_chart("bar", 0, [2, 3, 4, 5], unit=_("teachers")),
        description=_("Each column counts teachers in that term; a teacher can count in "
                      "several. Repeated contact: at least %(n)s contacts over at least "
                      "%(w)s weeks in the term.") % {"n": min_contacts, "w": min_weeks},
        note=note)


TEACHER_COLUMNS = slice(2, None)  # of the terms' table: the columns that count teachers


def comparison_section(ctx: ReportContext) -> Section | None:
    """This term against the one before, on the figures of the log (the terms as
    `directory.calendar` reads them: in a holiday, the term just ended)."""
    today = min(ctx.filters.end, calendar.today_in(ctx.zone))
    known = calendar.network_calendar(ctx.scope.network.pk)
    now_term, was_term = known.this_term(today), known.last_term(today)
    if now_term is None or was_term is None or now_term.first_day > today:
        return None
    figures = {}
    for key, term in (("now", now_term.so_far(today)), ("was", was_term)):
        starts, ends = term.first_day, term.last_day
        sub = ctx.narrowed_to(Filters(
            start=starts, end=ends, school_id=ctx.filters.school_id,
            grade_id=ctx.filters.grade_id, subject_id=ctx.filters.subject_id,
            coach_id=ctx.filters.coach_id, kind_id=ctx.filters.kind_id))
        contact_rows = [row for row in week_rows(sub) if row.is_contact]
        reached = reached_count(sub, starts, ends)
        figures[key] = {"minutes": sum(row.minutes for row in contact_rows),
                        "contacts": sum(row.entries for row in contact_rows),
                        "reached": disclosure.teachers(reached) if ctx.scope.suppresses
                        else reached}
    now, was = figures["now"], figures["was"]

    def change(a, b):
        if a is disclosure.HIDDEN or b is disclosure.HIDDEN:  # it would give either back
            return disclosure.HIDDEN
        return f"{a - b:+}" if isinstance(a, int) else f"{a - b:+.1f}"

    rows = [[_("Hours with teachers"), hours(was["minutes"]), hours(now["minutes"]),
             change(hours(now["minutes"]), hours(was["minutes"]))],
            [_("Contacts"), was["contacts"], now["contacts"],
             change(now["contacts"], was["contacts"])],
            [_("Teachers reached"), was["reached"], now["reached"],
             change(now["reached"], was["reached"])]]
    return make_table("compare", _("This term and the last"),
                      [_("Measure"), f"{was_term.name} {was_term.school_year}",
                       f"{now_term.name} {now_term.school_year} " + _("(so far)"), _("Change")],
                      rows,
                      chart=make_chart("bar", 0, [1, 2]),
                      description=_("Whole terms, whatever the period chosen above; the other "
                                    "filters apply."))
