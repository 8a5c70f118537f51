"""The parts every dashboard chart is made of: its table, notes, CSV rows and axes (pure).

A chart is a Plotly figure plus the table and sentence that stand in for it; the table, with ids
instead of names, is also the chart's CSV, so what an analyst downloads is what they saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.core.charts.figures import Labels, fmt_int, text_px
from survey.core.rounding import half_up


@dataclass(frozen=True)
class Column:
    """A table column: `id` heads the CSV (never translated), `label` the page's table.

    `kind` tells the page how to show a value: "key:<namespace>" (a category id, shown by its
    name), "segment" (an id whose namespace is the row's "dimension"), "count", "number",
    "share" (0–1), "score" (0–100), "flag" or "text".
    """

    id: str
    label: str
    kind: str


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]


HEATMAP_MIN_WIDTH, HEATMAP_CELL_MIN, HEATMAP_FRAME = 480, 56, 110
"""A heatmap needs its row labels, each column as wide as its label and its cells' text (at
least "hidden" and "(n<10)" on two lines), and room for axis titles and margins."""


@dataclass(frozen=True)
class Chart:
    """A chart: `notes` are about its own numbers (what they are among, what is hidden);
    `method_notes` explain conventions every chart shares (error bars, hatching, hidden
    groups), which the page writes once however many charts use them (`page_notes`)."""

    id: str
    title: str
    n: int | None
    figure: dict[str, Any] | None
    summary: str
    table: Table
    notes: tuple[str, ...] = field(default=())
    method_notes: tuple[str, ...] = field(default=())

    @property
    def min_width(self) -> int:
        """The narrowest width (px) the figure can be read at: 0 for charts that shrink to
        any screen, more for heatmaps, whose cells and labels would overlap on a phone, so
        there the page scrolls them sideways instead."""
        heat = [t for t in (self.figure or {}).get("data", ()) if t.get("type") == "heatmap"]
        if not heat:
            return 0
        rows = max(text_px(y) for t in heat for y in t["y"])
        cells = sum(
            len(t["x"]) * (max(HEATMAP_CELL_MIN, *(text_px(x) for x in t["x"]),
                               *(text_px(c) for row in t["text"] for c in row)) + 8)
            for t in heat)
        scale = 90 if any(t.get("showscale") for t in heat) else 0
        return int(max(HEATMAP_MIN_WIDTH, rows + cells + scale + HEATMAP_FRAME))


def notes(labels: Labels, k: int, *keys: str) -> tuple[str, ...]:
    return tuple(labels[key] % {"k": k} if "%(k)s" in labels[key] else labels[key]
                 for key in keys)


def page_notes(charts: Sequence[Chart]) -> tuple[str, ...]:
    """The method notes of the drawn charts, each once, in the order they first appear."""
    return tuple(dict.fromkeys(note for c in charts if c.figure is not None
                               for note in c.method_notes))


def empty_chart(chart_id: str, title: str, n: int | None, labels: Labels, k: int,
                columns: tuple[Column, ...], hidden: bool | None = None) -> Chart:
    """A chart with nothing to draw: no rows at all, or fewer than `k` behind it (`hidden`;
    by default, any n > 0 here is a hidden one)."""
    hidden = bool(n) if hidden is None else hidden
    message = labels["hidden_chart"] % {"k": k} if hidden else labels["empty"]
    return Chart(chart_id, title, n, None, message, Table(columns, ()), ())


def mean_cols(labels: Labels) -> tuple[Column, ...]:
    return (Column("n", labels["col.n"], "count"), Column("mean", labels["col.mean"], "score"),
            Column("ci_low", labels["col.ci_low"], "score"),
            Column("ci_high", labels["col.ci_high"], "score"),
            Column("low_precision", labels["col.low_precision"], "flag"),
            Column("suppressed", labels["col.suppressed"], "flag"))


def share_cols(labels: Labels) -> tuple[Column, ...]:
    return (Column("n", labels["col.n"], "count"), Column("count", labels["col.count"], "count"),
            Column("share", labels["col.share"], "share"),
            Column("ci_low", labels["col.ci_low"], "share"),
            Column("ci_high", labels["col.ci_high"], "share"),
            Column("low_precision", labels["col.low_precision"], "flag"),
            Column("suppressed", labels["col.suppressed"], "flag"))


def mean_values(m: Any, hidden: bool) -> dict[str, Any]:
    """A table row's numbers for a mean — all blank when the group is suppressed.

    Unrounded: the page formats them (survey.core.stats, as everywhere) and the CSV rounds
    them (`csv_value`), so neither rounds an already rounded number.
    """
    if hidden or m is None:
        return {"n": None, "mean": None, "ci_low": None, "ci_high": None,
                "low_precision": None, "suppressed": bool(hidden)}
    iv = m.interval
    return {"n": m.n, "mean": m.value, "ci_low": iv.low if iv else None,
            "ci_high": iv.high if iv else None, "low_precision": m.low_precision,
            "suppressed": False}


def share_values(s: Any, hidden: bool = False) -> dict[str, Any]:
    if hidden or s is None:
        return {"n": None, "count": None, "share": None, "ci_low": None, "ci_high": None,
                "low_precision": None, "suppressed": bool(hidden)}
    iv = s.interval
    return {"n": s.n, "count": s.count, "share": s.value,
            "ci_low": iv.low if iv else None, "ci_high": iv.high if iv else None,
            "low_precision": s.low_precision, "suppressed": False}


CSV_DIGITS = {"score": 1, "share": 4}
"""Decimals kept in a chart's CSV: a tenth of a score point, a hundredth of a percent."""


def csv_value(column: Column, value: Any) -> Any:
    """A table value as the chart's CSV writes it (ids stay ids, numbers are rounded)."""
    digits = CSV_DIGITS.get(column.kind)
    if digits is None or value is None or isinstance(value, bool):
        return value
    return half_up(float(value), digits)


def csv_rows(chart: Chart) -> list[list[Any]]:
    return [[csv_value(c, row.get(c.id)) for c in chart.table.columns]
            for row in chart.table.rows]


def n_label(labels: Labels, n: int | None) -> str:
    return str(labels["n"] % {"n": fmt_int(n)})


def axis_layout(text: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": text}, "automargin": True, **extra}


SHARE_AXIS = {"ticksuffix": "%", "rangemode": "tozero", "range": [0, 100]}
