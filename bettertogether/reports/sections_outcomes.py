"""A report's outcomes: requests through the menu funnel, goals and cycles, and student
growth (over groups large enough for leaders)."""

from __future__ import annotations

import statistics

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
)
from django.utils.translation import gettext as _

from bettertogether.directory import disclosure
from bettertogether.goals.models import (
    Cycle,
    CycleStatus,
    EvidenceMeasure,
    Goal,
    GoalStatus,
)
from bettertogether.menu.models import RequestStatus, SupportRequest

from . import query
from .report_base import (
    MET_STATUSES,
    ReportContext,
    Section,
    cell_share,
    make_chart,
    make_table,
)


class Median(Aggregate):
    """PostgreSQL's continuous median (the mean of the two middle values of an even
    count, as `statistics.median`)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()


def goal_counts(ctx: ReportContext) -> dict:
    distinct = ctx.teachers is not None  # the teachers' join can repeat a goal
    closed = query.during(ctx, "closed_at")
    goals = Goal.objects.filter(query.goals(ctx)).aggregate(
        goals_set=Count("id", distinct=distinct, filter=query.during(ctx, "created_at")),
        goals_closed=Count("id", distinct=distinct,
                           filter=closed & ~Q(status=GoalStatus.DROPPED)),
        goals_met=Count("id", distinct=distinct,
                        filter=closed & Q(status__in=MET_STATUSES)))
    cycles = Cycle.objects.filter(query.goals(ctx)).aggregate(
        cycles_started=Count("id", distinct=distinct,
                             filter=query.on_days(ctx, "started_on")),
        cycles_completed=Count("id", distinct=distinct,
                               filter=closed & Q(status=CycleStatus.COMPLETED)),
        cycles_active=Count("id", distinct=distinct, filter=Q(
            status=CycleStatus.ACTIVE, started_on__lte=ctx.filters.end)))
    return {**goals, **cycles}

def goal_section(goals: dict) -> Section:
    rows = [[_("Goals set"), goals["goals_set"]],
            [_("Goals closed"), goals["goals_closed"]],
            [_("Goals met or partly met"), goals["goals_met"]],
            [_("Cycles started"), goals["cycles_started"]],
            [_("Cycles completed"), goals["cycles_completed"]],
            [_("Cycles under way now"), goals["cycles_active"]]]
    return make_table("goals", _("Goals and coaching cycles"), [_("Measure"), _("Count")], rows,
                  chart=make_chart("bar", 0, [1]),
                  description=_("Set and started: in the period. Closed, met and completed: "
                                "closed in the period."))

def funnel_section(ctx: ReportContext) -> Section:
    requests = SupportRequest.objects.filter(query.requests(ctx))
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
    rows = [[_("Requests from the menu"), total, cell_share(total, total)],
            [_("Met with a session"), counts["session"], cell_share(counts["session"], total)],
            [_("Led to a goal"), counts["goal"], cell_share(counts["goal"], total)],
            [_("Led to a coaching cycle"), counts["cycle"], cell_share(counts["cycle"], total)]]
    return make_table("funnel", _("From a request to a cycle"),
                  [_("Step"), _("Requests"), _("Share of requests")], rows,
                  chart=make_chart("bar", 0, [1], unit=_("requests")),
                  description=_("Requests teachers made from the coaching menu in the period, "
                                "and how far each went."))

def growth_section(ctx: ReportContext) -> Section:
    measures = EvidenceMeasure.objects.filter(
        query.measures(ctx), query.on_days(ctx, "growth_on"), growth_students__isnull=False)
    floor = disclosure.student_floor(ctx.scope.school or ctx.scope.network)
    # Each measure needs its own school's smallest group too (a network report spans
    # schools), and never fewer students than the report's own floor: counted, averaged
    # and (on PostgreSQL) its median taken in one aggregate query.
    shown = disclosure.students_shown_q(students="growth_students",
                                        school_minimum="cycle__school__min_student_group",
                                        floor=floor)
    with_change = shown & Q(growth_change_pp__isnull=False)
    with_g = shown & Q(growth_g__isnull=False)
    figures = measures.aggregate(
        total=Count("id"), shown=Count("id", filter=shown),
        cycles=Count("cycle_id", distinct=True, filter=shown),
        share_cycles=Count("cycle_id", distinct=True, filter=with_change),
        score_cycles=Count("cycle_id", distinct=True, filter=with_g),
        mean_change=Avg("growth_change_pp", filter=with_change),
        **({"median_g": Median("growth_g", filter=with_g)}
           if connection.vendor == "postgresql" else {}))
    if "median_g" not in figures:  # no median aggregate: the scores come here
        effects = list(measures.filter(with_g).values_list("growth_g", flat=True))
        figures["median_g"] = statistics.median(effects) if effects else None
    share_cycles, score_cycles = figures["share_cycles"], figures["score_cycles"]
    def shown_over(cycles: int) -> bool:
        return not ctx.scope.suppresses or disclosure.evidence_shown(cycles)

    mean_change = (round(figures["mean_change"], 1)
                   if figures["mean_change"] is not None and shown_over(share_cycles) else None)
    median_g = (round(figures["median_g"], 2)
                if figures["median_g"] is not None and shown_over(score_cycles) else None)
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
            "n": disclosure.MIN_CYCLES_WITH_EVIDENCE}
    return make_table("growth", _("Student evidence: growth from before to after"),
                  [_("Measure"), _("Cycles"), _("Result")], table_rows, note=note,
                  description=_("Over the measures of cycles whose after evidence falls in "
                                "the period."))
