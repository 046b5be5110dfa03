"""Growth statistics against values computed independently: from raw scores with numpy and
SciPy, from published worked examples, and by hand."""

import math

import numpy as np
import pytest
from scipy import special
from scipy import stats as sp

from bettertogether.goals.stats import (
    EffectSize,
    Group,
    HedgesG,
    explain_effect,
    explain_share,
    hedges_g,
    share_change,
    small_sample_correction,
    whole_percent,
)

TOLERANCE = 1e-9


def _reference_from_raw(before: np.ndarray, after: np.ndarray) -> dict:
    """Hedges' g and its interval computed from the raw scores, not from our summaries."""
    n1, n2 = len(before), len(after)
    pooled = math.sqrt(((n1 - 1) * np.var(before, ddof=1) + (n2 - 1) * np.var(after, ddof=1))
                       / (n1 + n2 - 2))
    d = (np.mean(after) - np.mean(before)) / pooled
    # The same d by another road: the pooled-variance t statistic times √(1/n1 + 1/n2).
    t = sp.ttest_ind(after, before, equal_var=True).statistic
    assert d == pytest.approx(t * math.sqrt(1 / n1 + 1 / n2), abs=TOLERANCE)
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * d
    se = math.sqrt((n1 + n2) / (n1 * n2) + g ** 2 / (2 * (n1 + n2)))
    z = sp.norm.ppf(0.975)
    return {"pooled_sd": pooled, "d": d, "g": g, "se": se, "ci_low": g - z * se,
            "ci_high": g + z * se, "higher_than_pct": 100 * sp.norm.cdf(g)}


def _summary(scores: np.ndarray) -> Group:
    return Group(n=len(scores), mean=float(np.mean(scores)), sd=float(np.std(scores, ddof=1)))


@pytest.mark.parametrize(("n1", "n2", "shift", "seed"), [
    (2, 2, 0.5, 1), (3, 5, -0.4, 2), (10, 12, 0.3, 3), (24, 26, 0.8, 4), (31, 28, 0.0, 5),
    (200, 180, 0.25, 6),
])
def test_hedges_g_from_summaries_matches_the_raw_scores(n1, n2, shift, seed):
    rng = np.random.default_rng(seed)
    before = rng.normal(loc=50, scale=10, size=n1)
    after = rng.normal(loc=50 + 10 * shift, scale=12, size=n2)

    result = hedges_g(before=_summary(before), after=_summary(after)).value

    expected = _reference_from_raw(before, after)
    for name, value in expected.items():
        assert getattr(result, name) == pytest.approx(value, abs=TOLERANCE), name


def test_hedges_g_uses_the_approximate_correction_close_to_the_exact_one():
    for total in range(6, 200):
        df = total - 2
        exact = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
        approximate = small_sample_correction(total // 2, total - total // 2)
        assert approximate == pytest.approx(1 - 3 / (4 * total - 9), abs=TOLERANCE)
        assert abs(approximate - exact) / exact < (0.001 if total >= 9 else 0.003)


def test_hedges_g_matches_borenstein_worked_example():
    # Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to Meta-Analysis, ch. 4:
    # treated 103.00 (SD 5.5, n 50) against control 100.00 (SD 4.5, n 50) gives
    # S_within 5.0249, d 0.5970, J 0.9923, g 0.5924.
    result = hedges_g(before=Group(50, 100.0, 4.5), after=Group(50, 103.0, 5.5)).value

    assert round(result.pooled_sd, 4) == 5.0249
    assert round(result.d, 4) == 0.5970
    assert round(result.j, 4) == 0.9923
    assert round(result.g, 4) == 0.5924
    # Our SE (Hedges & Olkin's, with g): √(100/2500 + 0.5924²/200) = √0.0417549 = 0.20434.
    assert round(result.se, 5) == 0.20434


def test_hedges_g_matches_lakens_worked_example():
    # Lakens (2013), Calculating and reporting effect sizes, Frontiers in Psychology 4:863:
    # ratings 8.7 (SD 0.82) and 7.7 (SD 0.95), 10 people each: d_s = 1.13, g_s = 1.08.
    result = hedges_g(before=Group(10, 7.7, 0.95), after=Group(10, 8.7, 0.82)).value

    assert round(result.d, 2) == 1.13
    assert round(result.g, 2) == 1.08


def test_hedges_g_by_hand():
    # 10 students, mean 10 → 12, SD 2 both times: pooled SD 2, d = 1, J = 1 − 3/71 = 68/71,
    # g = 68/71, SE = √(20/100 + (68/71)²/40).
    result = hedges_g(before=Group(10, 10.0, 2.0), after=Group(10, 12.0, 2.0)).value

    assert result.pooled_sd == 2.0
    assert result.d == 1.0
    assert result.g == pytest.approx(68 / 71, abs=TOLERANCE)
    assert result.se == pytest.approx(math.sqrt(0.2 + (68 / 71) ** 2 / 40), abs=TOLERANCE)
    assert result.ci_low == pytest.approx(68 / 71 - sp.norm.ppf(0.975) * result.se,
                                          abs=TOLERANCE)


def test_hedges_g_with_fewer_than_two_students_gives_a_reason():
    result = hedges_g(before=Group(1, 10.0, 0.0), after=Group(12, 12.0, 2.0))

    assert result.value is None
    assert "at least 2 students" in result.reason
    assert explain_effect(result) == result.reason


def test_hedges_g_with_no_spread_gives_a_reason():
    result = hedges_g(before=Group(12, 3.0, 0.0), after=Group(12, 4.0, 0.0))

    assert result.value is None
    assert "same score" in result.reason


def test_hedges_g_with_spread_in_one_group_only_is_computed():
    result = hedges_g(before=Group(12, 3.0, 0.0), after=Group(12, 4.0, 1.0)).value

    assert result.pooled_sd == pytest.approx(math.sqrt(11 / 22), abs=TOLERANCE)


def test_hedges_g_refuses_impossible_input():
    with pytest.raises(ValueError):
        hedges_g(before=Group(12, 3.0, -1.0), after=Group(12, 4.0, 1.0))
    with pytest.raises(ValueError):
        hedges_g(before=Group(12, math.nan, 1.0), after=Group(12, 4.0, 1.0))


def test_explain_effect_reads_a_large_effect_on_the_normal_curve():
    # 100 students, 50 → 60 with SD 10: d = 1, g = 0.9962, Φ(g) = 84.0%.
    result = hedges_g(before=Group(100, 50.0, 10.0), after=Group(100, 60.0, 10.0))

    assert result.value.higher_than_pct == pytest.approx(100 * sp.norm.cdf(result.value.g),
                                                         abs=TOLERANCE)
    assert explain_effect(result) == (
        "A large effect (Hedges' g = 1.00, likely between 0.70 and 1.29): the class's average "
        "after the cycle was higher than about 84% of the scores before it.")


def _effect(g: float, se: float = 0.1) -> EffectSize:
    group = Group(30, 0.0, 1.0)
    return EffectSize(HedgesG(before=group, after=group, pooled_sd=1.0, d=g, j=1.0, g=g,
                              se=se, ci_low=g - 1.96 * se, ci_high=g + 1.96 * se))


@pytest.mark.parametrize(("g", "opening"), [
    (0.19, "Little or no change"), (0.2, "A small effect"), (0.49, "A small effect"),
    (0.5, "A medium effect"), (0.8, "A large effect"), (-0.1, "Little or no change"),
    (-0.6, "A medium effect, downward"),
])
def test_explain_effect_uses_cohens_bands(g, opening):
    assert explain_effect(_effect(g)).startswith(opening + " (Hedges' g = ")


def test_explain_effect_of_a_fall_says_only():
    words = explain_effect(_effect(-0.6))

    assert "higher than only about 27% of the scores before it" in words


def test_explain_effect_warns_when_the_range_includes_no_change():
    assert "hint rather than a finding" in explain_effect(_effect(0.3, se=0.2))
    assert "hint" not in explain_effect(_effect(0.3, se=0.1))


def test_explain_effect_at_the_extremes():
    assert "more than 99%" in explain_effect(_effect(3.0))
    assert "only fewer than 1%" in explain_effect(_effect(-3.0))


def test_share_change_in_percentage_points():
    change = share_change(before_students=20, before_meeting=8, after_students=21,
                          after_meeting=15)

    assert change.before_pct == 40.0
    assert change.after_pct == pytest.approx(100 * 15 / 21, abs=TOLERANCE)
    assert change.change_pp == pytest.approx(100 * 15 / 21 - 40, abs=TOLERANCE)
    assert explain_share(change) == ("Before, 8 of 20 students (40%) met the target; after, "
                                     "15 of 21 (71%): up 31 percentage points.")


def test_share_change_down_and_level():
    down = share_change(before_students=8, before_meeting=4, after_students=8,
                        after_meeting=1)
    level = share_change(before_students=10, before_meeting=5, after_students=12,
                         after_meeting=6)

    assert explain_share(down).endswith("(13%): down 38 percentage points.")
    assert explain_share(level).endswith(": about the same.")


def test_share_change_refuses_impossible_counts():
    with pytest.raises(ValueError):
        share_change(before_students=10, before_meeting=11, after_students=10,
                     after_meeting=5)
    with pytest.raises(ValueError):
        share_change(before_students=0, before_meeting=0, after_students=10, after_meeting=5)


def test_whole_percent_rounds_half_up():
    assert [whole_percent(v) for v in (12.5, 12.4999, 87.5, 0.5, 99.5)] == [13, 12, 88, 1, 100]


def test_explain_effect_writes_a_true_minus_sign():
    words = explain_effect(_effect(0.1, se=0.2))

    assert "(Hedges' g = 0.10, likely between \u22120.29 and 0.49)" in words
