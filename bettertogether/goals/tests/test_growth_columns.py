"""Each measure's growth kept in its `growth_*` columns: by the evidence services as points
are recorded and deleted, and in bulk for the seeders; always what the pair's page shows."""

import statistics

import pytest
from django.db.models import Avg

from bettertogether.goals import evidence
from bettertogether.goals.evidence_selectors import _growth, evidence_summary_for_leaders
from bettertogether.goals.growth import (
    GROWTH_FIELDS,
    growth_refresh_all,
    measure_growth_refresh,
)
from bettertogether.goals.models import Cycle, EvidenceMeasure, MeasureKind
from bettertogether.goals.tests.evidence_support import (
    days_ago,
    running_cycle,
    score_measure,
    score_point,
    share_measure,
    share_point,
)

EMPTY = (None, None, None, None)


@pytest.fixture
def cycle(cast):
    return running_cycle(cast)


def _stored(measure) -> tuple:
    return EvidenceMeasure.objects.values_list(*GROWTH_FIELDS).get(pk=measure.pk)


def _expected(measure) -> tuple:
    """The columns as `_growth`, which the pair's page explains, computes them."""
    points = {p.moment: p for p in measure.points.all()}
    before, after = points.get("before"), points.get("after")
    if before is None or after is None:
        return EMPTY
    share, effect, _words = _growth(measure.kind, before, after)
    return (min(before.students, after.students),
            share.change_pp if share is not None else None,
            effect.value.g if effect is not None and effect.value is not None else None,
            after.taken_on)


def _share_with_growth(cast, cycle, name="Explains their reasoning", before=(20, 8),
                       after=(21, 15)):
    measure = share_measure(cast.coach, cycle, name=name)
    share_point(cast.coach, measure, "before", *before, ago=30)
    share_point(cast.coach, measure, "after", *after, ago=2)
    return measure


def _score_with_growth(cast, cycle, name="Fractions quiz", before=(20, 10, 2),
                       after=(18, 12, 2.5)):
    measure = score_measure(cast.coach, cycle, name=name)
    score_point(cast.coach, measure, "before", *before, ago=30)
    score_point(cast.coach, measure, "after", *after, ago=2)
    return measure


def test_growth_columns_of_a_share_are_the_change_in_points(cast, cycle):
    measure = _share_with_growth(cast, cycle)

    stored = _stored(measure)

    assert stored == _expected(measure)
    assert stored[0] == 20 and stored[2] is None and stored[3] == days_ago(2)
    assert stored[1] == pytest.approx(100 * 15 / 21 - 40)


def test_growth_columns_of_a_score_are_hedges_g(cast, cycle):
    measure = _score_with_growth(cast, cycle)

    stored = _stored(measure)

    assert stored == _expected(measure)
    assert (stored[0], stored[1], stored[3]) == (18, None, days_ago(2))
    assert stored[2] == pytest.approx(0.97902 * 2 / 2.25, abs=1e-4)


def test_growth_columns_stay_empty_without_an_after_point(cast, cycle):
    share = share_measure(cast.coach, cycle)
    share_point(cast.coach, share, "before", 20, 8, ago=30)
    share_point(cast.coach, share, "checkpoint", 20, 12, ago=10)
    score = score_measure(cast.coach, cycle)
    score_point(cast.coach, score, "after", 20, 12, 2, ago=2)

    assert _stored(share) == _expected(share) == EMPTY
    assert _stored(score) == _expected(score) == EMPTY


def test_growth_columns_of_a_score_without_spread_have_no_g(cast, cycle):
    measure = _score_with_growth(cast, cycle, before=(20, 10, 0), after=(20, 10, 0))

    assert _stored(measure) == _expected(measure) == (20, None, None, days_ago(2))


def test_growth_columns_of_one_student_have_no_g(cast, cycle):
    measure = _score_with_growth(cast, cycle, before=(1, 10, 0), after=(3, 12, 1))

    assert _stored(measure) == _expected(measure) == (1, None, None, days_ago(2))


def test_point_record_keeps_the_columns_as_points_arrive(cast, cycle):
    measure = share_measure(cast.coach, cycle)
    share_point(cast.coach, measure, "after", 20, 15, ago=2)
    assert _stored(measure) == EMPTY

    share_point(cast.teacher, measure, "before", 20, 5, ago=30)
    assert _stored(measure) == (20, pytest.approx(50.0), None, days_ago(2))

    share_point(cast.coach, measure, "checkpoint", 20, 10, ago=15)
    assert _stored(measure) == _expected(measure)


def test_point_record_sent_twice_leaves_the_columns_as_they_are(cast, cycle):
    measure = _share_with_growth(cast, cycle)
    stored = _stored(measure)

    share_point(cast.coach, measure, "after", 21, 15, ago=2)

    assert _stored(measure) == stored


def test_point_record_keeps_the_measure_instance_fresh(cast, cycle):
    measure = share_measure(cast.coach, cycle)
    share_point(cast.coach, measure, "before", 20, 5, ago=30)
    recorded = share_point(cast.coach, measure, "after", 20, 15, ago=2)

    assert (recorded.measure.growth_students, recorded.measure.growth_on) == (20, days_ago(2))


def test_point_delete_of_before_or_after_empties_the_columns(cast, cycle):
    measure = _share_with_growth(cast, cycle)
    checkpoint = share_point(cast.coach, measure, "checkpoint", 20, 10, ago=15)
    stored = _stored(measure)

    evidence.point_delete(actor=cast.coach, point=checkpoint)
    assert _stored(measure) == stored

    evidence.point_delete(actor=cast.coach, point=measure.points.get(moment="after"))
    assert _stored(measure) == EMPTY

    share_point(cast.coach, measure, "after", 20, 16, ago=3)
    assert _stored(measure) == (20, pytest.approx(40.0), None, days_ago(3))


def test_measure_update_of_the_kind_refreshes_the_columns(cast, cycle):
    measure = share_measure(cast.coach, cycle)
    EvidenceMeasure.objects.filter(pk=measure.pk).update(growth_students=20,
                                                         growth_change_pp=12.5)

    evidence.measure_update(actor=cast.coach, measure=measure, name=measure.name,
                            kind=MeasureKind.SCORE)

    assert _stored(measure) == EMPTY


def test_measure_update_of_the_name_keeps_the_columns(cast, cycle):
    measure = _share_with_growth(cast, cycle)
    stored = _stored(measure)

    evidence.measure_update(actor=cast.coach, measure=measure, name="Reasoning aloud",
                            kind=MeasureKind.SHARE)

    assert _stored(measure) == stored


def test_measure_growth_refresh_is_two_queries(cast, cycle, django_assert_num_queries):
    measure = _score_with_growth(cast, cycle)

    with django_assert_num_queries(2):
        measure_growth_refresh(measure)


def _many_measures(cast) -> list[EvidenceMeasure]:
    first, second = running_cycle(cast), running_cycle(cast)
    no_after = share_measure(cast.coach, second, name="Uses the vocabulary")
    share_point(cast.coach, no_after, "before", 20, 4, ago=30)
    return [
        _share_with_growth(cast, first),
        _score_with_growth(cast, first),
        _score_with_growth(cast, first, name="Spelling", before=(12, 5, 0), after=(12, 5, 0)),
        _share_with_growth(cast, second, name="Reads aloud", before=(9, 2), after=(12, 9)),
        no_after,
        score_measure(cast.coach, second, name="Times tables"),  # no points at all
    ]


def test_growth_refresh_all_equals_the_refresh_of_each_measure(cast):
    measures = _many_measures(cast)
    one_by_one = [_stored(m) for m in measures]
    EvidenceMeasure.objects.update(growth_students=None, growth_change_pp=None, growth_g=None,
                                   growth_on=None)

    changed = growth_refresh_all()

    assert [_stored(m) for m in measures] == one_by_one == [_expected(m) for m in measures]
    assert changed == 4
    assert growth_refresh_all() == 0


def test_growth_refresh_all_corrects_stale_columns_of_the_measures_named(cast, monkeypatch):
    measures = _many_measures(cast)
    right = [_stored(m) for m in measures]
    EvidenceMeasure.objects.update(growth_students=99, growth_change_pp=1.0, growth_g=1.0,
                                   growth_on=days_ago(1))
    monkeypatch.setattr("bettertogether.goals.growth.BATCH", 2)  # several chunks

    changed = growth_refresh_all(measure_ids=[m.pk for m in measures[1:]])

    assert changed == 5
    assert _stored(measures[0]) == (99, 1.0, 1.0, days_ago(1))
    assert [_stored(m) for m in measures[1:]] == right[1:]


def test_growth_columns_reproduce_the_leader_summary(cast):
    _many_measures(cast)
    summary = evidence_summary_for_leaders(cycles_qs=Cycle.objects.filter(school=cast.school),
                                           min_group=10)
    shown = EvidenceMeasure.objects.filter(growth_students__gte=summary.min_group)

    assert shown.count() == summary.measures_shown
    assert EvidenceMeasure.objects.filter(
        growth_students__lt=summary.min_group).count() == summary.measures_suppressed
    assert shown.aggregate(mean=Avg("growth_change_pp"))["mean"] == pytest.approx(
        summary.mean_share_change_pp)
    gs = shown.exclude(growth_g=None).values_list("growth_g", flat=True)
    assert statistics.median(gs) == pytest.approx(summary.median_g)
