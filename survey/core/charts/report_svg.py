"""The report's small chart as server-rendered SVG (pure).

A phone should not download plotly.js (≈4.5 MB) to see three bars, so the SME's report draws
the score and the environment of each area as plain SVG, with a <title> and <desc> for screen
readers and a data table beside it in the page. Each score bar has its area's colour (the same
as in the staff charts), the environment is grey so it never reads as another area, and where
the report has a peer group a dark mark on the score bar shows the typical similar firm (the
peers' median). The drawing is sized for a 360 px phone and scales up; the PDF embeds the same
SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from survey.core.charts.palette import ENVIRONMENT_COLOUR, METRIC_COLOURS, PEER_MARK_COLOUR

INK, MUTED, TRACK, GRID = "#1c2430", "#556070", "#eef1f5", "#c5ccd6"


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    environment: float | None
    area: str = "overall"
    median: float | None = None


def _label_lines(label: str, max_chars: int = 13) -> list[str]:
    """Split a long label at the space nearest its middle (CJK labels are short enough)."""
    if len(label) <= max_chars or " " not in label:
        return [label]
    middle = len(label) // 2
    cut = min((i for i, c in enumerate(label) if c == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1:]]


def area_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    score_label: str,
    environment_label: str,
    no_data_label: str,
    median_label: str | None = None,
    width: int = 360,
) -> str:
    """`median_label` names the peer mark in the legend; without it no mark is drawn."""
    label_w, right, row_h, bar_h = 96, 30, 56, 16
    legend_rows = 2 if median_label else 1
    legend_h = 8 + 20 * legend_rows
    plot_w = width - label_w - right
    height = legend_h + row_h * len(bars) + 22
    half = label_w + plot_w // 2
    # The score's legend swatch is made of the areas' own colours, one stripe each.
    swatch = "".join(
        f'<rect x="{label_w + 4 * k}" y="6" width="4" height="11" '
        f'fill="{METRIC_COLOURS.get(b.area, METRIC_COLOURS["overall"])}"/>'
        for k, b in enumerate(bars[:3]))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title chart-desc" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'{swatch}<text x="{label_w + 15}" y="16" fill="{INK}">{escape(score_label)}</text>',
        f'<rect x="{half}" y="6" width="11" height="11" fill="{ENVIRONMENT_COLOUR}"/>'
        f'<text x="{half + 15}" y="16" fill="{INK}">{escape(environment_label)}</text>',
    ]
    if median_label:
        out.append(f'<rect x="{label_w + 4}" y="24" width="3" height="15" '
                   f'fill="{PEER_MARK_COLOUR}"/>'
                   f'<text x="{label_w + 15}" y="36" fill="{INK}">{escape(median_label)}</text>')
    for i, bar in enumerate(bars):
        y = legend_h + i * row_h
        lines = _label_lines(bar.label)
        first = y + 26 - 7 * (len(lines) - 1)
        tspans = "".join(f'<tspan x="0" y="{first + 14 * k}">{escape(line)}</tspan>'
                         for k, line in enumerate(lines))
        out.append(f'<text fill="{INK}" font-weight="600">{tspans}</text>')
        colour = METRIC_COLOURS.get(bar.area, METRIC_COLOURS["overall"])
        for j, (value, fill) in enumerate(((bar.score, colour),
                                           (bar.environment, ENVIRONMENT_COLOUR))):
            by = y + 8 + j * (bar_h + 4)
            out.append(f'<rect x="{label_w}" y="{by}" width="{plot_w}" height="{bar_h}" '
                       f'fill="{TRACK}"/>')
            if value is None:
                out.append(f'<text x="{label_w + 5}" y="{by + 12}" fill="{MUTED}">'
                           f'{escape(no_data_label)}</text>')
                continue
            w = max(0.0, min(100.0, value)) / 100 * plot_w
            out.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}" '
                       f'fill="{fill}"/>')
            out.append(f'<text x="{label_w + plot_w + 4}" y="{by + 12}" fill="{INK}">'
                       f'{math.floor(value)}</text>')
            if j == 0 and median_label and bar.median is not None:
                mx = label_w + max(0.0, min(100.0, bar.median)) / 100 * plot_w
                out.append(f'<rect x="{mx - 1.5:.1f}" y="{by - 3}" width="3" '
                           f'height="{bar_h + 6}" fill="{PEER_MARK_COLOUR}" '
                           f'stroke="#ffffff" stroke-width="1"/>')
    for tick in (0, 20, 40, 60, 80, 100):
        x = label_w + tick / 100 * plot_w
        out.append(f'<line x1="{x:.1f}" y1="{legend_h + 4}" x2="{x:.1f}" y2="{height - 16}" '
                   f'stroke="{GRID}" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 3}" fill="{MUTED}" font-size="11" '
                   f'text-anchor="middle">{tick}</text>')
    out.append("</svg>")
    return "".join(out)
