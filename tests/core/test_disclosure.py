"""survey.core.disclosure: the relaxation rule on hand-made month counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.disclosure import CellRange, failing, fails

K = 10
ALL = CellRange("all", None, None)


def test_dropping_a_filter_that_adds_a_few_fails() -> None:
    """West 25, west and exporting 18: dropping "exporting" adds 7."""
    assert fails(ALL, {"2026-01": 18}, [{"2026-01": 18}, {"2026-01": 25}], K)
    assert not fails(ALL, {"2026-01": 18}, [{"2026-01": 18}, {"2026-01": 28}], K)
    assert not fails(ALL, {"2026-01": 18}, [{"2026-01": 18}, {"2026-01": 18}], K)


def test_widening_the_months_looks_at_the_nearest_month_on_each_side() -> None:
    feb = CellRange("all", "2026-02", "2026-02")
    months = {"2026-01": 40, "2026-02": 30, "2026-03": 4}
    assert fails(feb, months, [months], K)  # February to March adds March's 4
    jan = CellRange("all", None, "2026-01")
    assert not fails(jan, months, [months], K)  # January to February adds 30
    gap = {"2026-01": 40, "2026-02": 30, "2026-04": 12}
    assert not fails(feb, gap, [gap], K)  # March is empty: the nearest is April's 12


def test_a_wave_is_the_span_of_its_months() -> None:
    """A cell without month bounds whose firms all fall in April–June ("wave B"): widening to
    "from February" adds March's 3, so it fails although no month filter was set."""
    wave_b = {"2026-04": 20, "2026-05": 20}
    everyone = {"2026-02": 30, "2026-03": 3, **wave_b}
    assert fails(CellRange("wave", None, None, ("all",)), wave_b, [wave_b], K) is False
    cells = {"wave": CellRange("wave", None, None, ("all",))}
    view = {("wave", "n"): wave_b, ("all", "n"): everyone}
    assert failing(cells, ["n"], view, [view], K) == {"wave": frozenset({"n"})}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f"2026-0{m}" for m in range(1, 10)]),
                       st.integers(0, 40), min_size=1),
       st.data())
def test_whatever_passes_no_wider_range_adds_a_small_group(months: dict[str, int],
                                                           data: st.DataObject) -> None:
    """Brute force over every wider month range: if the rule lets a range through, no wider
    one adds 1 … K − 1 firms."""
    keys = sorted(months)
    lo, hi = sorted(data.draw(st.lists(st.sampled_from(keys), min_size=2, max_size=2)))
    own = {m: v for m, v in months.items() if lo <= m <= hi}
    if not any(own.values()):
        return
    if fails(CellRange("all", lo, hi), own, [months], K):
        return
    mine = sum(own.values())
    for a in [None, *keys]:
        for b in [None, *keys]:
            if (a is not None and a > lo) or (b is not None and b < hi):
                continue
            wider = sum(v for m, v in months.items()
                        if (a is None or m >= a) and (b is None or m <= b))
            assert not 0 < wider - mine < K, (a, b)


def _reference_fails(cell: CellRange, view: dict[str, int], relaxations: list[dict[str, int]],
                     min_group: int) -> bool:
    """The rule as written in the module's docstring, month by month, with no index."""
    def total(counts: dict[str, int], low: str | None, high: str | None) -> int:
        return sum(v for m, v in counts.items()
                   if (low is None or m >= low) and (high is None or m <= high))

    inside = [m for m, v in view.items() if v and cell.covers(m)]
    low, high = (min(inside), max(inside)) if inside else (cell.low, cell.high)
    own = total(view, low, high)
    for counts in relaxations:
        added = total(counts, low, high) - own
        if 0 < added < min_group:
            return True
        if added:
            continue
        before = [m for m, v in counts.items() if v and low is not None and m < low]
        after = [m for m, v in counts.items() if v and high is not None and m > high]
        if (before and 0 < counts[max(before)] < min_group) or (
                after and 0 < counts[min(after)] < min_group):
            return True
    return False


MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
COUNTS = st.dictionaries(st.sampled_from(MONTHS), st.integers(0, 30), max_size=12)
BOUND = st.one_of(st.none(), st.sampled_from(MONTHS))


@settings(max_examples=300, deadline=None)
@given(COUNTS, st.lists(COUNTS, max_size=4), BOUND, BOUND)
def test_the_indexed_rule_is_the_rule(view: dict[str, int], others: list[dict[str, int]],
                                      low: str | None, high: str | None) -> None:
    """`fails` and `failing` sum month ranges by bisection over running totals; they decide
    exactly as the rule read month by month."""
    cell = CellRange("all", low, high)
    relaxations = [view, *others]
    want = _reference_fails(cell, view, relaxations, K)
    assert fails(cell, view, relaxations, K) == want
    hidden = failing({"c": cell}, ["n"], {("all", "n"): view},
                     [{("all", "n"): r} for r in relaxations], K)
    assert ("n" in hidden.get("c", frozenset())) == want
