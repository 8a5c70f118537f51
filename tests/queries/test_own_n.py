"""Every number on its own n: means among the firms scored, priority shares among the firms
whose priority is known — suppressed on that n, in every table that shows it."""

from __future__ import annotations

import pytest
from flask import Flask

from survey import queries
from survey.queries.base import priority_key
from survey.queries.filters import Filters
from tests.helpers import add_rows, row_2027, staff_client


def test_a_mean_of_7_scored_firms_in_a_group_of_25_is_hidden(app: Flask) -> None:
    """West has 25 firms but only 7 with a financing score: its financing mean is hidden, and
    so is another region's, or everyone's mean minus the others would give it back."""
    add_rows([row_2027(region="east", score=50.0)] * 40)
    add_rows([row_2027(region="central", score=55.0)] * 30)
    add_rows([row_2027(region="west", score=60.0)] * 7)
    add_rows([row_2027(region="west", score=60.0, financing_score=None,
                       financing_capability=None, financing_env=None)] * 18)
    region = {g.key: g for g in queries.segments(Filters(), 10).region.groups}
    west = region["west"]
    assert not west.hidden and west.n == 25
    assert west.is_hidden("financing") and west.mean("financing") is None
    assert west.mean("digital_technology") is not None  # 25 scored: shown
    others = [k for k in ("east", "central") if region[k].is_hidden("financing")]
    assert len(others) == 1  # the smaller shown one protects west


def test_the_grid_hides_a_small_own_n_and_what_would_give_it_away(app: Flask) -> None:
    """Retail × micro: 20 firms, 6 with a financing score. Hidden in the cell, and the row,
    column or a neighbour goes too, so no line gives the 6 back."""
    add_rows([row_2027(industry="retail", size_class="micro")] * 6)
    add_rows([row_2027(industry="retail", size_class="micro", financing_score=None,
                       financing_capability=None, financing_env=None)] * 14)
    add_rows([row_2027(industry="retail", size_class="small")] * 30)
    add_rows([row_2027(industry="manufacturing", size_class="micro")] * 30)
    add_rows([row_2027(industry="manufacturing", size_class="small")] * 30)
    grid = queries.segments(Filters(), 10).grid
    cell = grid.cells[("retail", "micro")]
    assert not cell.hidden and cell.is_hidden("financing")
    row = [grid.cells[("retail", "small")], grid.row_totals["retail"]]
    col = [grid.cells[("manufacturing", "micro")], grid.col_totals["micro"]]
    assert any(g.is_hidden("financing") for g in row)
    assert any(g.is_hidden("financing") for g in col)
    lines = [(grid.row_totals["retail"], [grid.cells[("retail", c)] for c in grid.cols]),
             (grid.col_totals["micro"], [grid.cells[(r, "micro")] for r in grid.rows])]
    for total, members in lines:  # a shown total with one hidden member would give it away
        if not total.is_hidden("financing"):
            assert sum(g.is_hidden("financing") for g in members if g.n) != 1

def test_priority_shares_are_among_firms_whose_priority_is_known(app: Flask) -> None:
    """30 firms: 10 high, 10 low, 10 unknown. High is 10 of the 20 known (50 %), not 10 of 30;
    unknown is shown apart, 10 of the 30 it applies to."""
    add_rows([row_2027(priority_financial_support="high")] * 10)
    add_rows([row_2027(priority_financial_support="low")] * 10)
    add_rows([row_2027(priority_financial_support="unknown")] * 10)
    everyone = queries.segments(Filters(), 10).grid.total
    high = everyone.share("financial_support", "high")
    unknown = everyone.share("financial_support", "unknown")
    assert high is not None and (high.count, high.n, high.value) == (10, 20, 0.5)
    assert unknown is not None and (unknown.count, unknown.n) == (10, 30)
    assert everyone.known["financial_support"] == 20
    assert everyone.applicable["financial_support"] == 30
    body = staff_client(app).get("/api/v1/stats").get_json()
    rec = body["recommendations"]["financial_support"]
    assert (rec["n"], rec["known"], rec["not_applicable"]) == (30, 20, 0)
    assert rec["high"]["share"] == 0.5 and rec["unknown"]["share"] == pytest.approx(0.3333)


def test_priority_shares_are_hidden_when_few_are_known(app: Flask) -> None:
    """25 firms, only 6 with a known priority: the shares are hidden, on that n."""
    add_rows([row_2027(priority_financial_support="high")] * 6)
    add_rows([row_2027(priority_financial_support="unknown")] * 19)
    everyone = queries.segments(Filters(), 10).grid.total
    assert everyone.priority_hidden("financial_support")
    assert priority_key("financial_support") in everyone.hidden_metrics
    body = staff_client(app).get("/api/v1/stats").get_json()
    rec = body["recommendations"]["financial_support"]
    assert rec["suppressed"] and rec["high"]["share"] is None and rec["known"] is None
