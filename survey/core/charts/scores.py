"""Charts of scores: distributions, levels, segments, regions and the demand for each
recommendation (pure; counts and trends are in survey.core.charts.counts)."""

from __future__ import annotations

from typing import Any

from survey.core.charts.counts import applies_notes
from survey.core.charts.figures import (
    TOTAL_ID,
    Labels,
    Names,
    bar,
    figure,
    fmt_int,
    fmt_mean,
    fmt_share,
    hidden_annotations,
    hidden_text,
    layout,
    name,
    wrap,
)
from survey.core.charts.heatmaps import HeatGrid, heatmap, hidden_cells
from survey.core.charts.palette import HIDDEN_FILL, METRIC_COLOURS, PRIORITY_COLOURS
from survey.core.charts.tables import (
    SHARE_AXIS,
    Chart,
    Column,
    Table,
    axis_layout,
    empty_chart,
    mean_cols,
    mean_values,
    n_label,
    notes,
    share_cols,
    share_values,
)
from survey.core.formatting import format_mean, format_share
from survey.core.questionnaire.schema import AREAS, METRICS, RECOMMENDATIONS
from survey.core.rounding import half_up
from survey.core.scoring import PRIORITIES


def distribution(ov: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.distribution"]
    cols = (Column("area", labels["col.area"], "key:area"),
            Column("bin_low", labels["col.bin_low"], "number"),
            Column("bin_high", labels["col.bin_high"], "number"), *share_cols(labels))
    if ov.hidden or not ov.n:
        return empty_chart("distribution", title, ov.n, labels, k, cols, ov.hidden)
    data, rows, items = [], [], []
    for area in AREAS:
        mo = ov.metrics[area]
        area_name = name(names, "area", area, labels)
        if mo.hidden:
            items.append(f"{area_name} {hidden_text(labels, k)}")
            rows.append({"area": area, "bin_low": None, "bin_high": None,
                         **share_values(None, True)})
            continue
        cats = [f"{b.low}–{b.high}" for b in mo.bins]
        data.append(bar(f"{area_name} ({n_label(labels, mo.mean.n)})", cats,
                        [b.share.value for b in mo.bins], [b.share.interval for b in mo.bins],
                        [mo.mean.low_precision] * len(cats), METRIC_COLOURS[area], scale=100,
                        texts=[fmt_share(b.share) for b in mo.bins]))
        rows += [{"area": area, "bin_low": b.low, "bin_high": b.high, **share_values(b.share)}
                 for b in mo.bins]
        items.append(f"{area_name} {fmt_mean(mo.mean)}, {n_label(labels, mo.mean.n)}")
    lay = layout(title, ov.n, labels, barmode="group", xaxis=axis_layout(labels["axis.band"]),
                 yaxis=axis_layout(labels["axis.share"], ticksuffix="%", rangemode="tozero"))
    return Chart("distribution", title, ov.n, figure(data, lay),
                 labels["summary.distribution"] % {"items": "; ".join(items)},
                 Table(cols, tuple(rows)), metric_notes(ov, labels, names, k),
                 method_notes=notes(labels, k, "note_intervals", "note_low_precision"))


def level_shares(ov: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.levels"]
    cols = (Column("area", labels["col.area"], "key:metric"),
            Column("level", labels["col.at_or_above"], "key:level"), *share_cols(labels))
    if ov.hidden or not ov.n:
        return empty_chart("levels", title, ov.n, labels, k, cols, ov.hidden)
    data, rows, items = [], [], []
    for metric in METRICS:
        mo = ov.metrics[metric]
        shown = mo.levels[1:]
        metric_name = name(names, "metric", metric, labels)
        if mo.hidden:
            items.append(f"{metric_name} {hidden_text(labels, k)}")
            rows.append({"area": metric, "level": None, **share_values(None, True)})
            continue
        data.append(bar(metric_name, [name(names, "level", s.level, labels) for s in shown],
                        [s.at_or_above.value for s in shown],
                        [s.at_or_above.interval for s in shown],
                        [s.at_or_above.low_precision for s in shown], METRIC_COLOURS[metric],
                        scale=100,
                        texts=[fmt_share(s.at_or_above) for s in shown]))
        rows += [{"area": metric, "level": s.level, **share_values(s.at_or_above)}
                 for s in mo.levels]
        if len(mo.levels) > 2:
            items.append(f"{metric_name} {format_share(mo.levels[2].at_or_above)}")
    lay = layout(title, ov.n, labels, barmode="group",
                 xaxis=axis_layout(labels["col.at_or_above"]),
                 yaxis=axis_layout(labels["axis.share"], **SHARE_AXIS))
    return Chart("levels", title, ov.n, figure(data, lay),
                 labels["summary.levels"] % {"items": "; ".join(items)},
                 Table(cols, tuple(rows)), metric_notes(ov, labels, names, k),
                 method_notes=notes(labels, k, "note_intervals", "note_low_precision"))


def metric_notes(ov: Any, labels: Labels, names: Names, k: int) -> tuple[str, ...]:
    """What the overview's numbers are among: the areas that do not apply to every SME, and
    the scores hidden on their own n."""
    hidden = tuple(
        str(labels["note_metric_hidden"] % {"name": name(names, "metric", m, labels), "k": k})
        for m, mo in ov.metrics.items() if mo.hidden)
    return applies_notes(ov, labels, names) + hidden


def _cell_text(g: Any, metric: str = "overall") -> tuple[float | None, str]:
    m = g.mean(metric)
    if m is None or m.value is None:
        return None, "—" if not g.is_hidden(metric) else ""
    star = "*" if m.low_precision else ""
    return half_up(m.value, 1), f"{format_mean(m.value)}{star}<br>n={fmt_int(g.n)}"


def industry_size(grid: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.industry_size"]
    cols = (Column("industry", labels["axis.industry"], "key:industry"),
            Column("size", labels["axis.size"], "key:size"), *mean_cols(labels))
    n = grid.total.n
    if grid.total.hidden or not n:
        return empty_chart("industry_size", title, n, labels, k, cols, grid.total.hidden)
    row_keys, col_keys = [*grid.rows, TOTAL_ID], [*grid.cols, TOTAL_ID]

    def stats(r: Any, c: Any) -> Any:
        if r == TOTAL_ID:
            return grid.total if c == TOTAL_ID else grid.col_totals[c]
        return grid.row_totals[r] if c == TOTAL_ID else grid.cells[(r, c)]

    ys = [name(names, "industry", r, labels) for r in row_keys]
    xs = [name(names, "size", c, labels) for c in col_keys]
    cells = HeatGrid()
    rows, shown = [], []
    for r, y in zip(row_keys, ys, strict=True):
        cells.new_row()
        for c, x in zip(col_keys, xs, strict=True):
            g = stats(r, c)
            value, label = _cell_text(g)
            m = g.mean("overall")
            is_hidden = g.is_hidden("overall")
            cells.add(value, label, hidden_text(labels, k) if is_hidden else
                      f"{y} · {x}<br>{fmt_mean(m)}<br>{n_label(labels, g.n)}", is_hidden)
            rows.append({"industry": r, "size": c,
                         **mean_values(m, is_hidden)})
            if value is not None and TOTAL_ID not in (r, c):
                shown.append((value, f"{y} · {x} {format_mean(m.value)}"))
    hatching, hidden_labels = hidden_cells(ys, xs, cells.hidden,
                                           hidden_text(labels, k, short=True))
    fig = figure([heatmap(ys, xs, cells, colorbar=labels["axis.score"], high=100)],
                 layout(title, n, labels, height=max(380, 40 * len(ys) + 140),
                        plot_bgcolor=HIDDEN_FILL, xaxis=axis_layout(labels["axis.size"]),
                        # No axis title: beside long industry names plotly.js sets it over them.
                        yaxis=axis_layout("", autorange="reversed"),
                        shapes=hatching, annotations=hidden_labels))
    shown.sort()
    summary = labels["summary.grid"] % {
        "top": shown[-1][1] if shown else labels["none"],
        "bottom": shown[0][1] if shown else labels["none"],
        "hidden": cells.hidden_count, "cells": len(ys) * len(xs)}
    return Chart("industry_size", title, n, fig, summary, Table(cols, tuple(rows)),
                 method_notes=notes(labels, k, "note_hidden", "note_low_precision"))


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
    for metric in METRICS:
        means = [g.mean(metric) for g in line.groups]
        data.append(bar(name(names, "metric", metric, labels), cats,
                        [m.value if m else None for m in means],
                        [m.interval if m else None for m in means],
                        [bool(m and m.low_precision) for m in means], METRIC_COLOURS[metric],
                        texts=[fmt_mean(m) if m else "" for m in means]))
        rows += [{"region": g.key, "metric": metric, **mean_values(m, g.is_hidden(metric))}
                 for g, m in zip(line.groups, means, strict=True)]
    items = [f"{c} {hidden_text(labels, k)}" if g.is_hidden("overall") else
             f"{c} {_mean_value(g.mean('overall'))} ({n_label(labels, g.n)})"
             for c, g in zip(cats, line.groups, strict=True)]
    lay = layout(title, n, labels, barmode="group", xaxis=axis_layout(labels["axis.region"]),
                 yaxis=axis_layout(labels["axis.score"], range=[0, 100]),
                 annotations=hidden_annotations(cats, hidden, hidden_text(labels, k)))
    return Chart("region", title, n, figure(data, lay),
                 labels["summary.region"] % {"items": "; ".join(items)}, Table(cols, tuple(rows)),
                 group_applies_notes(line.total, labels, names),
                 method_notes=notes(labels, k, "note_intervals", "note_low_precision",
                                    "note_hidden"))


def _mean_value(m: Any) -> str:
    return format_mean(None if m is None else m.value)


def group_applies_notes(g: Any, labels: Labels, names: Names,
                        ids: tuple[str, ...] = AREAS) -> tuple[str, ...]:
    """For each area (or recommendation) of `ids` that does not apply to every SME of the
    shown group `g`, what its numbers are among (method 2027.1's `not_applicable`)."""
    if g.hidden or g.n is None:
        return ()
    out = []
    for key in ids:
        applicable = g.applicable.get(key)
        if applicable is None or applicable >= g.n:
            continue
        values = {"n": fmt_int(applicable), "na": fmt_int(g.n - applicable)}
        if key in AREAS:
            out.append(str(labels["note_applies"] % {"area": name(names, "area", key, labels),
                                                     **values}))
        else:
            out.append(str(labels["note_rec_applies"] % {"rec": name(names, "rec", key, labels),
                                                         **values}))
    return tuple(out)


def demand(everyone: Any, labels: Labels, names: Names, k: int) -> Chart:
    """Priority shares of each recommendation among the SMEs it applies to."""
    title = labels["title.demand"]
    cols = (Column("recommendation", labels["col.recommendation"], "key:rec"),
            Column("priority", labels["col.priority"], "key:priority"), *share_cols(labels))
    n = everyone.n
    if everyone.hidden or not n:
        return empty_chart("demand", title, n, labels, k, cols, everyone.hidden)
    cats = [name(names, "rec", r, labels) for r in RECOMMENDATIONS]
    hidden = [everyone.priority_hidden(r) for r in RECOMMENDATIONS]
    data, rows = [], []
    for p in PRIORITIES:
        shares = [everyone.share(r, p) for r in RECOMMENDATIONS]
        data.append(bar(name(names, "priority", p, labels), cats,
                        [s.value if s else None for s in shares],
                        [s.interval if s else None for s in shares],
                        [bool(s and s.low_precision) for s in shares],
                        PRIORITY_COLOURS[p], scale=100, horizontal=True,
                        texts=[fmt_share(s) if s else "" for s in shares]))
        rows += [{"recommendation": r, "priority": p, **share_values(s, h)}
                 for r, s, h in zip(RECOMMENDATIONS, shares, hidden, strict=True)]
    items = [f"{c} {hidden_text(labels, k) if h else fmt_share(everyone.share(r))}"
             for c, r, h in zip(cats, RECOMMENDATIONS, hidden, strict=True)]
    lay = layout(title, n, labels, barmode="group", height=460,
                 xaxis=axis_layout(labels["axis.share"], **SHARE_AXIS),
                 yaxis=axis_layout("", autorange="reversed"), margin={"l": 20, "r": 20, "t": 60},
                 annotations=hidden_annotations(cats, hidden, hidden_text(labels, k),
                                                horizontal=True))
    return Chart("demand", title, n, figure(data, lay),
                 labels["summary.demand"] % {"items": "; ".join(items)}, Table(cols, tuple(rows)),
                 group_applies_notes(everyone, labels, names, RECOMMENDATIONS),
                 method_notes=notes(labels, k, "note_intervals", "note_low_precision"))


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
            s = g.share(r)
            is_hidden = g.priority_hidden(r)
            value = None if s is None or s.value is None else half_up(s.value * 100, 1)
            star = "*" if s is not None and s.low_precision else ""
            cells.add(value, "" if value is None else f"{format_share(s)}{star}",
                      hidden_text(labels, k) if is_hidden else "—" if s is None else
                      f"{y}<br>{x}: {fmt_share(s)}, {n_label(labels, s.n)}",
                      is_hidden)
            rows.append({"dimension": d, "segment": g.key if g.key is not None else "",
                         "recommendation": r, **share_values(s, is_hidden)})
            if value is not None:
                best.append((value, f"{y} — {x.replace('<br>', ' ')} {format_share(s)}"))
    hatching, hidden_labels = hidden_cells(ys, xs, cells.hidden, hidden_text(labels, k))
    fig = figure([heatmap(ys, xs, cells, colorbar=labels["axis.share"], high=100)],
                 layout(title, everyone.n, labels, height=max(380, 30 * len(ys) + 160),
                        plot_bgcolor=HIDDEN_FILL, xaxis=axis_layout("", side="top", tickangle=0),
                        yaxis=axis_layout("", autorange="reversed"),
                        margin={"l": 20, "r": 20, "t": 110, "b": 20},
                        shapes=hatching, annotations=hidden_labels))
    summary = labels["summary.demand_segments"] % {
        "top": max(best)[1] if best else labels["none"]}
    return Chart("demand_segments", title, everyone.n, fig, summary, Table(cols, tuple(rows)),
                 group_applies_notes(everyone, labels, names, RECOMMENDATIONS),
                 method_notes=notes(labels, k, "note_hidden", "note_low_precision"))
