"""survey.core.charts: figure JSON that shows n, intervals, low precision and hidden groups
honestly."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from bench.seed import insert_rows
from survey import queries
from survey.core import formatting
from survey.core import stats as benchmarks
from survey.core.charts import CHART_IDS, Chart, build_all
from survey.core.charts.counts import crosstab
from survey.core.charts.figures import FONT
from survey.core.charts.scores import region
from survey.extensions import db
from survey.queries.base import GroupStats
from survey.queries.filters import Filters
from survey.queries.overview import freq_table
from survey.queries.segments import SegmentLine
from survey.staff import chart_labels
from tests.helpers import row_2027, synthetic_2027

K = 10


@pytest.fixture
def labels(bare_app: Flask) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    with bare_app.test_request_context("/?lang=en"):
        yield chart_labels.labels(), chart_labels.names()


def group(key: str, n: int, value: float = 50.0, hidden: bool = False) -> GroupStats:
    if hidden:
        return GroupStats(key, None, {}, {}, True)
    m = benchmarks.mean(n, value * n, value * value * n + 100.0 * (n - 1))
    return GroupStats(key, n, {metric: m for metric in queries.METRICS}, {}, False)


def test_hidden_group_is_written_out_never_drawn_as_zero(labels: Any) -> None:
    words, names = labels
    line = SegmentLine("region", (group("east", 200), group("west", 12, hidden=True),
                                  group("central", 20)), group("all", 240))
    chart = region(line, words, names, K)
    assert chart.figure is not None
    for trace in chart.figure["data"]:
        assert trace["y"][1] is None  # west: no bar at all, not a bar of 0
        assert trace["y"][0] == pytest.approx(50.0)
    texts = [a["text"] for a in chart.figure["layout"]["annotations"]]
    assert texts == ["hidden (n&lt;10)"]  # Plotly shows "hidden (n<10)"
    west_rows = [r for r in chart.table.rows if r["region"] == "west"]
    assert west_rows and all(r["suppressed"] and r["n"] is None and r["mean"] is None
                             for r in west_rows)


def test_low_precision_is_hatched_and_lighter_with_error_bars(labels: Any) -> None:
    words, names = labels
    line = SegmentLine("region", (group("east", 200), group("central", 20)), group("all", 220))
    trace = region(line, words, names, K).figure["data"][0]  # type: ignore[index]
    assert trace["marker"]["pattern"]["shape"] == ["", "/"]
    assert trace["marker"]["opacity"] == [1.0, 0.5]
    err = trace["error_y"]
    assert err["visible"] and all(x is not None and x > 0 for x in err["array"])


def test_crosstab_hides_suppressed_cells_with_text(labels: Any) -> None:
    words, names = labels
    cells = {(0, 0): 40, (0, 1): 5, (1, 0): 30, (1, 1): 30}
    table = freq_table(cells, 5, K)
    chart = crosstab(table, queries.base.DEFAULT_LEVELS, words, names, K)
    assert chart.figure is not None
    heat = chart.figure["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["z"][0][1] is None and heat["text"][0][1] == ""
    assert any("hidden" in a["text"] for a in chart.figure["layout"]["annotations"])
    suppressed = {(r["digital_technology_level"], r["financing_level"])
                  for r in chart.table.rows if r["suppressed"]}
    assert ("beginner", "emerging") in suppressed and len(suppressed) >= 2
    assert all(r["count"] is None for r in chart.table.rows if r["suppressed"])


def test_a_chart_with_too_few_smes_draws_nothing(labels: Any) -> None:
    words, names = labels
    line = SegmentLine("region", (group("east", 4, hidden=True),), group("all", 4, hidden=True))
    chart = region(line, words, names, K)
    assert chart.figure is None and chart.table.rows == ()
    assert "10" in chart.summary


@pytest.fixture
def all_charts(app: Flask) -> list[Chart]:
    insert_rows(db.session, synthetic_2027(400, seed=11))
    insert_rows(db.session, [row_2027(region=None, province=None)] * 3)  # region not stated
    db.session.commit()
    with app.test_request_context("/?lang=zh"):
        data = queries.dashboard(Filters(), K)
        return build_all(data, queries.level_bands(), chart_labels.labels(),
                         chart_labels.names(queries.wave_choices()))


def test_every_chart_is_honest_and_safe(all_charts: list[Chart]) -> None:
    assert [c.id for c in all_charts] == list(CHART_IDS)
    for chart in all_charts:
        fig = chart.figure
        if chart.id == "trend_waves":  # one wave: no trend to draw
            assert fig is None and chart.summary.startswith("趋势至少需要两个调查批次")
            continue
        assert fig is not None, chart.id
        json.dumps(fig)
        assert FONT in fig["layout"]["font"]["family"]
        assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"' in FONT
        assert fig["config"]["displaylogo"] is False and fig["config"]["responsive"] is True
        assert not any("geo" in t["type"] or t["type"] in ("choropleth", "scattermapbox")
                       for t in fig["data"]), chart.id
        assert "n = " in fig["layout"]["title"]["text"] or chart.id == "readiness_environment"
        assert chart.summary and chart.table.columns
        assert chart.table.columns[-1].id == "suppressed" or any(
            c.id == "suppressed" for c in chart.table.columns)


def test_a_region_of_three_is_hidden_with_a_complement(all_charts: list[Chart]) -> None:
    chart = next(c for c in all_charts if c.id == "region")
    hidden = {r["region"] for r in chart.table.rows if r["suppressed"]}
    assert None in hidden and len(hidden) == 2  # the three, and one more: N is shown
    texts = [a["text"] for a in chart.figure["layout"]["annotations"]]  # type: ignore[index]
    assert len(texts) == 2 and all("n&lt;10" in t for t in texts)


HOSTILE_WAVE = "<a href=x>click</a><b>bold</b>"


def test_wave_names_reach_charts_escaped(app: Flask) -> None:
    """Plotly renders <a href>, <b> and <span style> in labels: an admin's wave name must show
    as text in every figure, and as written in the summaries and tables (which are HTML-escaped
    by the page)."""
    from sqlalchemy import update

    from survey.models import Wave

    db.session.execute(update(Wave).values(name="Earlier"))
    later = Wave(name=HOSTILE_WAVE, starts_on=dt.date(2027, 1, 1))
    db.session.add(later)
    db.session.flush()
    insert_rows(db.session, synthetic_2027(60, seed=5))
    insert_rows(db.session, [dict(r, wave_id=later.id) for r in synthetic_2027(30, seed=6)])
    db.session.commit()
    with app.test_request_context("/"):
        charts = build_all(queries.dashboard(Filters(), K), queries.level_bands(),
                           chart_labels.labels(), chart_labels.names(queries.wave_choices()))
    escaped = "&lt;a href=x&gt;click&lt;/a&gt;&lt;b&gt;bold&lt;/b&gt;"
    trend = next(c for c in charts if c.id == "trend_waves")
    assert trend.figure is not None
    assert trend.figure["data"][0]["x"] == ["Earlier", escaped]
    for chart in charts:
        text = json.dumps(chart.figure, ensure_ascii=False)
        assert "<a" not in text and "<b>" not in text and "&amp;lt;" not in text, chart.id
    assert HOSTILE_WAVE in trend.summary and escaped not in trend.summary


def test_only_line_breaks_stay_markup() -> None:
    from survey.core.charts.figures import figure

    fig = figure([{"name": "R&D <i>x</i>", "x": ["a<br>b", "<span style='x'>"],
                   "hovertemplate": "%{x}<extra></extra>"}],
                 {"title": {"text": "5 < 6 > 4"}})
    trace = fig["data"][0]
    assert trace["name"] == "R&amp;D &lt;i&gt;x&lt;/i&gt;"
    assert trace["x"] == ["a<br>b", "&lt;span style='x'&gt;"]
    assert trace["hovertemplate"] == "%{x}<extra></extra>"
    assert fig["layout"]["title"]["text"] == "5 &lt; 6 &gt; 4"


def test_people_made_labels_cannot_inject_markup(labels: Any) -> None:
    words, names = labels
    line = SegmentLine("region", (group('<a href="javascript:x">east</a>', 200),),
                       group("all", 200))
    chart = region(line, words, names, K)
    cats = chart.figure["data"][0]["x"]  # type: ignore[index]
    assert cats == ['&lt;a href="javascript:x"&gt;east&lt;/a&gt;']


def test_every_data_table_has_distinct_headers(all_charts: list[Chart]) -> None:
    """Two columns both headed "Score band" could not be told apart."""
    for chart in all_charts:
        labels = [c.label for c in chart.table.columns]
        assert len(labels) == len(set(labels)), (chart.id, labels)


def test_hover_and_caption_write_means_as_the_tables_do(labels: Any) -> None:
    """52.8 is "53" everywhere: plotly's own %{y:.0f} and the old truncating filter
    disagreed with each other by a point."""
    words, names = labels
    m = benchmarks.mean(100, 5280.0, 5280.0**2 / 100 + 99 * 25.0)
    g = GroupStats("east", 100, {metric: m for metric in queries.METRICS}, {}, False)
    chart = region(SegmentLine("region", (g,), g), words, names, K)
    assert "East 53 (n = 100)" in chart.summary
    trace = chart.figure["data"][0]  # type: ignore[index]
    assert trace["customdata"] == [formatting.describe_mean(m)] == ["53 (52–54)"]
    assert "%{customdata}" in trace["hovertemplate"] and ":.0f" not in trace["hovertemplate"]


def test_trend_summary_uses_real_plurals(bare_app: Flask) -> None:
    from survey.core.charts.counts import trend
    from survey.queries.trends import Period, Trend

    one = Period("2026-03", "2026-03", ("2026.1",), group("m", 40), False)
    with bare_app.test_request_context("/?lang=en"):
        chart = trend(Trend("month", (one,), 40), "trend_months", chart_labels.labels(),
                      chart_labels.names(), K)
        two = trend(Trend("month", (one, Period("2026-04", "2026-04", ("2026.2",),
                                                group("m", 40), True)), 80),
                    "trend_months", chart_labels.labels(), chart_labels.names(), K)
    assert chart.figure is None  # one dot is not a trend
    assert chart.summary.startswith("A trend needs at least two months; this selection has one: "
                                    "2026-03 50")
    assert two.summary.startswith("2 periods;") and "1 questionnaire change." in two.summary


def test_the_default_wave_is_named_in_the_page_language(all_charts: list[Chart]) -> None:
    chart = next(c for c in all_charts if c.id == "trend_waves")
    assert "默认批次" in chart.summary and "Default wave" not in chart.summary  # ?lang=zh
    assert {r["period"] for r in chart.table.rows} == {"Default wave"}  # CSV: stored name


# --- method 2027.1 ----------------------------------------------------------------------

def _chart(charts: list[Chart], chart_id: str) -> Chart:
    return next(c for c in charts if c.id == chart_id)


@pytest.fixture
def charts_2027(app: Flask) -> list[Chart]:
    """Exporters and firms with no export plans, classes for most, one size too small."""
    rows = []
    for i in range(60):
        rows.append(row_2027(size_class="micro" if i < 35 else "small",
                             overseas_applies=i % 3 != 0, overseas_markets_score=60.0,
                             credit_constraint=("fully_constrained" if i % 4 == 0
                                                else "not_constrained")))
    rows += [row_2027(size_class="large", credit_constraint="no_need")] * 4
    insert_rows(db.session, rows)
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        data = queries.dashboard(Filters(), K)
        return build_all(data, queries.level_bands(), chart_labels.labels(),
                         chart_labels.names(queries.wave_choices()))


def test_the_credit_chart_shows_shares_n_and_hidden_sizes(charts_2027: list[Chart]) -> None:
    chart = _chart(charts_2027, "credit_constraint")
    assert chart.figure is not None and chart.n == 64
    assert "n = 64" in chart.figure["layout"]["title"]["text"]
    names = [t["name"] for t in chart.figure["data"]]
    assert names[0] == "All (n = 64)" and "Micro (n = 35)" in names
    hidden = [t for t in chart.figure["data"] if "hidden" in t["name"]]
    assert {t["name"].split(":")[0] for t in hidden} == {"Large", "Small"}  # 4, and 25 with it
    assert all(v is None for t in hidden for v in t["y"])
    rows = {(r["size"], r["credit_class"]): r for r in chart.table.rows}
    assert rows[("all", "fully_constrained")]["count"] == 15
    assert rows[("large", "no_need")]["suppressed"] and rows[("large", "no_need")]["n"] is None
    assert "Fully credit-constrained 23%" in chart.summary
    assert any("World Bank" in note and "0 SMEs" in note for note in chart.notes)
    err = chart.figure["data"][0]["error_y"]
    assert err["visible"] and all(x is not None for x in err["array"])


def test_overseas_charts_say_they_count_only_firms_it_applies_to(
        charts_2027: list[Chart]) -> None:
    for chart_id in ("distribution", "levels", "region", "readiness_environment"):
        notes = " ".join(_chart(charts_2027, chart_id).notes)
        assert ("Overseas markets: only the 44 SMEs to which this area applies are counted; "
                "it does not apply to 20.") in notes, chart_id
    demand = _chart(charts_2027, "demand")
    assert any(n.startswith("Cross-border e-commerce: it applies to 44 SMEs and not to 20; "
                            "high, medium and low shares are among those whose priority is "
                            "known") for n in demand.notes), demand.notes
    priorities = {(r["recommendation"], r["priority"]): r for r in demand.table.rows}
    assert priorities[("cross_border_ecommerce", "high")]["n"] == 44
    assert priorities[("financial_support", "high")]["n"] == 64


def test_capability_is_set_against_environment_with_both_means(
        charts_2027: list[Chart]) -> None:
    chart = _chart(charts_2027, "readiness_environment")
    assert chart.figure is not None
    headings = [a["text"] for a in chart.figure["layout"]["annotations"] if "(n = " in a["text"]]
    assert len(headings) == 3 and all("<br>capability " in h and "<br>environment " in h
                                      for h in headings)  # a line each: panels are narrow
    assert chart.figure["layout"]["yaxis"]["title"]["text"] == "Capability (the firm's own)"
    assert {c.id for c in chart.table.columns} >= {"capability_level", "environment_band"}
    assert "Mean capability and environment: Financing capability 50 (50–50)" in chart.summary


def test_a_number_hidden_on_its_own_n_is_flagged_not_left_blank(labels: Any) -> None:
    """A shown region whose overseas mean rests on too few firms: no bar, and the data table
    (and so the CSV) flags that one number as hidden rather than leaving it blank."""
    words, names = labels
    full = group("east", 200)
    m = full.means["overall"]
    west = GroupStats("west", 40, {"overall": m, "financing": m, "digital_technology": m},
                      {}, False, hidden_metrics=frozenset({"overseas_markets"}))
    chart = region(SegmentLine("region", (full, west), group("all", 240)), words, names, K)
    rows = {(r["region"], r["metric"]): r for r in chart.table.rows}
    assert rows[("west", "overseas_markets")]["suppressed"] is True
    assert rows[("west", "overseas_markets")]["mean"] is None
    assert rows[("west", "financing")]["suppressed"] is False
    overseas = next(t for t in chart.figure["data"]  # type: ignore[index]
                    if t["name"] == "Overseas markets")
    assert overseas["y"][1] is None and overseas["y"][0] is not None
