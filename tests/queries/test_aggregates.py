"""survey.queries: SQL aggregates on SQLite and PostgreSQL, a fixed number of statements."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from bench.seed import insert_drafts
from survey import queries
from survey.core.suppression import MARGIN, leaks
from survey.extensions import db
from survey.models import Assessment, Wave
from survey.queries.filters import Filters
from tests.helpers import add_rows, as_source, row_2027, synthetic_2027


@contextmanager
def counting() -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block."""
    statements: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


# --- headline numbers --------------------------------------------------------------------

def test_overview_counts_means_levels_and_bins(app: Flask) -> None:
    add_rows([row_2027(score=s, duration_seconds=d)
         for s, d in [(10, 100), (25, 200), (45, 300), (65, 400), (85, 500), (100, 600)]])
    as_source("web")
    add_rows([row_2027(score=50, is_demo=True, duration_seconds=10_000)])
    as_source("demo")
    ov = queries.overview(Filters(demo="exclude"), min_group=1)
    assert ov.n == 6 and ov.n_demo == 0
    fin = ov.metrics["financing"]
    assert fin.mean.n == 6 and fin.mean.value == pytest.approx(55.0)
    at_least = {ls.level: ls.at_or_above.count for ls in fin.levels}
    assert at_least == {"beginner": 6, "emerging": 5, "developing": 4, "established": 3,
                        "leading": 2}
    bins = {(b.low, b.high): b.share.count for b in fin.bins}
    assert bins[(10, 20)] == 1 and bins[(20, 30)] == 1 and bins[(90, 100)] == 1  # 100 is in
    assert sum(bins.values()) == 6
    assert ov.median_duration == 350.0  # even count: mean of 300 and 400
    assert ov.durations_n == 6
    with_demo = queries.overview(Filters(demo="include"), min_group=1)
    assert with_demo.n == 7 and with_demo.n_demo == 1
    assert (with_demo.durations_n, with_demo.median_duration) == (6, 350.0)  # demo: no time


def test_api_and_demo_submissions_do_not_move_time_or_dropout(app: Flask) -> None:
    """API submissions arrive whole (no time, no draft) and demo rows are made up: counted,
    3,000 of them would pull drop-out towards 0 % and the median time towards nothing."""
    add_rows([row_2027(duration_seconds=d) for d in (500, 600, 700, 800, 900)] * 4)
    insert_drafts(db.session, 10)
    db.session.commit()
    as_source("web")
    add_rows([row_2027(duration_seconds=None)] * 300)  # API submissions since durations are NULL
    add_rows([row_2027(duration_seconds=0)] * 200)  # API submissions stored before that rule
    as_source("api")
    add_rows([row_2027(is_demo=True, duration_seconds=5)] * 500)
    as_source("demo")
    ov = queries.overview(Filters(demo="include"), 10)
    assert ov.n == 1020
    assert (ov.durations_n, ov.median_duration) == (20, 700.0)
    st = ov.starters
    assert (st.drafts, st.submitted) == (10, 20)
    assert st.dropout is not None and st.dropout.value == pytest.approx(1 / 3)
    stats = queries.summary_stats(Filters(demo="include"), 10)
    assert stats["median_duration_seconds"] == 700.0 and stats["median_duration_n"] == 20
    assert stats["starters"]["drafts"] == 10 and stats["starters"]["submitted"] == 20


def test_median_is_hidden_below_the_minimum_group(app: Flask) -> None:
    add_rows([row_2027(duration_seconds=d) for d in (100, 200, 300)])
    as_source("web")
    add_rows([row_2027(duration_seconds=None)] * 20)
    as_source("api")
    ov = queries.overview(Filters(), 10)
    assert ov.durations_n == 3 and ov.median_duration is None


@pytest.mark.parametrize("filters", [
    Filters(month_from="0000-01"), Filters(month_to="9999-12"), Filters(month_from="9999-12"),
    Filters(month_to="0000-01"), Filters(month_from="0000-01", month_to="9999-12"),
])
def test_month_filters_at_the_ends_of_the_calendar_never_raise(app: Flask,
                                                                filters: Filters) -> None:
    """datetime holds years 1 … 9999: "year 0 / 10000 is out of range" used to be a 500."""
    add_rows([row_2027()] * 12)
    insert_drafts(db.session, 3)
    db.session.commit()
    as_source("web")
    ov = queries.overview(filters, 10)
    wide_open = filters.month_from in (None, "0000-01") and filters.month_to in (None,
                                                                                "9999-12")
    assert ov.starters.available
    assert (ov.starters.drafts, ov.starters.submitted) == ((3, 12) if wide_open else (0, 0))
    queries.summary_stats(filters, 10)
    queries.brief(filters, 10)


def test_everything_is_hidden_below_the_minimum_group(app: Flask) -> None:
    add_rows([row_2027(score=40)] * 9)
    ov = queries.overview(Filters(), min_group=10)
    assert ov.n == 9 and ov.hidden and ov.metrics == {} and ov.median_duration is None
    stats = queries.summary_stats(Filters(), 10)
    assert stats["suppressed"] is True and stats["overall"]["mean"] is None


def test_dropout_among_starters(app: Flask) -> None:
    add_rows([row_2027()] * 30)
    insert_drafts(db.session, 10)
    db.session.commit()
    as_source("web")
    ov = queries.overview(Filters(demo="exclude"), 10)
    st = ov.starters
    assert st.available and (st.drafts, st.submitted) == (10, 30)
    assert st.dropout is not None and st.dropout.value == 0.25
    assert not queries.overview(Filters(region="east"), 10).starters.available
    later = queries.overview(Filters(month_from="2026-04"), 10).starters
    assert later.drafts == 0


def test_filters_change_the_numbers(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu", score=70)] * 12)
    add_rows([row_2027(region="west", province="sichuan", score=30)] * 15)
    add_rows([row_2027(region="west", province="sichuan", score=30, month="2026-05")] * 11)
    everyone = queries.overview(Filters(), 10)
    east = queries.overview(Filters(region="east"), 10)
    may = queries.overview(Filters(month_from="2026-05", month_to="2026-05"), 10)
    assert (everyone.n, east.n, may.n) == (38, 12, 11)
    assert east.metrics["overall"].mean.value == pytest.approx(70.0)
    assert may.metrics["overall"].mean.value == pytest.approx(30.0)


# --- segments and suppression ------------------------------------------------------------

def test_segment_grid_suppresses_small_cells_and_their_complements(app: Flask) -> None:
    add_rows([row_2027(industry="manufacturing", size_class="small")] * 30)
    add_rows([row_2027(industry="manufacturing", size_class="medium")] * 12)
    add_rows([row_2027(industry="manufacturing", size_class="large")] * 40)
    add_rows([row_2027(industry="construction", size_class="small")] * 25)
    add_rows([row_2027(industry="construction", size_class="medium")] * 4)
    add_rows([row_2027(industry="construction", size_class="large")] * 20)
    grid = queries.segments(Filters(), 10).grid
    small_cell = grid.cells[("construction", "medium")]
    assert small_cell.hidden and small_cell.n is None and small_cell.means == {}
    hidden = {key for key, g in grid.cells.items() if g.hidden}
    # construction's total (49) is shown: its next-smallest cell (large, 20) goes too; the
    # medium column's total is shown: manufacturing-medium (12) goes; then manufacturing's row
    # has one hidden… no: two (medium and, via the large column, large).
    assert hidden == {("construction", "medium"), ("construction", "large"),
                      ("manufacturing", "medium"), ("manufacturing", "large")}
    assert grid.cells[("manufacturing", "small")].n == 30
    assert grid.row_totals["construction"].n == 49
    assert grid.total.n == 131


def other_row_case() -> None:
    """The tester's table: Other × Medium and Other × Large have one firm each; the Other row
    (78) minus the shown Micro (48) and Small (28) used to give the pair away, mean and all."""
    add_rows([row_2027(industry="other", size_class="micro", score=36.9)] * 48)
    add_rows([row_2027(industry="other", size_class="small", score=54.3)] * 28)
    add_rows([row_2027(industry="other", size_class="medium", score=60.0)])
    add_rows([row_2027(industry="other", size_class="large", score=64.8)])
    for industry in ("manufacturing", "construction"):
        for size, n in (("micro", 50), ("small", 40), ("medium", 30), ("large", 20)):
            add_rows([row_2027(industry=industry, size_class=size)] * n)


def test_hidden_cells_of_a_shown_total_together_make_a_group(app: Flask) -> None:
    other_row_case()
    grid = queries.segments(Filters(), 10).grid
    assert not grid.row_totals["other"].hidden and grid.row_totals["other"].n == 78
    shown = sum(grid.cells[("other", c)].n or 0 for c in grid.cols
                if not grid.cells[("other", c)].hidden)
    assert 78 - shown >= 10  # what the total minus the shown cells reveals is a real group
    counts = {(r, c): 0 for r in grid.rows for c in grid.cols}
    for r, c, n in [("other", "micro", 48), ("other", "small", 28), ("other", "medium", 1),
                    ("other", "large", 1)]:
        counts[(r, c)] = n
    for r in ("manufacturing", "construction"):
        counts.update({(r, "micro"): 50, (r, "small"): 40, (r, "medium"): 30,
                       (r, "large"): 20})
    hidden = {k for k, g in grid.cells.items() if g.hidden}
    hidden |= {(r, MARGIN) for r, g in grid.row_totals.items() if g.hidden}
    hidden |= {(MARGIN, c) for c, g in grid.col_totals.items() if g.hidden}
    assert leaks(hidden, counts, 10, list(grid.rows), list(grid.cols)) == []
    stats = queries.summary_stats(Filters(), 10)
    industry = {g["key"]: g for g in stats["segments"]["industry"]}
    assert industry["other"]["n"] == 78  # the margin itself is a group of 78: shown


def test_a_two_by_two_with_one_small_cell_hides_all_four(app: Flask) -> None:
    add_rows([row_2027(industry="manufacturing", size_class="small")] * 30)
    add_rows([row_2027(industry="manufacturing", size_class="medium")] * 12)
    add_rows([row_2027(industry="construction", size_class="small")] * 25)
    add_rows([row_2027(industry="construction", size_class="medium")] * 4)
    grid = queries.segments(Filters(), 10).grid
    assert all(g.hidden for g in grid.cells.values())
    assert not any(g.hidden for g in grid.row_totals.values())


def test_region_line_has_secondary_suppression(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu")] * 40)
    add_rows([row_2027(region="west", province="sichuan")] * 12)
    add_rows([row_2027(region="central", province="hubei")] * 3)
    region = queries.segments(Filters(), 10).region
    by_key = {g.key: g for g in region.groups}
    assert by_key["central"].hidden and by_key["west"].hidden  # 12 hides with the 3
    assert by_key["east"].n == 40


def test_crosstab_and_readiness_environment(app: Flask) -> None:
    add_rows([row_2027(digital_technology_score=70, financing_score=30, financing_env=90)] * 20)
    add_rows([row_2027(digital_technology_score=10, financing_score=90, financing_env=10)] * 15)
    add_rows([row_2027(digital_technology_score=None, financing_score=90, financing_env=None)] * 5)
    table = queries.level_crosstab(Filters(), 10)
    assert table.n == 35
    assert table.count(3, 1) == 20 and table.count(0, 4) == 15
    assert table.count(MARGIN, MARGIN) == 35
    env = queries.readiness_environment(Filters(), 10)["financing"]
    assert env.count(1, 4) == 20 and env.count(4, 0) == 15
    small = queries.level_crosstab(Filters(), 16)
    assert small.count(0, 4) is None and small.count(3, 1) is None  # secondary


def test_trends_mark_questionnaire_breaks(app: Flask) -> None:
    add_rows([row_2027(month="2026-01", score=40, questionnaire_version="2026.1")] * 12)
    add_rows([row_2027(month="2026-02", score=50, questionnaire_version="2026.1")] * 12)
    add_rows([row_2027(month="2026-03", score=60, questionnaire_version="2026.2")] * 12)
    add_rows([row_2027(month="2026-04", score=60, questionnaire_version="2026.2")] * 3)
    trend = queries.by_month(Filters(), 10)
    assert [p.key for p in trend.periods] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [p.break_before for p in trend.periods] == [False, False, True, False]
    assert trend.periods[2].stats.means["overall"].value == pytest.approx(60.0)
    assert trend.periods[3].stats.hidden  # 3 < 10
    assert sum(p.stats.hidden for p in trend.periods) == 2  # and one more: N is shown
    waves = queries.by_wave(Filters(), 10)
    assert len(waves.periods) == 1 and waves.periods[0].mixed and waves.n == 39


# --- summary_stats (GET /api/v1/stats) ---------------------------------------------------

def test_summary_stats_shape(app: Flask) -> None:
    add_rows(synthetic_2027(300, seed=4))
    stats = queries.summary_stats(Filters(), 10)
    json.dumps(stats)  # JSON-ready
    assert stats["n"] == 300 and stats["suppressed"] is False
    assert set(stats["areas"]) == {"financing", "digital_technology", "overseas_markets"}
    fin = stats["areas"]["financing"]
    assert fin["ci"][0] <= fin["mean"] <= fin["ci"][1]
    assert fin["levels"]["beginner"]["share"] == 1.0
    rec = stats["recommendations"]["financial_support"]
    assert rec["n"] == 300
    assert sum(rec[p]["count"] for p in ("high", "medium", "low", "unknown")) == 300
    assert rec["high"]["ci"][0] <= rec["high"]["share"] <= rec["high"]["ci"][1]
    for groups in stats["segments"].values():
        for g in groups:
            assert g["suppressed"] == (g["n"] is None)


# --- a fixed number of statements --------------------------------------------------------

def _seed(count: int) -> None:
    add_rows(synthetic_2027(count, seed=count))
    insert_drafts(db.session, 5)
    db.session.commit()


def _statements(run: Any) -> int:
    with counting() as statements:
        run()
    return len(statements)


def _workload() -> Mapping[str, Any]:
    me = db.session.scalars(select(Assessment).limit(1)).one()
    return {
        "dashboard": lambda: queries.dashboard(Filters(), 10),
        "brief": lambda: queries.brief(Filters(), 10),
        "summary": lambda: queries.summary_stats(Filters(), 10),
        "peers": lambda: queries.peer_percentiles(me, 1),
        "filtered": lambda: queries.dashboard(Filters(region="east", month_from="2025-03"), 10),
    }


def test_query_count_does_not_grow_with_the_number_of_assessments(app: Flask) -> None:
    _seed(50)
    small = {name: _statements(run) for name, run in _workload().items()}
    _seed(450)
    assert db.session.scalar(select(db.func.count()).select_from(Assessment)) == 500
    large = {name: _statements(run) for name, run in _workload().items()}
    assert small == large
    # Six of the dashboard's statements are the relaxation rule's, one small GROUP BY of the
    # cells per cell base (survey.queries.disclosure.BASES).
    assert large["dashboard"] <= 14 and large["peers"] == 3


def test_waves_are_listed_newest_first(app: Flask) -> None:
    db.session.add(Wave(name="2026 H1", starts_on=dt.date(2026, 1, 1),
                        ends_on=dt.date(2026, 6, 30)))
    db.session.commit()
    assert [name for _, name in queries.wave_choices()][0] == "2026 H1"
