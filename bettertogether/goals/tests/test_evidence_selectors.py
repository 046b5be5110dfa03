"""Reading evidence: in full for the pair, and for leaders only as aggregates over groups at
least the organisation's minimum size."""

import statistics
from dataclasses import fields

import pytest
from django.http import Http404

from bettertogether.goals.evidence_selectors import (
    LeaderEvidenceSummary,
    evidence_for,
    evidence_summary_for_leaders,
)
from bettertogether.goals.models import Cycle
from bettertogether.goals.stats import Group, hedges_g
from bettertogether.goals.tests.evidence_support import (
    running_cycle,
    score_measure,
    score_point,
    share_measure,
    share_point,
)


@pytest.fixture
def cycle(cast):
    return running_cycle(cast)


def test_evidence_for_orders_points_and_explains_growth(cast, cycle):
    share = share_measure(cast.coach, cycle)
    share_point(cast.coach, share, "after", 21, 15, ago=2)
    share_point(cast.coach, share, "checkpoint", 20, 12, ago=10)
    share_point(cast.coach, share, "checkpoint", 20, 10, ago=20)
    share_point(cast.coach, share, "before", 20, 8, ago=30)
    score = score_measure(cast.coach, cycle)
    score_point(cast.coach, score, "before", 20, 10, 2, ago=30)

    found = evidence_for(actor=cast.teacher, cycle=cycle)

    first, second = found.measures
    assert [(p.moment, p.meeting_target) for p in first.points] == [
        ("before", 8), ("checkpoint", 10), ("checkpoint", 12), ("after", 15)]
    assert [r.percent for r in first.rows] == [40, 50, 60, 71]
    assert first.explanation == ("Before, 8 of 20 students (40%) met the target; after, 15 "
                                 "of 21 (71%): up 31 percentage points.")
    assert [m.value_label for m in first.chart.marks] == ["40%", "50%", "60%", "71%"]
    assert second.explanation == "" and second.effect is None
    assert len(second.chart.marks) == 1


def test_evidence_for_a_score_gives_hedges_g(cast, cycle):
    score = score_measure(cast.coach, cycle)
    score_point(cast.coach, score, "before", 20, 10, 2, ago=30)
    score_point(cast.coach, score, "after", 20, 12, 2, ago=3)

    row = evidence_for(actor=cast.coach, cycle=cycle).measures[0]

    expected = hedges_g(before=Group(20, 10.0, 2.0), after=Group(20, 12.0, 2.0)).value
    assert row.effect.value == expected
    assert row.explanation.startswith("A large effect (Hedges' g = 0.98")


@pytest.mark.parametrize("who", ["other_teacher", "second_coach", "leader", "admin",
                                 "outsider"])
def test_evidence_for_anyone_else_is_404(cast, cycle, persona, who):
    with pytest.raises(Http404):
        evidence_for(actor=persona(who), cycle=cycle)


def _cycle_with_share(cast, before, after, meeting=(4, 8)):
    cycle = running_cycle(cast)
    measure = share_measure(cast.coach, cycle)
    share_point(cast.coach, measure, "before", before, meeting[0], ago=30)
    share_point(cast.coach, measure, "after", after, meeting[1], ago=3)
    return cycle


def _summary(cast, min_group=None):
    return evidence_summary_for_leaders(
        cycles_qs=Cycle.objects.filter(school=cast.school),
        min_group=cast.school.min_student_group if min_group is None else min_group)


def test_leader_summary_suppresses_a_group_of_nine_and_shows_ten(cast):
    _cycle_with_share(cast, before=9, after=12)
    assert _summary(cast) == LeaderEvidenceSummary(
        min_group=10, cycles_with_evidence=0, measures_shown=0, measures_suppressed=1,
        share_cycles=0, share_measures=0, mean_share_change_pp=None, score_cycles=0,
        score_measures=0, median_g=None)

    _cycle_with_share(cast, before=10, after=10, meeting=(4, 8))
    summary = _summary(cast)
    assert (summary.cycles_with_evidence, summary.measures_shown,
            summary.measures_suppressed) == (1, 1, 1)
    assert summary.mean_share_change_pp == pytest.approx(40.0)


def test_leader_summary_uses_the_schools_own_minimum(cast):
    cast.school.min_student_group = 20
    cast.school.save(update_fields=["min_student_group"])
    _cycle_with_share(cast, before=15, after=15)
    _cycle_with_share(cast, before=20, after=25, meeting=(5, 15))

    summary = _summary(cast)

    assert (summary.min_group, summary.measures_shown, summary.measures_suppressed) == (
        20, 1, 1)
    assert summary.mean_share_change_pp == pytest.approx(35.0)


def test_leader_summary_never_goes_below_ten(cast):
    _cycle_with_share(cast, before=5, after=5, meeting=(1, 4))

    summary = _summary(cast, min_group=3)

    assert (summary.min_group, summary.measures_shown, summary.measures_suppressed) == (
        10, 0, 1)


def test_leader_summary_mean_share_change_and_median_g(cast):
    _cycle_with_share(cast, before=20, after=20, meeting=(5, 10))  # +25 points
    _cycle_with_share(cast, before=10, after=10, meeting=(5, 6))  # +10 points
    gs = []
    for mean_after in (11, 12, 14):
        cycle = running_cycle(cast)
        measure = score_measure(cast.coach, cycle)
        score_point(cast.coach, measure, "before", 12, 10, 2, ago=30)
        score_point(cast.coach, measure, "after", 12, mean_after, 2, ago=3)
        gs.append(hedges_g(before=Group(12, 10.0, 2.0),
                           after=Group(12, float(mean_after), 2.0)).value.g)
    running_cycle(cast)  # a cycle without evidence
    incomplete = running_cycle(cast)
    share_point(cast.coach, share_measure(cast.coach, incomplete), "before", 30, 3)

    summary = _summary(cast)

    assert (summary.cycles_with_evidence, summary.share_measures, summary.score_measures,
            summary.measures_suppressed) == (5, 2, 3, 0)
    assert summary.mean_share_change_pp == pytest.approx(17.5)
    assert summary.median_g == pytest.approx(statistics.median(gs))


def test_leader_summary_is_numbers_only_in_one_query(cast, django_assert_num_queries):
    _cycle_with_share(cast, before=20, after=20)

    with django_assert_num_queries(1):
        summary = _summary(cast, min_group=10)

    assert all(isinstance(getattr(summary, f.name), int | float | type(None))
               for f in fields(summary))
