"""Charts a reader takes in at a glance: low-precision bars that stay visible, one colour per
area, priority and size class, heatmap colours spread over the values shown with hidden cells
set apart, one level order, no trend drawn from one period, and method notes written once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from survey import queries
from survey.core import stats as benchmarks
from survey.core.charts import Chart, build_all, page_notes, palette
from survey.core.charts.counts import crosstab, readiness_environment, trend
from survey.core.charts.heatmaps import fitted_range
from survey.core.charts.scores import region
from survey.core.questionnaire.schema import AREAS, METRICS
from survey.core.scoring import PRIORITIES
from survey.queries.base import DEFAULT_LEVELS, GroupStats
from survey.queries.filters import Filters
from survey.queries.overview import freq_table
from survey.queries.segments import SegmentLine
from survey.queries.trends import Period, Trend
from survey.staff import chart_labels
from tests.helpers import add_rows, synthetic_2027

K = 10
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def words(bare_app: Flask) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    with bare_app.test_request_context("/?lang=en"):
        yield chart_labels.labels(), chart_labels.names()


@pytest.fixture
def charts(app: Flask) -> list[Chart]:
    add_rows(synthetic_2027(400, seed=11))
    with app.test_request_context("/?lang=en"):
        return build_all(queries.dashboard(Filters(), K), queries.level_bands(),
                         chart_labels.labels(), chart_labels.names(queries.wave_choices()))


def group(key: str, n: int, value: float = 50.0) -> GroupStats:
    m = benchmarks.mean(n, value * n, value * value * n + 100.0 * (n - 1))
    return GroupStats(key, n, {metric: m for metric in METRICS}, {}, False)


def by_id(charts: list[Chart], chart_id: str) -> Chart:
    return next(c for c in charts if c.id == chart_id)


# --- bars -------------------------------------------------------------------------------

def test_a_hatched_bar_keeps_its_colour(words: Any) -> None:
    """The hatch pattern drew white stripes on nothing: a group under n = 30 vanished."""
    labels, names = words
    line = SegmentLine("region", (group("east", 200), group("central", 20)), group("all", 220))
    for trace in region(line, labels, names, K).figure["data"]:  # type: ignore[index]
        marker = trace["marker"]
        assert marker["pattern"]["shape"] == ["", "/"]
        assert marker["pattern"]["bgcolor"] == marker["color"] != "#ffffff"
        assert trace["y"][1] is not None and trace["y"][1] > 0


def test_every_bar_of_every_chart_keeps_its_colour_under_its_hatch(charts: list[Chart]
                                                                    ) -> None:
    bars = [t for c in charts if c.figure for t in c.figure["data"] if t["type"] == "bar"]
    assert bars
    for trace in bars:
        assert trace["marker"]["pattern"]["bgcolor"] == trace["marker"]["color"], trace["name"]


# --- colours ----------------------------------------------------------------------------

def test_each_area_and_priority_has_one_colour_on_every_chart(app: Flask,
                                                              charts: list[Chart]) -> None:
    with app.test_request_context("/?lang=en"):
        names = chart_labels.names()
    seen: dict[str, set[str]] = {}
    for chart in charts:
        for t in chart.figure["data"] if chart.figure else ():
            colour = t.get("marker", {}).get("color") if t["type"] == "bar" else (
                t.get("line", {}).get("color"))
            if colour is not None:
                seen.setdefault(t["name"].split(" (")[0], set()).add(colour)
    for metric in METRICS:
        assert seen[names[f"metric:{metric}"]] == {palette.METRIC_COLOURS[metric]}, metric
    for p in PRIORITIES:
        assert seen[names[f"priority:{p}"]] == {palette.PRIORITY_COLOURS[p]}, p
    known = {*palette.METRIC_COLOURS.values(), *palette.PRIORITY_COLOURS.values(),
             *palette.SIZE_COLOURS.values(), palette.ALL_COLOUR, palette.NOT_STATED_COLOUR}
    assert set().union(*seen.values()) <= known


def test_the_stylesheet_writes_priorities_in_the_charts_colours() -> None:
    """The staff pages write priorities as coloured text; they must match the charts."""
    css = (ROOT / "static/css/site.css").read_text(encoding="utf-8")
    declared = dict(re.findall(r"--priority-(\w+):\s*(#[0-9a-fA-F]{6})", css))
    assert declared == palette.PRIORITY_COLOURS


def test_no_chart_module_writes_a_colour_of_its_own() -> None:
    """One home for colours: palette.py (a hex code anywhere else in the charts is a second
    one)."""
    for path in (ROOT / "survey/core/charts").glob("*.py"):
        if path.name in ("palette.py", "report_svg.py"):
            continue
        assert not re.findall(r'"#[0-9a-fA-F]{6}"', path.read_text(encoding="utf-8")), path.name


# --- heatmaps ---------------------------------------------------------------------------

def test_the_colour_scale_fits_the_values_shown() -> None:
    assert fitted_range([38.2, 51.0, 74.6], high=100) == (35, 75)
    assert fitted_range([12, 40, 55]) == (10, 60)
    assert fitted_range([3, 1234]) == (0, 1400)  # counts
    assert fitted_range([50.0], high=100) == (40, 60)
    assert fitted_range([100.0], high=100) == (80, 100)
    assert fitted_range([]) == (0, 1)


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40))
def test_a_fitted_scale_always_holds_every_value_within_its_bounds(values: list[float]
                                                                   ) -> None:
    lo, hi = fitted_range(values, high=100)
    assert 0 <= lo <= min(values) and max(values) <= hi <= 100 and lo < hi


def test_every_heatmap_is_scaled_to_its_shown_values(charts: list[Chart]) -> None:
    heat = [(c.id, t) for c in charts if c.figure for t in c.figure["data"]
            if t["type"] == "heatmap"]
    assert {cid for cid, _ in heat} == {"industry_size", "demand_segments",
                                        "readiness_environment", "crosstab"}
    for chart_id, t in heat:
        shown = [v for row in t["z"] for v in row if v is not None]
        assert t["zmin"] <= min(shown) and max(shown) <= t["zmax"], chart_id
        if chart_id == "industry_size":
            assert t["zmax"] - t["zmin"] < 60, (t["zmin"], t["zmax"])  # not 0–100
    panels = [t for cid, t in heat if cid == "readiness_environment"]
    assert len(panels) == 3 and len({(t["zmin"], t["zmax"]) for t in panels}) == 1


def test_a_hidden_cell_is_hatched_labelled_and_outside_the_scale(words: Any) -> None:
    labels, names = words
    table = freq_table({(0, 0): 40, (0, 1): 5, (1, 0): 30, (1, 1): 30}, 5, K)
    fig = crosstab(table, DEFAULT_LEVELS, labels, names, K).figure
    assert fig is not None
    lay = fig["layout"]
    heat = fig["data"][0]
    assert heat["z"][0][1] is None
    assert lay["plot_bgcolor"] == palette.HIDDEN_FILL
    assert palette.HIDDEN_FILL not in {c for _, c in palette.SEQUENTIAL}
    hatch = [s for s in lay["shapes"] if s["line"]["color"] == palette.HIDDEN_HATCH]
    in_cell = [s for s in hatch if min(s["x0"], s["x1"]) >= 0.5 and max(s["x0"], s["x1"]) <= 1.5
               and min(s["y0"], s["y1"]) >= -0.5 and max(s["y0"], s["y1"]) <= 0.5]
    assert len(in_cell) >= 3
    hidden = [a for a in lay["annotations"] if "hidden" in a["text"]]
    assert hidden and all(a["bgcolor"] == palette.HIDDEN_FILL for a in hidden)


def test_both_level_heatmaps_read_levels_in_the_same_order(words: Any) -> None:
    labels, names = words
    table = freq_table({(i, j): 20 for i in range(5) for j in range(5)}, 5, K)
    cross = crosstab(table, DEFAULT_LEVELS, labels, names, K).figure
    panels = readiness_environment({a: table for a in AREAS}, DEFAULT_LEVELS, labels, names,
                                   K).figure
    assert cross is not None and panels is not None
    levels = [names[f"level:{lid}"] for lid, _ in DEFAULT_LEVELS]
    assert cross["data"][0]["y"][:len(levels)] == levels == panels["data"][0]["y"]
    assert cross["data"][0]["x"][:len(levels)] == levels
    y_axes = [cross["layout"]["yaxis"]] + [panels["layout"][k] for k in panels["layout"]
                                            if k.startswith("yaxis")]
    assert {ax.get("autorange") for ax in y_axes} == {"reversed"}
    assert not any(panels["layout"][k].get("autorange") for k in panels["layout"]
                   if k.startswith("xaxis")) and "autorange" not in cross["layout"]["xaxis"]


def test_heatmaps_keep_a_readable_width_and_bars_shrink(charts: list[Chart]) -> None:
    for chart in charts:
        heat = chart.figure is not None and chart.figure["data"][0]["type"] == "heatmap"
        assert (chart.min_width >= 560) if heat else chart.min_width == 0, chart.id


# --- trends -----------------------------------------------------------------------------

def test_one_period_is_a_sentence_not_a_trend(words: Any) -> None:
    labels, names = words
    one = Period(1, "Spring", ("2027.1",), group("w", 40), False)
    chart = trend(Trend("wave", (one,), 40), "trend_waves", labels, names, K)
    assert chart.figure is None
    assert chart.summary.startswith("A trend needs at least two survey waves")
    assert "Spring 50" in chart.summary and len(chart.table.rows) == len(METRICS)
    two = trend(Trend("wave", (one, Period(2, "Autumn", ("2027.1",), group("w", 40), False)),
                      80), "trend_waves", labels, names, K)
    assert two.figure is not None and len(two.figure["data"][0]["x"]) == 2


# --- notes ------------------------------------------------------------------------------

def test_method_notes_are_written_once_per_page(charts: list[Chart]) -> None:
    once = page_notes(charts)
    assert len(once) == len(set(once)) >= 3
    assert any("95% intervals" in n for n in once) and any("n < 30" in n for n in once)
    for chart in charts:
        assert not set(chart.notes) & set(once), chart.id
        assert set(chart.method_notes) <= set(once) or chart.figure is None
    breaks = by_id(charts, "trend_months").notes
    assert all("Dashed" not in n for n in breaks)  # no questionnaire change: no dashed line
