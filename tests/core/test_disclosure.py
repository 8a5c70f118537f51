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
