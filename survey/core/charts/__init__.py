"""Numbers → charts: Plotly figure JSON plus the table and sentence that stand in for each.

Pure (no Flask, no SQLAlchemy). The inputs are the results of survey.queries (read by
attribute: n, means, intervals, hidden flags); every word arrives through `labels` (translated
strings with %(name)s placeholders, see survey/staff/chart_labels.py) and `names`
("namespace:id" → display name), so the same code draws English and Chinese charts.

Each chart carries its n (in the title), a one-sentence summary and a data table — the text
alternative on the page and, with ids instead of names, the chart's CSV. A suppressed group is
a row with blank numbers and `suppressed` set; it is written "hidden (n<10)" in the figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from survey.core.charts.counts import crosstab, readiness_environment, trend
from survey.core.charts.credit import credit_constraint
from survey.core.charts.figures import Labels, Names
from survey.core.charts.scores import (
    demand,
    demand_segments,
    distribution,
    industry_size,
    level_shares,
    region,
)
from survey.core.charts.tables import Chart, csv_rows, page_notes

__all__ = ["CHART_IDS", "CHART_PARTS", "Chart", "build_all", "csv_rows", "page_notes"]

CHART_PARTS: dict[str, str] = {
    "distribution": "overview", "levels": "overview", "industry_size": "segments",
    "region": "segments", "demand": "segments", "demand_segments": "segments",
    "readiness_environment": "readiness_environment", "crosstab": "crosstab",
    "credit_constraint": "credit", "trend_months": "months", "trend_waves": "waves",
}
"""Each chart id and the query result it is drawn from (so a CSV runs only that query)."""
CHART_IDS: tuple[str, ...] = tuple(CHART_PARTS)


def build_all(d: Any, levels: Sequence[tuple[str, float]], labels: Labels, names: Names,
              only: str | None = None) -> list[Chart]:
    """Every chart of the dashboard `d` (survey.queries.Dashboard), or just the one `only`."""
    k = d.min_group
    builders: dict[str, Any] = {
        "distribution": lambda: distribution(d.overview, labels, names, k),
        "levels": lambda: level_shares(d.overview, labels, names, k),
        "industry_size": lambda: industry_size(d.segments.grid, labels, names, k),
        "region": lambda: region(d.segments.region, labels, names, k),
        "demand": lambda: demand(d.segments.grid.total, labels, names, k),
        "demand_segments": lambda: demand_segments(d.segments, labels, names, k),
        "readiness_environment": lambda: readiness_environment(
            d.readiness_environment, levels, labels, names, k, d.overview),
        "crosstab": lambda: crosstab(d.crosstab, levels, labels, names, k),
        "credit_constraint": lambda: credit_constraint(d.credit, labels, names, k),
        "trend_months": lambda: trend(d.months, "trend_months", labels, names, k),
        "trend_waves": lambda: trend(d.waves, "trend_waves", labels, names, k),
    }
    ids = [only] if only else list(CHART_IDS)
    return [builders[i]() for i in ids]
