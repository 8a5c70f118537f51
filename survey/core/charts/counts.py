"""Charts of counts over score bands, and of means over time (pure).

Two-way frequency tables (readiness against environment, one area's level against another's)
and trends with questionnaire-version breaks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from survey.core.charts.figures import (
    TOTAL_ID,
    Labels,
    Names,
    errors,
    figure,
    fmt_int,
    fmt_mean,
    hidden_annotations,
    hidden_text,
    layout,
    name,
    plural,
)
from survey.core.charts.heatmaps import HeatGrid, fitted_range, heatmap, hidden_cells, level_axis
from survey.core.charts.palette import BREAK_LINE, HIDDEN_FILL, METRIC_COLOURS
from survey.core.charts.tables import (
    Chart,
    Column,
    Table,
    axis_layout,
    empty_chart,
    mean_cols,
    mean_values,
    n_label,
    notes,
)
from survey.core.questionnaire.schema import AREAS, METRICS
from survey.core.rounding import half_up
from survey.core.suppression import MARGIN


def band_labels(levels: Sequence[tuple[str, float]]) -> list[str]:
    bounds = [lo for _, lo in levels] + [100.0]
    return [f"{bounds[i]:.0f}–{bounds[i + 1]:.0f}" for i in range(len(levels))]


def _count_grid(table: Any, rows: list[str], cols: list[str], labels: Labels, k: int,
                with_margins: bool) -> HeatGrid:
    r_keys = [*table.rows, MARGIN] if with_margins else list(table.rows)
    c_keys = [*table.cols, MARGIN] if with_margins else list(table.cols)
    cells = HeatGrid()
    for r, y in zip(r_keys, rows, strict=True):
        cells.new_row()
        for c, x in zip(c_keys, cols, strict=True):
            count = table.count(r, c)
            is_hidden = count is None and (r, c) in table.counts
            cells.add(None if count is None or MARGIN in (r, c) else count,
                      "" if count is None else fmt_int(count),
                      hidden_text(labels, k) if is_hidden else f"{y} · {x}: {fmt_int(count)}",
                      is_hidden)
    return cells


def _count_rows(table: Any, area: str | None, row_ids: list[str], col_ids: list[Any],
                row_col: str, col_col: str) -> list[dict[str, Any]]:
    out = []
    for r, rid in zip([*table.rows, MARGIN], [*row_ids, TOTAL_ID], strict=True):
        for c, cid in zip([*table.cols, MARGIN], [*col_ids, TOTAL_ID], strict=True):
            count = table.count(r, c)
            row: dict[str, Any] = {"area": area} if area else {}
            row.update({row_col: rid, col_col: cid, "count": count,
                        "suppressed": count is None})
            out.append(row)
    return out


def _top_cell(table: Any, rows: list[str], cols: list[str], labels: Labels) -> str:
    best = max(((table.count(r, c) or 0, f"{rows[i]} · {cols[j]}")
                for i, r in enumerate(table.rows) for j, c in enumerate(table.cols)),
               default=(0, labels["none"]))
    return best[1] if best[0] else labels["none"]


def _cap_env(overview: Any, area: str, labels: Labels, k: int) -> str | None:
    """"capability 55 · environment 48" for an area of the overview, or None without one."""
    mo = overview.metrics.get(area) if overview is not None and not overview.hidden else None
    if mo is None:
        return None

    def text(m: Any) -> str:
        return hidden_text(labels, k) if m is None else fmt_mean(m)

    return str(labels["panel.cap_env"] % {"cap": text(mo.capability),
                                          "env": text(mo.environment)})


def readiness_environment(tables: Mapping[str, Any], levels: Sequence[tuple[str, float]],
                          labels: Labels, names: Names, k: int, overview: Any = None) -> Chart:
    """Per area, SMEs by capability band against environment band, with the mean capability
    and environment above each panel (from `overview`, when given)."""
    title = labels["title.readiness_environment"]
    cols = (Column("area", labels["col.area"], "key:area"),
            Column("capability_level", labels["axis.capability"], "key:level"),
            Column("environment_band", labels["axis.environment"], "text"),
            Column("count", labels["col.count"], "count"),
            Column("suppressed", labels["col.suppressed"], "flag"))
    total = max((t.n for t in tables.values()), default=0)
    if all(t.hidden for t in tables.values()):
        return empty_chart("readiness_environment", title, total, labels, k, cols, bool(total))
    ys = [name(names, "level", lid, labels) for lid, _ in levels]
    xs = band_labels(levels)
    data, shapes, annotations, rows, items, means = [], [], [], [], [], []
    width = 1 / len(AREAS)
    lay = layout(title, None, labels, height=460, plot_bgcolor=HIDDEN_FILL,
                 margin={"l": 20, "r": 20, "t": 130, "b": 70})
    grids = {area: _count_grid(tables[area], ys, xs, labels, k, with_margins=False)
             for area in AREAS}
    shared = fitted_range(v for cells in grids.values() for v in cells.values())
    for i, area in enumerate(AREAS):
        t, axis, cells = tables[area], "" if i == 0 else str(i + 1), grids[area]
        data.append(heatmap(ys, xs, cells, axis=axis, zrange=shared, showscale=False))
        hatching, hidden_labels = hidden_cells(ys, xs, cells.hidden,
                                               hidden_text(labels, k, short=True), axis)
        shapes += hatching
        annotations += hidden_labels
        area_name = name(names, "area", area, labels)
        heading = f"{area_name} ({n_label(labels, t.n)})"
        cap_env = _cap_env(overview, area, labels, k)
        if cap_env is not None:
            heading += "<br>" + cap_env.replace(" · ", "<br>")
            means.append(f"{area_name} {cap_env}")
        annotations.append({"text": heading, "showarrow": False,
                            "xref": "paper", "yref": "paper", "x": i * width + width / 2,
                            "y": 1.02, "yanchor": "bottom", "font": {"size": 12}})
        domain = [i * width + 0.02, (i + 1) * width - 0.02]
        lay["xaxis" + axis] = axis_layout(labels["axis.environment"], domain=domain,
                                          anchor="y" + axis)
        lay["yaxis" + axis] = level_axis(labels["axis.capability"] if i == 0 else "",
                                         anchor="x" + axis, showticklabels=i == 0)
        rows += _count_rows(t, area, [lid for lid, _ in levels],
                            [int(lo) for _, lo in levels], "capability_level",
                            "environment_band")
        items.append(f"{area_name}: {_top_cell(t, ys, xs, labels)}")
    lay["shapes"] = shapes
    lay["annotations"] = annotations
    summary = labels["summary.readiness_environment"] % {"n": fmt_int(total),
                                                          "top": "; ".join(items)}
    if means:
        summary += " " + labels["summary.cap_env"] % {"items": "; ".join(means)}
    return Chart("readiness_environment", title, total, figure(data, lay), summary,
                 Table(cols, tuple(rows)),
                 notes(labels, k, "note_both_cap_env") + applies_notes(overview, labels, names),
                 method_notes=notes(labels, k, "note_hidden"))


def applies_notes(overview: Any, labels: Labels, names: Names) -> tuple[str, ...]:
    """"Overseas markets: only the 120 SMEs to which this area applies are counted; …", for
    every area that does not apply to some SMEs of the selection (method 2027.1)."""
    if overview is None or overview.hidden:
        return ()
    return tuple(
        str(labels["note_applies"] % {"area": name(names, "area", area, labels),
                                      "n": fmt_int(mo.applicable),
                                      "na": fmt_int(mo.not_applicable)})
        for area, mo in overview.metrics.items()
        if area in AREAS and mo.applicable is not None and mo.not_applicable > 0)


def crosstab(table: Any, levels: Sequence[tuple[str, float]], labels: Labels, names: Names,
             k: int) -> Chart:
    title = labels["title.crosstab"]
    cols = (Column("digital_technology_level", name(names, "area", "digital_technology",
                                                    labels), "key:level"),
            Column("financing_level", name(names, "area", "financing", labels), "key:level"),
            Column("count", labels["col.count"], "count"),
            Column("suppressed", labels["col.suppressed"], "flag"))
    if table.hidden or not table.n:
        return empty_chart("crosstab", title, table.n, labels, k, cols, table.hidden)
    level_names = [name(names, "level", lid, labels) for lid, _ in levels]
    ys, xs = [*level_names, labels["all"]], [*level_names, labels["all"]]
    cells = _count_grid(table, ys, xs, labels, k, with_margins=True)
    hatching, hidden_labels = hidden_cells(ys, xs, cells.hidden,
                                           hidden_text(labels, k, short=True))
    lay = layout(title, table.n, labels, height=440, plot_bgcolor=HIDDEN_FILL,
                 xaxis=axis_layout(name(names, "area", "financing", labels)),
                 yaxis=level_axis(name(names, "area", "digital_technology", labels)),
                 shapes=hatching, annotations=hidden_labels)
    ids = [lid for lid, _ in levels]
    summary = labels["summary.crosstab"] % {"n": fmt_int(table.n),
                                            "top": _top_cell(table, ys, xs, labels)}
    return Chart("crosstab", title, table.n,
                 figure([heatmap(ys, xs, cells, colorbar=labels["axis.count"])], lay),
                 summary, Table(cols, tuple(_count_rows(table, None, ids, ids,
                                                        "digital_technology_level",
                                                        "financing_level"))),
                 notes(labels, k, "note_both_levels"),
                 method_notes=notes(labels, k, "note_hidden"))


def _period_name(kind: str, period: Any, labels: Labels, names: Names) -> str:
    """A month as itself; a wave by its display name (the default wave's is translated)."""
    if period.key is None:
        return str(labels["no_wave"])
    if kind == "wave":
        return names.get(f"wave:{period.key}") or str(period.label)
    return str(period.label)


def trend(tr: Any, chart_id: str, labels: Labels, names: Names, k: int) -> Chart:
    """Means per period with 95 % error bars; a dashed line where the questionnaire changed."""
    title = labels["title." + chart_id]
    axis_title = labels["axis.month" if tr.kind == "month" else "axis.wave"]
    cols = (Column("period", labels["col.period"], "wave" if tr.kind == "wave" else "text"),
            Column("metric", labels["col.metric"], "key:metric"),
            Column("versions", labels["col.versions"], "text"), *mean_cols(labels))
    if tr.n < k or not tr.periods:
        return empty_chart(chart_id, title, tr.n, labels, k, cols, bool(tr.n))
    xs = [_period_name(tr.kind, p, labels, names) for p in tr.periods]
    data, rows = [], []
    for metric in METRICS:
        means = [p.stats.mean(metric) for p in tr.periods]
        values = [half_up(m.value, 2) if m and m.value is not None else None for m in means]
        low = [bool(m and m.low_precision) for m in means]
        data.append({
            "type": "scatter", "mode": "lines+markers",
            "name": name(names, "metric", metric, labels), "x": xs, "y": values,
            "error_y": errors(values, [m.interval if m else None for m in means]),
            "line": {"color": METRIC_COLOURS[metric], "width": 3 if metric == "overall" else 1.5},
            "marker": {"symbol": ["circle-open" if lp else "circle" for lp in low],
                       "size": 8}, "connectgaps": False,
            "customdata": [fmt_mean(m) if m else "" for m in means],
            "hovertemplate": "%{x}: %{customdata}<extra>%{fullData.name}</extra>"})
        rows += [{"period": p.label if p.key is not None else "", "metric": metric,
                  "versions": " ".join(p.versions),
                  **mean_values(m, p.stats.is_hidden(metric))}
                 for p, m in zip(tr.periods, means, strict=True)]
    if all(p.stats.hidden for p in tr.periods):  # every period too small: list, don't draw
        return Chart(chart_id, title, tr.n, None, labels["hidden_chart"] % {"k": k},
                     Table(cols, tuple(rows)), notes(labels, k, "note_hidden"))
    latest = next((i for i in reversed(range(len(tr.periods)))
                   if not tr.periods[i].stats.hidden), None)
    latest_text = labels["none"] if latest is None else (
        f"{xs[latest]} {fmt_mean(tr.periods[latest].stats.mean('overall'))}, "
        f"{n_label(labels, tr.periods[latest].stats.n)}")
    if len(tr.periods) < 2:  # one dot is not a trend: say so, keep the number in the table
        return Chart(chart_id, title, tr.n, None,
                     labels["one_period." + tr.kind] % {"latest": latest_text},
                     Table(cols, tuple(rows)))
    shapes, annotations = [], hidden_annotations(xs, [p.stats.hidden for p in tr.periods],
                                                 hidden_text(labels, k))
    for i, p in enumerate(tr.periods):
        if p.break_before or p.mixed:
            x = i - 0.5 if p.break_before else i
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x,
                           "y0": 0, "y1": 1, "line": {"dash": "dash", "color": BREAK_LINE}})
            annotations.append({"x": x, "y": 1, "xref": "x", "yref": "paper",
                                "text": labels["break"] % {"versions": ", ".join(p.versions)},
                                "showarrow": False, "yanchor": "bottom", "font": {"size": 10}})
    lay = layout(title, tr.n, labels, xaxis=axis_layout(axis_title, type="category"),
                 yaxis=axis_layout(labels["axis.score"], range=[0, 100]), shapes=shapes,
                 annotations=annotations)
    summary = labels["summary.trend"] % {
        "periods": plural(labels, "plural.periods", len(tr.periods)), "latest": latest_text,
        "breaks": plural(labels, "plural.breaks", tr.breaks)}
    return Chart(chart_id, title, tr.n, figure(data, lay), summary, Table(cols, tuple(rows)),
                 notes(labels, k, "note_breaks") if shapes else (),
                 method_notes=notes(labels, k, "note_intervals", "note_low_precision",
                                    "note_hidden"))
