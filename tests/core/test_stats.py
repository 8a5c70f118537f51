"""survey.core.stats: intervals against hand-worked numbers, ranks, aggregates as text."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core import stats
from survey.core.formatting import (
    describe_mean,
    describe_share,
    format_mean,
    format_percent,
    format_share,
)
from survey.core.stats import (
    Interval,
    joint_ranks,
    low_precision,
    mean,
    share,
    t_cdf,
    t_quantile,
    wilson,
)


def test_wilson_8_of_20() -> None:
    """p = 0.4, n = 20, z = 1.96, z² = 3.8416.

    denominator = 1 + z²/n = 1.19208
    centre      = (p + z²/2n) / denom = (0.4 + 0.09604) / 1.19208 = 0.416113
    half-width  = z/denom · √(p(1−p)/n + z²/4n²) = 1.644185 · √(0.012 + 0.0024010)
                = 1.644185 · 0.120004 = 0.197309
    interval    = 0.416113 ∓ 0.197309 = (0.2188, 0.6134)
    """
    iv = wilson(8, 20)
    assert iv is not None
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.2188, 0.6134)


def test_wilson_0_of_10() -> None:
    """p = 0: denom = 1 + 0.38416 = 1.38416; centre = 0.19208 / 1.38416 = 0.138770;
    half = 1.96/1.38416 · √(3.8416/400) = 1.416021 · 0.098000 = 0.138770;
    interval = (0, 0.2775) — never the textbook interval's claim of certainty (0, 0)."""
    iv = wilson(0, 10)
    assert iv is not None
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.0, 0.2775)


def test_wilson_10_of_10() -> None:
    """The mirror image of 0/10: (1 − 0.2775, 1) = (0.7225, 1)."""
    iv = wilson(10, 10)
    assert iv is not None
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.7225, 1.0)


def test_wilson_refuses_nonsense() -> None:
    assert wilson(0, 0) is None
    with pytest.raises(ValueError):
        wilson(11, 10)


def test_share_carries_count_n_and_interval() -> None:
    s = share(8, 20)
    assert (s.count, s.n, s.value) == (8, 20, 0.4)
    assert s.low_precision
    assert share(0, 0).value is None and share(0, 0).interval is None


def test_mean_from_sums() -> None:
    """x = 1, 2, 3: n = 3, Σx = 6, Σx² = 14; mean 2; s² = (14 − 36/3)/2 = 1, sd = 1;
    t(0.975, 2) = 4.302653; half-width = 4.302653 · 1/√3 = 2.484138; interval
    (−0.4841, 4.4841), clipped to the 0–100 scale at 0."""
    m = mean(3, 6.0, 14.0)
    assert m.value == 2.0 and m.sd == 1.0
    assert m.interval is not None
    assert (round(m.interval.low, 4), round(m.interval.high, 4)) == (0.0, 4.4841)
    free = mean(3, 6.0, 14.0, bounds=None)
    assert free.interval is not None and round(free.interval.low, 4) == -0.4841


def test_t_interval_n_10() -> None:
    """n = 10, mean 50, sd 10: Σx = 500, Σx² = 9·100 + 10·50² = 25,900; t(0.975, 9) =
    2.262157; half-width = 2.262157 · 10/√10 = 7.153569; interval (42.85, 57.15) — the
    normal z = 1.96 would have claimed (43.80, 56.20), 13 % too narrow."""
    m = mean(10, 500.0, 25_900.0)
    assert m.sd == 10.0 and m.interval is not None
    assert (round(m.interval.low, 2), round(m.interval.high, 2)) == (42.85, 57.15)


def test_t_interval_n_30() -> None:
    """n = 30, mean 60, sd 15: t(0.975, 29) = 2.045230; half = 2.045230 · 15/√30 = 5.601;
    interval (54.40, 65.60)."""
    m = mean(30, 1800.0, 29 * 225.0 + 30 * 3600.0)
    assert m.interval is not None
    assert (round(m.interval.low, 2), round(m.interval.high, 2)) == (54.40, 65.60)


@pytest.mark.parametrize(("df", "table"), [
    (1, 12.7062), (2, 4.3027), (4, 2.7764), (9, 2.2622), (19, 2.0930), (29, 2.0452),
    (99, 1.9842), (1000, 1.9623)])
def test_t_quantile_matches_the_published_table(df: int, table: float) -> None:
    assert round(t_quantile(0.975, df), 4) == table
    assert round(t_quantile(0.025, df), 4) == -table


def test_t_quantile_tends_to_the_normal_and_inverts_the_cdf() -> None:
    assert abs(t_quantile(0.975, 100_000) - 1.959964) < 1e-4
    assert abs(t_quantile(0.95, 9) - 1.833113) < 1e-6
    for df in (1, 3, 12, 250):
        for p in (0.6, 0.9, 0.99):
            assert abs(t_cdf(t_quantile(p, df), df) - p) < 1e-9
    with pytest.raises(ValueError):
        t_quantile(0.975, 0)


def test_mean_edge_cases() -> None:
    assert mean(0, None, None).value is None
    one = mean(1, 42.0, 1764.0)
    assert one.value == 42.0 and one.interval is None
    same = mean(4, 200.0, 10000.0)  # all 50: variance 0, never a math domain error
    assert same.sd == 0.0 and same.interval == Interval(50.0, 50.0)
    clipped = mean(2, 198.0, 98.0**2 + 100.0**2)
    assert clipped.interval is not None and clipped.interval.high == 100.0


def test_low_precision_below_30() -> None:
    assert low_precision(29) and not low_precision(30)


def test_joint_ranks() -> None:
    a, b, c = Interval(0.5, 0.7), Interval(0.45, 0.55), Interval(0.1, 0.2)
    ranks = {r.key: r for r in joint_ranks([("c", 0.15, c), ("a", 0.6, a), ("b", 0.5, b),
                                            ("d", None, None)])}
    assert (ranks["a"].rank, ranks["a"].joint) == (1, True)
    assert (ranks["b"].rank, ranks["b"].joint) == (1, True)
    assert (ranks["c"].rank, ranks["c"].joint) == (3, False)
    assert ranks["d"].rank == 4 and not ranks["d"].joint


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 2000), st.data())
def test_wilson_contains_p_and_stays_in_unit_interval(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    iv = wilson(k, n)
    assert iv is not None
    assert 0.0 <= iv.low <= k / n <= iv.high <= 1.0
    assert iv.high - iv.low > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=2, max_size=200))
def test_mean_interval_contains_mean(xs: list[float]) -> None:
    m = mean(len(xs), sum(xs), sum(x * x for x in xs))
    assert m.value is not None and m.interval is not None
    assert math.isclose(m.value, sum(xs) / len(xs), rel_tol=1e-9, abs_tol=1e-9)
    assert m.interval.low <= m.value + 1e-9 and m.value - 1e-9 <= m.interval.high


def test_aggregates_are_written_one_way() -> None:
    """Round half up to whole numbers for means; shares whole percents unless that would
    print a false 0 % or 100 %. Every page, caption and hover label uses these."""
    assert format_mean(52.5) == "53" and format_mean(52.49) == "52" and format_mean(52.8) == "53"
    assert format_mean(0.285 * 100) == "29"  # 28.4999… in binary: still half up
    assert format_mean(None) == "—"
    # n = 4, sd 2: 52.8 ± t(0.975, 3)·2/√4 = 52.8 ± 3.182 → 49.6–56.0
    assert describe_mean(mean(4, 211.2, 211.2**2 / 4 + 3 * 4.0)) == "53 (50–56)"
    assert describe_share(share(5, 3006)) == "0.2% (0.1%–0.4%)"  # not "0% (0%–0%)"
    assert describe_share(share(0, 3006)) == "0% (0%–0.1%)"
    assert describe_share(share(3001, 3006)) == "99.8% (99.6%–99.9%)"
    assert describe_share(share(528, 1000)) == "53% (50%–56%)"
    assert format_share(share(1, 100_000)) == "<0.1%"
    assert format_percent(0.125) == "13%" and format_percent(0.125, 1) == "12.5%"


# --- median from bins ----------------------------------------------------------------------

EDGES = (60.0, 66.0, 72.6, 79.9)


def _binned(values: list[float], edges: tuple[float, ...] = EDGES) -> list[int]:
    counts = [0] * (len(edges) + 1)
    for v in values:
        counts[sum(1 for e in edges if v >= e)] += 1
    return counts


def test_median_from_bins_of_nothing_is_none() -> None:
    assert stats.median_from_bins([0, 0, 0, 0, 0], EDGES) is None


def test_median_from_bins_interpolates_inside_the_middle_bin() -> None:
    # Two values in [60, 66): ranks 1 and 2 sit at a quarter and three quarters of the bin.
    assert stats.median_from_bins([0, 2, 0, 0, 0], EDGES) == pytest.approx(63.0)
    assert stats.median_from_bins([0, 1, 0, 0, 0], EDGES) == pytest.approx(63.0)
    # The open bins read as their edge.
    assert stats.median_from_bins([3, 0, 0, 0, 0], EDGES) == 60.0
    assert stats.median_from_bins([0, 0, 0, 0, 3], EDGES) == 79.9


@given(st.lists(st.floats(min_value=1, max_value=200, allow_nan=False), min_size=1,
                max_size=60))
def test_median_from_bins_lies_in_the_bin_of_the_true_median(values: list[float]) -> None:
    estimate = stats.median_from_bins(_binned(values), EDGES)
    ordered = sorted(values)
    n = len(ordered)
    low, high = ordered[(n - 1) // 2], ordered[n // 2]
    bins = (-math.inf, *EDGES, math.inf)
    lo_bin = max(i for i in range(len(bins) - 1) if low >= bins[i])
    hi_bin = max(i for i in range(len(bins) - 1) if high >= bins[i])
    assert estimate is not None
    assert max(bins[lo_bin], EDGES[0]) - 1e-9 <= estimate
    assert estimate <= min(bins[hi_bin + 1], EDGES[-1]) + 1e-9
