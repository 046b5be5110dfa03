"""What a school's leaders (and the network's admins) see of goals and cycles: counts only.

Never a goal's words, a stage plan, a reflection, a measure's name or a work sample. Every
figure passes the disclosure gate (`directory.disclosure`): a school of fewer teachers than
its floor shows none at all; the teachers in a cycle are a count of people; who is in a
cycle (names and the template's name) appears only where the gate's `names_coached` allows.
Student evidence is shown as aggregates over measures whose before and after groups both
reach the school's minimum size, and only once enough cycles have such evidence — and each
figure (the share change, the effect size) only over that many cycles of its own — so that
no single teacher's class can be read off it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from bettertogether.directory import disclosure
from bettertogether.directory.models import Organisation, SchoolYear

from .evidence_selectors import LeaderEvidenceSummary, evidence_summary_for_leaders
from .models import Cycle, CycleStatus, Goal, GoalStatus


@dataclass(frozen=True)
class SchoolGoals:
    goals: dict[str, int]
    cycles: dict[str, int]
    teachers_in_cycles: int | None  # None: hidden (a count of 1 to 4 teachers)
    evidence: LeaderEvidenceSummary | None
    evidence_shown: bool
    share_shown: bool  # each figure needs the gate's minimum of cycles of its own
    score_shown: bool
    who: list[tuple[str, str, str]]  # (teacher, template, status) where names are shown
    hidden: bool = False  # the school is too small to describe: no figure at all


def school_goals_summary(*, school: Organisation, school_year: SchoolYear | None) -> SchoolGoals:
    """Goals and cycles of one school in a school year (all years without one): 6 queries,
    1 for a school too small to describe."""
    size = disclosure.school_sizes(school_ids=[school.pk]).get(school.pk, 0)
    if not disclosure.group_shown(size):
        return SchoolGoals(goals={}, cycles={}, teachers_in_cycles=None, evidence=None,
                           evidence_shown=False, share_shown=False, score_shown=False,
                           who=[], hidden=True)
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
    evidence = evidence_summary_for_leaders(cycles_qs=cycles,
                                            min_group=disclosure.student_floor(school))
    who = []
    if disclosure.names_coached(school, size=size):
        statuses = dict(CycleStatus.choices)
        who = [(name, template, str(statuses[status])) for name, template, status in
               links.order_by("person__full_name", "cycle__started_on")
               .values_list("person__full_name", "cycle__template__name", "cycle__status")]
    return SchoolGoals(goals=goal_counts, cycles=cycle_counts,
                       teachers_in_cycles=disclosure.teachers(teachers), evidence=evidence,
                       evidence_shown=disclosure.evidence_shown(evidence.cycles_with_evidence),
                       share_shown=disclosure.evidence_shown(evidence.share_cycles),
                       score_shown=disclosure.evidence_shown(evidence.score_cycles),
                       who=who)
