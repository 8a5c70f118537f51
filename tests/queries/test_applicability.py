"""survey.queries under method 2027.1: numbers among the firms an area or recommendation
applies to, credit-constraint shares, and numbers hidden on their own n."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from survey import queries
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.suppression import leaks
from survey.queries.filters import Filters
from tests.helpers import add_rows, row_2027


def overseas_mix() -> None:
    """20 firms overseas markets applies to (score 80; 10 of them with a high cross-border
    need), 30 with no export activity or plans (not applicable; three of them carry a stale
    overseas score of 0 beside their status, as a hand-edited row might)."""
    add_rows([row_2027(overseas_markets_score=80.0, overseas_markets_capability=75.0,
                       overseas_markets_env=85.0, need_cross_border_ecommerce=70.0)] * 10)
    add_rows([row_2027(overseas_markets_score=80.0, overseas_markets_capability=75.0,
                       overseas_markets_env=85.0, need_cross_border_ecommerce=20.0)] * 10)
    add_rows([row_2027(overseas_applies=False)] * 27)
    add_rows([row_2027(overseas_applies=False, overseas_markets_score=0.0,
                       overseas_markets_capability=0.0, overseas_markets_env=0.0)] * 3)


def test_overseas_numbers_are_among_the_firms_it_applies_to(app: Flask) -> None:
    """Counted among all 50, the mean would be 32 (or 80 over 23 scored: 70), the share at or
    above Established 40 % and the high cross-border share 20 %; among the 20 it applies to
    they are 80, 100 % and 50 %."""
    overseas_mix()
    ov = queries.overview(Filters(), 10)
    assert ov.n == 50
    overseas = ov.metrics["overseas_markets"]
    assert (overseas.applicable, overseas.not_applicable) == (20, 30)
    assert overseas.mean.n == 20 and overseas.mean.value == pytest.approx(80.0)
    assert overseas.capability is not None and overseas.capability.value == pytest.approx(75.0)
    assert overseas.environment is not None and overseas.environment.value == pytest.approx(85)
    established = next(ls for ls in overseas.levels if ls.level == "established")
    assert (established.at_or_above.count, established.at_or_above.n) == (20, 20)
    assert sum(b.share.count for b in overseas.bins) == 20
    financing = ov.metrics["financing"]
    assert financing.applicable == 50 and financing.not_applicable == 0
    everyone = queries.segments(Filters(), 10).grid.total
    high = everyone.share("cross_border_ecommerce")
    assert high is not None and (high.count, high.n) == (10, 20) and high.value == 0.5
    assert everyone.applicable["cross_border_ecommerce"] == 20
    assert everyone.share("financial_support") is not None
    assert everyone.share("financial_support").n == 50  # type: ignore[union-attr]
    stats = queries.summary_stats(Filters(), 10)
    area = stats["areas"]["overseas_markets"]
    assert (area["n"], area["mean"], area["applicable"], area["not_applicable"]) == (
        20, 80.0, 20, 30)
    assert area["capability"]["mean"] == 75.0 and area["environment"]["mean"] == 85.0
    rec = stats["recommendations"]["cross_border_ecommerce"]
    assert (rec["n"], rec["not_applicable"], rec["high"]["share"]) == (20, 30, 0.5)
    assert sum(rec[p]["count"] for p in ("high", "medium", "low", "unknown")) == 20
    table = queries.readiness_environment(Filters(), 10)["overseas_markets"]
    assert table.n == 20  # capability against environment: the 20 only


def test_a_number_resting_on_too_few_firms_is_hidden_and_not_given_away(app: Flask) -> None:
    """East: 40 firms, all exporting. West: 30 firms, 3 exporting. Central: 20 firms, all
    exporting. West's overseas mean (3 firms) is hidden; shown alone beside the total,
    central's would give it away, so it goes too — the regions' own groups stay shown."""
    add_rows([row_2027(region="east", province="jiangsu", overseas_markets_score=70.0)] * 40)
    add_rows([row_2027(region="west", province="sichuan", overseas_markets_score=10.0)] * 3)
    add_rows([row_2027(region="west", province="sichuan", overseas_applies=False)] * 27)
    add_rows([row_2027(region="central", province="hubei", overseas_markets_score=50.0)] * 20)
    region = {g.key: g for g in queries.segments(Filters(), 10).region.groups}
    assert not any(g.hidden for g in region.values())
    assert region["west"].is_hidden("overseas_markets")
    assert region["west"].mean("overseas_markets") is None
    assert region["west"].priority_hidden("cross_border_ecommerce")
    assert region["central"].is_hidden("overseas_markets")  # secondary
    assert region["east"].mean("overseas_markets") is not None
    assert region["west"].mean("financing") is not None  # its own n is 30
    stats = queries.summary_stats(Filters(), 10)
    west = next(g for g in stats["segments"]["region"] if g["key"] == "west")
    assert west["areas"]["overseas_markets"]["mean"] is None and west["n"] == 30
    assert west["high_priority"]["cross_border_ecommerce"]["share"] is None


def test_a_whole_selection_score_on_too_few_firms_is_hidden(app: Flask) -> None:
    add_rows([row_2027(overseas_markets_score=60.0)] * 6)
    add_rows([row_2027(overseas_applies=False)] * 30)
    ov = queries.overview(Filters(), 10)
    overseas = ov.metrics["overseas_markets"]
    assert overseas.hidden and overseas.levels == () and overseas.capability is None
    assert not ov.metrics["financing"].hidden
    stats = queries.summary_stats(Filters(), 10)
    assert stats["areas"]["overseas_markets"]["suppressed"] is True
    assert stats["areas"]["overseas_markets"]["mean"] is None
    assert stats["areas"]["overseas_markets"]["applicable"] is None  # 6 would say how few
    assert stats["areas"]["overseas_markets"]["not_applicable"] is None
    rec = stats["recommendations"]["cross_border_ecommerce"]
    assert rec["suppressed"] is True and rec["n"] is None and rec["not_applicable"] is None
    assert rec["high"]["share"] is None




def credit_rows(size: str, counts: tuple[int, ...]) -> list[dict[str, Any]]:
    return [row_2027(size_class=size, credit_constraint=cls)
            for cls, n in zip(CREDIT_CLASSES, counts, strict=True) for _ in range(n)]


def test_credit_constraint_shares_with_n_intervals_and_suppression(app: Flask) -> None:
    """Micro 30 and small 25 shown; large (4) hidden, and medium (12) with it, or the total
    less the shown sizes would give large away. 2026.1 rows (no class) count nowhere."""
    add_rows(credit_rows("micro", (6, 6, 6, 9, 3)))
    add_rows(credit_rows("small", (10, 8, 4, 2, 1)))
    add_rows(credit_rows("medium", (4, 4, 2, 2, 0)))
    add_rows(credit_rows("large", (2, 2, 0, 0, 0)))
    add_rows([row_2027(size_class="micro", credit_constraint=None, method_version="2026.1",
                       questionnaire_version="2026.1")] * 20)
    credit = queries.dashboard(Filters(), 10, parts={"credit"}).credit
    assert credit is not None
    total = credit.total
    assert total.n == 71 and not total.hidden and credit.unclassified == 20
    fully = total.shares["fully_constrained"]
    assert (fully.count, fully.n) == (13, 71)
    assert fully.interval is not None and fully.interval.low < 13 / 71 < fully.interval.high
    assert sum(s.count for s in total.shares.values()) == 71
    by_size = {g.key: g for g in credit.by_size}
    assert by_size["micro"].n == 30 and by_size["small"].n == 25
    assert by_size["micro"].shares["fully_constrained"].value == pytest.approx(9 / 30)
    assert by_size["large"].hidden and by_size["large"].n is None
    assert by_size["medium"].hidden and by_size["medium"].shares == {}
    hidden = {(0, k) for k, g in by_size.items() if g.hidden}
    counts = {(0, "micro"): 30, (0, "small"): 25, (0, "medium"): 12, (0, "large"): 4}
    assert leaks(hidden, counts, 10, [0], list(by_size), col_totals=False) == []
    stats = queries.summary_stats(Filters(), 10)["credit_constraint"]
    assert stats["n"] == 71 and stats["unclassified"] == 20
    assert stats["classes"]["fully_constrained"]["count"] == 13
    large = next(g for g in stats["by_size"] if g["key"] == "large")
    assert large["suppressed"] is True and large["n"] is None
    assert all(s["count"] is None for s in large["classes"].values())


def test_credit_constraint_of_a_small_or_old_selection(app: Flask) -> None:
    add_rows(credit_rows("micro", (3, 2, 1, 1, 0)))  # 7 firms with a class
    add_rows([row_2027(credit_constraint=None, method_version="2026.1")] * 20)
    credit = queries.dashboard(Filters(), 10, parts={"credit"}).credit
    assert credit is not None and credit.total.hidden and credit.total.n is None
    assert credit.unclassified is None  # 27 − n would give the hidden n away
    assert all(g.hidden for g in credit.by_size)
    none = queries.dashboard(Filters(size="small"), 10, parts={"credit"}).credit
    assert none is not None and none.total.n == 0 and not none.total.hidden


@pytest.mark.parametrize(("counts", "forced"), [
    ({"a": 40, "b": 12, "c": 3}, set()), ({"a": 40, "b": 12, "c": 30}, {"c"}),
    ({"a": 40, "b": 0, "c": 5, "d": 6}, set()), ({"a": 9, "b": 9}, set()),
    ({"a": 50, "b": 20, "c": 20}, {"b"}), ({"a": 50, "b": 0}, {"b"}),
])
def test_line_suppression_with_groups_already_hidden_leaks_nothing(
        counts: dict[str, int], forced: set[str]) -> None:
    from survey.queries.segments import line_hidden

    hidden = line_hidden(counts, 10, forced)
    assert forced <= hidden
    cells = {(0, k): v for k, v in counts.items()}
    numbers = {(0, k) for k in hidden if counts[k]}  # an empty member has no number to hide
    assert leaks(numbers, cells, 10, [0], list(counts), col_totals=False) == []
