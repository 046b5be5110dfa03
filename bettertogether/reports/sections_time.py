"""A report's time: hours by kind and week, term by term, and this term against the last."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
)
from django.utils.translation import gettext as _

from bettertogether.coaching.models import PairTerm, RelationshipRules
from bettertogether.directory import calendar, disclosure
from bettertogether.directory.calendar import midnight
from bettertogether.goals.models import (
    Cycle,
    EvidencePoint,
    Goal,
    GoalStatus,
)

from .report_base import (
    DAY,
    Filters,
    _cell_share,
    _chart,
    _Context,
    _day,
    _goal_filter,
    _pair_filter,
    _table,
    _week_rows,
    hours,
)
from .sections_teachers import (
    _reached_count,
)


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
    note = ""
    if ctx.scope.suppresses:
        # Each column counts teachers: a count of 1 to 4 singles them out.
        hidden = 0
        for row in rows:
            row[2:] = [disclosure.teachers(n) for n in row[2:]]
            hidden += row[2:].count(disclosure.HIDDEN)
        note = disclosure.hidden_note(0, hidden)
    return _table(
        "terms", _("Term by term: how deep the coaching went"),
        [_("Term"), _("Hours"), _("Teachers contacted"),
         _("Repeated contact (trusting)"), _("Goal or cycle under way (partnering)"),
         _("Cycle with student evidence (data-driven)")], rows,
        chart=_chart("bar", 0, [2, 3, 4, 5], unit=_("teachers")),
        description=_("Each column counts teachers in that term; a teacher can count in "
                      "several. Repeated contact: at least %(n)s contacts over at least "
                      "%(w)s weeks in the term.") % {"n": min_contacts, "w": min_weeks},
        note=note)

def _comparison_section(ctx: _Context) -> dict | None:
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
        window = Filters(start=starts, end=ends, school_id=ctx.filters.school_id,
                         grade_id=ctx.filters.grade_id, subject_id=ctx.filters.subject_id,
                         coach_id=ctx.filters.coach_id, kind_id=ctx.filters.kind_id)
        sub = _Context(scope=ctx.scope, filters=window, zone=ctx.zone,
                       since=midnight(starts, ctx.zone), until=midnight(ends + DAY, ctx.zone),
                       teachers=ctx.teachers, sizes=ctx.sizes, excluded=ctx.excluded)
        rows = [row for row in _week_rows(sub) if row[1]]
        reached = _reached_count(sub, starts, ends)
        figures[key] = {"minutes": sum(row[4] for row in rows),
                        "contacts": sum(row[3] for row in rows),
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
    return _table("compare", _("This term and the last"),
                  [_("Measure"), f"{was_term.name} {was_term.school_year}",
                   f"{now_term.name} {now_term.school_year} " + _("(so far)"), _("Change")],
                  rows,
                  chart=_chart("bar", 0, [1, 2]),
                  description=_("Whole terms, whatever the period chosen above; the other "
                                "filters apply."))
