"""The report's small chart as server-rendered SVG (pure).

A phone should not download plotly.js (≈4.5 MB) to see three bars, so the SME's report draws
readiness and environment per area as plain SVG, with a <title> and <desc> for screen readers
and a data table beside it in the page. The drawing is sized for a 360 px phone and scales up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

READINESS_COLOUR = "#0b5cad"
ENVIRONMENT_COLOUR = "#5b87bd"  # 3.8:1 on white, as WCAG asks of graphics
INK, MUTED, TRACK, GRID = "#1c2430", "#556070", "#eef1f5", "#c5ccd6"


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    environment: float | None


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
    width: int = 360,
) -> str:
    label_w, right, row_h, bar_h, legend_h = 96, 30, 56, 16, 30
    plot_w = width - label_w - right
    height = legend_h + row_h * len(bars) + 22
    half = label_w + plot_w // 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title chart-desc" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<rect x="{label_w}" y="6" width="11" height="11" fill="{READINESS_COLOUR}"/>'
        f'<text x="{label_w + 15}" y="16" fill="{INK}">{escape(score_label)}</text>',
        f'<rect x="{half}" y="6" width="11" height="11" fill="{ENVIRONMENT_COLOUR}"/>'
        f'<text x="{half + 15}" y="16" fill="{INK}">{escape(environment_label)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = legend_h + i * row_h
        lines = _label_lines(bar.label)
        first = y + 26 - 7 * (len(lines) - 1)
        tspans = "".join(f'<tspan x="0" y="{first + 14 * k}">{escape(line)}</tspan>'
                         for k, line in enumerate(lines))
        out.append(f'<text fill="{INK}" font-weight="600">{tspans}</text>')
        for j, (value, colour) in enumerate(((bar.score, READINESS_COLOUR),
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
                       f'fill="{colour}"/>')
            out.append(f'<text x="{label_w + plot_w + 4}" y="{by + 12}" fill="{INK}">'
                       f'{math.floor(value)}</text>')
    for tick in (0, 20, 40, 60, 80, 100):
        x = label_w + tick / 100 * plot_w
        out.append(f'<line x1="{x:.1f}" y1="{legend_h + 4}" x2="{x:.1f}" y2="{height - 16}" '
                   f'stroke="{GRID}" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 3}" fill="{MUTED}" font-size="11" '
                   f'text-anchor="middle">{tick}</text>')
    out.append("</svg>")
    return "".join(out)
