"""What a school's leaders (and the network's admins) see of goals and cycles: counts only.

Never a goal's words, a stage plan, a reflection, a measure's name or a work sample. Who is
in a cycle (names and the template's name) appears only under the school's "who and kind"
policy. Student evidence is shown as aggregates over measures whose before and after groups
both reach the school's minimum size, and only once at least `MIN_CYCLES_FOR_EVIDENCE`
cycles have such evidence — and each figure (the share change, the effect size) only over at
least that many cycles of its own — so that no single teacher's class can be read off it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from bettertogether.directory.models import LeaderVisibility, Organisation, SchoolYear

from .evidence_selectors import LeaderEvidenceSummary, evidence_summary_for_leaders
from .models import Cycle, CycleStatus, Goal, GoalStatus

MIN_CYCLES_FOR_EVIDENCE = 3


@dataclass(frozen=True)
class SchoolGoals:
    goals: dict[str, int]
    cycles: dict[str, int]
    teachers_in_cycles: int
    evidence: LeaderEvidenceSummary
    evidence_shown: bool
    share_shown: bool  # each figure needs MIN_CYCLES_FOR_EVIDENCE cycles of its own
    score_shown: bool
    who: list[tuple[str, str, str]]  # (teacher, template, status) under "who and kind"


def school_goals_summary(*, school: Organisation, school_year: SchoolYear | None) -> SchoolGoals:
    """Goals and cycles of one school in a school year (all years without one): 5 queries."""
    goals = Goal.objects.filter(school=school)
    cycles = Cycle.objects.filter(school=school)
    if school_year is not None:
        goals = goals.filter(created_at__date__gte=school_year.starts_on,
                             created_at__date__lte=school_year.ends_on)
        cycles = cycles.filter(started_on__gte=school_year.starts_on,
                               started_on__lte=school_year.ends_on)
    goal_counts = goals.aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in GoalStatus.values})
    cycle_counts = cycles.aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in CycleStatus.values})
    links = Cycle.teachers.through.objects.filter(cycle__in=cycles.order_by().values("pk"))
    teachers = links.values("person_id").distinct().count()
    evidence = evidence_summary_for_leaders(cycles_qs=cycles, min_group=school.min_student_group)
    who = []
    if school.leader_visibility == LeaderVisibility.WHO_AND_KIND:
        statuses = dict(CycleStatus.choices)
        who = [(name, template, str(statuses[status])) for name, template, status in
               links.order_by("person__full_name", "cycle__started_on")
               .values_list("person__full_name", "cycle__template__name", "cycle__status")]
    return SchoolGoals(goals=goal_counts, cycles=cycle_counts, teachers_in_cycles=teachers,
                       evidence=evidence,
                       evidence_shown=evidence.cycles_with_evidence >= MIN_CYCLES_FOR_EVIDENCE,
                       share_shown=evidence.share_cycles >= MIN_CYCLES_FOR_EVIDENCE,
                       score_shown=evidence.score_cycles >= MIN_CYCLES_FOR_EVIDENCE,
                       who=who)
