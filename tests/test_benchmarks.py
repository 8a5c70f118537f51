"""survey.benchmarks: intervals against hand-worked numbers, suppression that cannot be undone."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.benchmarks import (
    ALL,
    Interval,
    augmented_counts,
    joint_ranks,
    low_precision,
    mean,
    recoverable_lines,
    share,
    suppress_line,
    suppress_table,
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
    half-width = 1.96 · 1/√3 = 1.131607; interval (0.8684, 3.1316)."""
    m = mean(3, 6.0, 14.0)
    assert m.value == 2.0 and m.sd == 1.0
    assert m.interval is not None
    assert (round(m.interval.low, 4), round(m.interval.high, 4)) == (0.8684, 3.1316)


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


def test_one_way_secondary_suppression() -> None:
    """a = 5 is hidden; with the total shown it would be total − the others, so the next
    smallest (d = 12) is hidden too."""
    assert suppress_line({"a": 5, "b": 50, "c": 40, "d": 12}, 10) == {"a", "d"}
    assert suppress_line({"a": 5, "b": 3, "c": 40}, 10) == {"a", "b"}
    assert suppress_line({"a": 15, "b": 30}, 10) == set()
    assert suppress_line({"a": 0, "b": 30}, 10) == set()  # nobody is not a group


def test_two_way_secondary_suppression() -> None:
    cells = {("x", "s"): 5, ("x", "m"): 30, ("y", "s"): 20, ("y", "m"): 40,
             ("z", "s"): 15, ("z", "m"): 3}
    hidden = suppress_table(cells, 10)
    assert hidden == {("x", "s"), ("x", "m"), ("z", "s"), ("z", "m")}


def test_small_margins_are_hidden_and_protected() -> None:
    cells = {("x", "s"): 4, ("x", "m"): 4, ("y", "s"): 40, ("y", "m"): 40, ("z", "s"): 30,
             ("z", "m"): 30}
    hidden = suppress_table(cells, 10)
    assert (("x", ALL)) in hidden  # a row of 8 is a group of 8
    assert recoverable_lines(hidden, ["x", "y", "z"], ["s", "m"]) == []


def test_everything_hidden_when_the_table_is_small() -> None:
    hidden = suppress_table({("a", "b"): 3, ("a", "c"): 4}, 10)
    assert ("a", "b") in hidden and (ALL, ALL) in hidden


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[tuple[str, str], int], list[str], list[str]]:
    rows = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    cols = [f"c{j}" for j in range(draw(st.integers(1, 5)))]
    counts = draw(st.lists(st.integers(0, 40), min_size=len(rows) * len(cols),
                           max_size=len(rows) * len(cols)))
    cells = {(r, c): counts[i * len(cols) + j]
             for i, r in enumerate(rows) for j, c in enumerate(cols)}
    return cells, rows, cols


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(2, 15))
def test_suppression_never_leaves_a_recoverable_cell(
    table: tuple[dict[tuple[str, str], int], list[str], list[str]], k: int
) -> None:
    cells, rows, cols = table
    hidden = suppress_table(cells, k, rows=rows, cols=cols)
    counts = augmented_counts(cells, rows, cols)
    for key, v in counts.items():
        if 0 < v < k:
            assert key in hidden, (key, v)  # every small group is hidden
        if v == 0:
            assert key not in hidden  # empty cells are shown as empty
    assert recoverable_lines(hidden, rows, cols) == []


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1),
       st.integers(2, 15))
def test_one_way_suppression_never_leaves_one_hidden(counts: dict[str, int], k: int) -> None:
    hidden = suppress_line(counts, k)
    if sum(counts.values()) >= k:
        assert len(hidden) != 1
    assert all(counts[key] > 0 for key in hidden)


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


def test_pure_modules_import_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys; import survey.benchmarks, survey.charts, survey.charts_counts, "
        "survey.plotly_json; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', "
        "'flask_babel', 'plotly')]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
