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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.core.charts.figures import (
    ALL,
    COLORS,
    HIDDEN_FILL,
    PRIORITY_COLORS,
    HeatGrid,
    Labels,
    Names,
    bar,
    cell_annotations,
    figure,
    fmt_int,
    fmt_mean,
    fmt_share,
    heatmap,
    hidden_annotations,
    hidden_text,
    layout,
    name,
    wrap,
)
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS
from survey.core.stats import format_mean, format_share

METRICS = ("overall", *AREAS)
PRIORITIES = ("high", "medium", "low", "unknown")
CHART_PARTS: dict[str, str] = {
    "distribution": "overview", "levels": "overview", "industry_size": "segments",
    "region": "segments", "demand": "segments", "demand_segments": "segments",
    "readiness_environment": "readiness_environment", "crosstab": "crosstab",
    "trend_months": "months", "trend_waves": "waves",
}
"""Each chart id and the query result it is drawn from (so a CSV runs only that query)."""
CHART_IDS: tuple[str, ...] = tuple(CHART_PARTS)


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


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    n: int | None
    figure: dict[str, Any] | None
    summary: str
    table: Table
    notes: tuple[str, ...] = field(default=())


def notes(labels: Labels, k: int, *keys: str) -> tuple[str, ...]:
    return tuple(labels[key] % {"k": k} if "%(k)s" in labels[key] else labels[key]
                 for key in keys)


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
    return round(float(value), digits)


def csv_rows(chart: Chart) -> list[list[Any]]:
    return [[csv_value(c, row.get(c.id)) for c in chart.table.columns]
            for row in chart.table.rows]


def _n_label(labels: Labels, n: int | None) -> str:
    return str(labels["n"] % {"n": fmt_int(n)})


def _axis(text: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": text}, "automargin": True, **extra}


SHARE_AXIS = {"ticksuffix": "%", "rangemode": "tozero", "range": [0, 100]}


def distribution(ov: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.distribution"]
    cols = (Column("area", labels["col.area"], "key:area"),
            Column("bin_low", labels["col.bin_low"], "number"),
            Column("bin_high", labels["col.bin_high"], "number"), *share_cols(labels))
    if ov.hidden or not ov.n:
        return empty_chart("distribution", title, ov.n, labels, k, cols, ov.hidden)
    data, rows, items = [], [], []
    for i, area in enumerate(AREAS):
        mo = ov.metrics[area]
        cats = [f"{b.low}–{b.high}" for b in mo.bins]
        area_name = name(names, "area", area, labels)
        data.append(bar(f"{area_name} ({_n_label(labels, mo.mean.n)})", cats,
                        [b.share.value for b in mo.bins], [b.share.interval for b in mo.bins],
                        [mo.mean.low_precision] * len(cats), COLORS[i], scale=100,
                        texts=[fmt_share(b.share) for b in mo.bins]))
        rows += [{"area": area, "bin_low": b.low, "bin_high": b.high, **share_values(b.share)}
                 for b in mo.bins]
        items.append(f"{area_name} {fmt_mean(mo.mean)}, {_n_label(labels, mo.mean.n)}")
    lay = layout(title, ov.n, labels, barmode="group", xaxis=_axis(labels["axis.band"]),
                 yaxis=_axis(labels["axis.share"], ticksuffix="%", rangemode="tozero"))
    return Chart("distribution", title, ov.n, figure(data, lay),
                 labels["summary.distribution"] % {"items": "; ".join(items)},
                 Table(cols, tuple(rows)), notes(labels, k, "note_intervals",
                                                 "note_low_precision"))


def level_shares(ov: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.levels"]
    cols = (Column("area", labels["col.area"], "key:metric"),
            Column("level", labels["col.level"], "key:level"), *share_cols(labels))
    if ov.hidden or not ov.n:
        return empty_chart("levels", title, ov.n, labels, k, cols, ov.hidden)
    data, rows, items = [], [], []
    for i, metric in enumerate(METRICS):
        mo = ov.metrics[metric]
        shown = mo.levels[1:]
        metric_name = name(names, "metric", metric, labels)
        data.append(bar(metric_name, [name(names, "level", s.level, labels) for s in shown],
                        [s.at_or_above.value for s in shown],
                        [s.at_or_above.interval for s in shown],
                        [s.at_or_above.low_precision for s in shown], COLORS[i], scale=100,
                        texts=[fmt_share(s.at_or_above) for s in shown]))
        rows += [{"area": metric, "level": s.level, **share_values(s.at_or_above)}
                 for s in mo.levels]
        if len(mo.levels) > 2:
            items.append(f"{metric_name} {format_share(mo.levels[2].at_or_above)}")
    lay = layout(title, ov.n, labels, barmode="group", xaxis=_axis(labels["col.level"]),
                 yaxis=_axis(labels["axis.share"], **SHARE_AXIS))
    return Chart("levels", title, ov.n, figure(data, lay),
                 labels["summary.levels"] % {"items": "; ".join(items)},
                 Table(cols, tuple(rows)), notes(labels, k, "note_intervals",
                                                 "note_low_precision"))


def _cell_text(g: Any, metric: str = "overall") -> tuple[float | None, str]:
    m = g.means.get(metric) if not g.hidden else None
    if m is None or m.value is None:
        return None, "—" if not g.hidden else ""
    star = "*" if m.low_precision else ""
    return round(m.value, 1), f"{format_mean(m.value)}{star}<br>n={fmt_int(g.n)}"


def industry_size(grid: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.industry_size"]
    cols = (Column("industry", labels["axis.industry"], "key:industry"),
            Column("size", labels["axis.size"], "key:size"), *mean_cols(labels))
    n = grid.total.n
    if grid.total.hidden or not n:
        return empty_chart("industry_size", title, n, labels, k, cols, grid.total.hidden)
    row_keys, col_keys = [*grid.rows, ALL], [*grid.cols, ALL]

    def stats(r: Any, c: Any) -> Any:
        if r == ALL:
            return grid.total if c == ALL else grid.col_totals[c]
        return grid.row_totals[r] if c == ALL else grid.cells[(r, c)]

    ys = [name(names, "industry", r, labels) for r in row_keys]
    xs = [name(names, "size", c, labels) for c in col_keys]
    cells = HeatGrid()
    rows, shown = [], []
    for r, y in zip(row_keys, ys, strict=True):
        cells.new_row()
        for c, x in zip(col_keys, xs, strict=True):
            g = stats(r, c)
            value, label = _cell_text(g)
            m = g.means.get("overall")
            cells.add(value, label, hidden_text(labels, k) if g.hidden else
                      f"{y} · {x}<br>{fmt_mean(m)}<br>{_n_label(labels, g.n)}", g.hidden)
            rows.append({"industry": r, "size": c,
                         **mean_values(m, g.hidden)})
            if value is not None and ALL not in (r, c):
                shown.append((value, f"{y} · {x} {format_mean(m.value)}"))
    fig = figure([heatmap(ys, xs, cells, colorbar=labels["axis.score"], zmax=100)],
                 layout(title, n, labels, height=max(380, 40 * len(ys) + 140),
                        plot_bgcolor=HIDDEN_FILL, xaxis=_axis(labels["axis.size"]),
                        yaxis=_axis(labels["axis.industry"], autorange="reversed"),
                        annotations=cell_annotations(ys, xs, cells.hidden,
                                                     hidden_text(labels, k, short=True))))
    shown.sort()
    summary = labels["summary.grid"] % {
        "top": shown[-1][1] if shown else labels["none"],
        "bottom": shown[0][1] if shown else labels["none"],
        "hidden": cells.hidden_count, "cells": len(ys) * len(xs)}
    return Chart("industry_size", title, n, fig, summary, Table(cols, tuple(rows)),
                 notes(labels, k, "note_hidden", "note_low_precision"))


def region(line: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.region"]
    cols = (Column("region", labels["axis.region"], "key:region"),
            Column("metric", labels["col.metric"], "key:metric"), *mean_cols(labels))
    n = line.total.n
    if line.total.hidden or not n:
        return empty_chart("region", title, n, labels, k, cols, line.total.hidden)
    cats = [name(names, "region", g.key, labels) for g in line.groups]
    hidden = [g.hidden for g in line.groups]
    data, rows = [], []
    for i, metric in enumerate(METRICS):
        means = [None if g.hidden else g.means.get(metric) for g in line.groups]
        data.append(bar(name(names, "metric", metric, labels), cats,
                        [m.value if m else None for m in means],
                        [m.interval if m else None for m in means],
                        [bool(m and m.low_precision) for m in means], COLORS[i],
                        texts=[fmt_mean(m) if m else "" for m in means]))
        rows += [{"region": g.key, "metric": metric, **mean_values(m, g.hidden)}
                 for g, m in zip(line.groups, means, strict=True)]
    items = [f"{c} {format_mean(g.means['overall'].value)} ({_n_label(labels, g.n)})"
             if not g.hidden else f"{c} {hidden_text(labels, k)}"
             for c, g in zip(cats, line.groups, strict=True)]
    lay = layout(title, n, labels, barmode="group", xaxis=_axis(labels["axis.region"]),
                 yaxis=_axis(labels["axis.score"], range=[0, 100]),
                 annotations=hidden_annotations(cats, hidden, hidden_text(labels, k)))
    return Chart("region", title, n, figure(data, lay),
                 labels["summary.region"] % {"items": "; ".join(items)}, Table(cols, tuple(rows)),
                 notes(labels, k, "note_intervals", "note_low_precision", "note_hidden"))


def demand(everyone: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.demand"]
    cols = (Column("recommendation", labels["col.recommendation"], "key:rec"),
            Column("priority", labels["col.priority"], "key:priority"), *share_cols(labels))
    n = everyone.n
    if everyone.hidden or not n:
        return empty_chart("demand", title, n, labels, k, cols, everyone.hidden)
    cats = [name(names, "rec", r, labels) for r in RECOMMENDATIONS]
    data, rows = [], []
    for p in PRIORITIES:
        shares = [everyone.priorities[r][p] for r in RECOMMENDATIONS]
        data.append(bar(name(names, "priority", p, labels), cats, [s.value for s in shares],
                        [s.interval for s in shares], [s.low_precision for s in shares],
                        PRIORITY_COLORS[p], scale=100, horizontal=True,
                        texts=[fmt_share(s) for s in shares]))
        rows += [{"recommendation": r, "priority": p, **share_values(s)}
                 for r, s in zip(RECOMMENDATIONS, shares, strict=True)]
    items = [f"{c} {fmt_share(everyone.priorities[r]['high'])}"
             for c, r in zip(cats, RECOMMENDATIONS, strict=True)]
    lay = layout(title, n, labels, barmode="group", height=460,
                 xaxis=_axis(labels["axis.share"], **SHARE_AXIS),
                 yaxis=_axis("", autorange="reversed"), margin={"l": 20, "r": 20, "t": 60})
    return Chart("demand", title, n, figure(data, lay),
                 labels["summary.demand"] % {"items": "; ".join(items)}, Table(cols, tuple(rows)),
                 notes(labels, k, "note_intervals", "note_low_precision"))


def demand_segments(segments: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.demand_segments"]
    cols = (Column("dimension", labels["col.dimension"], "key:dimension"),
            Column("segment", labels["axis.segment"], "segment"),
            Column("recommendation", labels["col.recommendation"], "key:rec"),
            *share_cols(labels))
    everyone = segments.grid.total
    if everyone.hidden or not everyone.n:
        return empty_chart("demand_segments", title, everyone.n, labels, k, cols,
                           everyone.hidden)
    groups = [(line.dimension, g) for line in segments.lines() for g in line.groups]
    ys = [f"{labels['dimension.' + d]}: {name(names, d, g.key, labels)}" for d, g in groups]
    xs = [wrap(name(names, "rec", r, labels)) for r in RECOMMENDATIONS]
    cells = HeatGrid()
    rows, best = [], []
    for (d, g), y in zip(groups, ys, strict=True):
        cells.new_row()
        for r, x in zip(RECOMMENDATIONS, xs, strict=True):
            s = None if g.hidden else g.priorities.get(r, {}).get("high")
            value = None if s is None or s.value is None else round(s.value * 100, 1)
            star = "*" if s is not None and s.low_precision else ""
            cells.add(value, "" if value is None else f"{format_share(s)}{star}",
                      hidden_text(labels, k) if s is None else
                      f"{y}<br>{x}: {fmt_share(s)}, {_n_label(labels, s.n)}",
                      g.hidden)
            rows.append({"dimension": d, "segment": g.key if g.key is not None else "",
                         "recommendation": r, **share_values(s, g.hidden)})
            if value is not None:
                best.append((value, f"{y} — {x.replace('<br>', ' ')} {format_share(s)}"))
    fig = figure([heatmap(ys, xs, cells, colorbar=labels["axis.share"], zmax=100)],
                 layout(title, everyone.n, labels, height=max(380, 30 * len(ys) + 160),
                        plot_bgcolor=HIDDEN_FILL, xaxis=_axis("", side="top", tickangle=0),
                        yaxis=_axis("", autorange="reversed"),
                        margin={"l": 20, "r": 20, "t": 110, "b": 20},
                        annotations=cell_annotations(ys, xs, cells.hidden,
                                                     hidden_text(labels, k))))
    summary = labels["summary.demand_segments"] % {
        "top": max(best)[1] if best else labels["none"]}
    return Chart("demand_segments", title, everyone.n, fig, summary, Table(cols, tuple(rows)),
                 notes(labels, k, "note_hidden", "note_low_precision"))


def build_all(d: Any, levels: Sequence[tuple[str, float]], labels: Labels, names: Names,
              only: str | None = None) -> list[Chart]:
    """Every chart of the dashboard `d` (survey.queries.Dashboard), or just the one `only`."""
    from survey.core.charts.counts import crosstab, readiness_environment, trend

    k = d.min_group
    builders: dict[str, Any] = {
        "distribution": lambda: distribution(d.overview, labels, names, k),
        "levels": lambda: level_shares(d.overview, labels, names, k),
        "industry_size": lambda: industry_size(d.segments.grid, labels, names, k),
        "region": lambda: region(d.segments.region, labels, names, k),
        "demand": lambda: demand(d.segments.grid.total, labels, names, k),
        "demand_segments": lambda: demand_segments(d.segments, labels, names, k),
        "readiness_environment": lambda: readiness_environment(
            d.readiness_environment, levels, labels, names, k),
        "crosstab": lambda: crosstab(d.crosstab, levels, labels, names, k),
        "trend_months": lambda: trend(d.months, "trend_months", labels, names, k),
        "trend_waves": lambda: trend(d.waves, "trend_waves", labels, names, k),
    }
    ids = [only] if only else list(CHART_IDS)
    return [builders[i]() for i in ids]
