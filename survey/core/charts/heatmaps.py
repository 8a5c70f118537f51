"""Heatmaps: cells filled row by row, a colour scale fitted to what is shown, hidden cells
hatched and labelled, and the one order levels are read in (pure).

A scale from 0 to 100 over values that all sit between 38 and 75 paints every cell pale, and a
pale cell looks like a hidden one; so the scale runs over the shown values, rounded outwards,
and a hidden cell is white, hatched and written "hidden (n<10)" — outside the scale entirely.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from survey.core.charts.figures import wrap
from survey.core.charts.palette import (
    CELL_TEXT,
    HIDDEN_FILL,
    HIDDEN_HATCH,
    HIDDEN_TEXT,
    SEQUENTIAL,
)
from survey.core.charts.tables import axis_layout

HATCH_LINES = (0.4, 0.8, 1.2, 1.6)
"""Where a hidden cell's hatching crosses it: lines u + v = c in the cell's unit square."""


@dataclass
class HeatGrid:
    """A heatmap's cells filled row by row: value, cell text, hover text, hidden flag."""

    z: list[list[float | None]] = field(default_factory=list)
    text: list[list[str]] = field(default_factory=list)
    hover: list[list[str]] = field(default_factory=list)
    hidden: list[list[bool]] = field(default_factory=list)

    def new_row(self) -> None:
        for part in (self.z, self.text, self.hover, self.hidden):
            part.append([])

    def add(self, value: float | None, text: str, hover: str, hidden: bool) -> None:
        self.z[-1].append(value)
        self.text[-1].append(text)
        self.hover[-1].append(hover)
        self.hidden[-1].append(hidden)

    @property
    def hidden_count(self) -> int:
        return sum(sum(1 for h in row if h) for row in self.hidden)

    def values(self) -> list[float]:
        return [v for row in self.z for v in row if v is not None]


def nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about eight."""
    raw = span / 8
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def fitted_range(values: Iterable[float], low: float = 0.0, high: float | None = None
                 ) -> tuple[float, float]:
    """The colour scale's ends for the shown `values`, rounded outwards to a round step and
    kept within [`low`, `high`]: 38–75 gives 35–75. A single value gets a step either side;
    no values at all, the whole range."""
    shown = list(values)
    if not shown:
        return low, high if high is not None else low + 1
    lo, hi = min(shown), max(shown)
    step = nice_step(hi - lo) if hi > lo else nice_step(max(abs(hi), 1.0))
    zmin, zmax = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if zmin == zmax:
        zmin, zmax = zmin - step, zmax + step
    zmin = max(low, zmin)
    zmax = zmax if high is None else min(high, zmax)
    if zmax <= zmin:
        zmax = zmin + step
    digits = max(0, 1 - math.floor(math.log10(step)))  # 35.00000000000001 → 35.0
    return min(round(zmin, digits), lo), max(round(zmax, digits), hi)


def heatmap(rows: list[str], cols: list[str], cells: HeatGrid, *, axis: str = "",
            colorbar: str = "", zrange: tuple[float, float] | None = None,
            high: float | None = None, showscale: bool = True) -> dict[str, Any]:
    """A heatmap trace over `cells`; the scale is `zrange`, or fitted to the cells' values
    (no higher than `high`: 100 for scores and shares)."""
    zmin, zmax = zrange if zrange is not None else fitted_range(cells.values(), high=high)
    trace: dict[str, Any] = {
        "type": "heatmap", "x": cols, "y": rows, "z": cells.z, "text": cells.text,
        "customdata": cells.hover, "texttemplate": "%{text}", "hovertemplate": "%{customdata}"
        "<extra></extra>", "colorscale": SEQUENTIAL, "zmin": zmin, "zmax": zmax,
        "showscale": showscale, "xgap": 2, "ygap": 2, "hoverongaps": False,
        "textfont": {"color": CELL_TEXT},
        "colorbar": {"title": {"text": wrap(colorbar, 12)}, "thickness": 12},
    }
    if axis:
        trace.update({"xaxis": "x" + axis, "yaxis": "y" + axis})
    return trace


def hidden_cells(rows: list[str], cols: list[str], hidden: list[list[bool]], text: str,
                 axis: str = "") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each hidden cell's hatching (layout shapes) and its label (annotations).

    Shapes on a category axis are placed by the category's index, so cell (i, j) spans
    j ± 0.5 and i ± 0.5 whichever way the axis runs.
    """
    shapes: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            if not hidden[i][j]:
                continue
            x0, y0 = j - 0.5, i - 0.5
            for cut in HATCH_LINES:
                u0, v0, u1, v1 = (cut, 0.0, 0.0, cut) if cut <= 1 else (1.0, cut - 1, cut - 1,
                                                                         1.0)
                shapes.append({"type": "line", "xref": "x" + axis, "yref": "y" + axis,
                               "x0": x0 + u0, "y0": y0 + v0, "x1": x0 + u1, "y1": y0 + v1,
                               "line": {"color": HIDDEN_HATCH, "width": 1}, "layer": "above"})
            labels.append({"x": c, "y": r, "xref": "x" + axis, "yref": "y" + axis,
                           "text": text, "showarrow": False, "bgcolor": HIDDEN_FILL,
                           "font": {"size": 9, "color": HIDDEN_TEXT}})
    return shapes, labels


def level_axis(text: str, **extra: Any) -> dict[str, Any]:
    """The vertical axis of levels, the same on every chart: the lowest level at the top,
    reading down as the tables on the page do (levels left to right on the other axis)."""
    return axis_layout(text, autorange="reversed", **extra)
