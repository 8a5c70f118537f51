"""The report's small chart as server-rendered SVG (pure).

A phone should not download plotly.js (≈4.5 MB) to see three bars, so the SME's report draws
readiness and environment per area as plain SVG, with a <title> and <desc> for screen readers
and a data table beside it in the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    environment: float | None


def area_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    score_label: str,
    environment_label: str,
    no_data_label: str,
    width: int = 560,
) -> str:
    label_w, pad, row_h, bar_h = 170, 12, 58, 18
    plot_w = width - label_w - pad * 2 - 36
    legend_h = 28
    height = legend_h + row_h * len(bars) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title chart-desc" class="area-chart-svg" '
        f'font-family="inherit" font-size="13">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<rect x="{label_w}" y="4" width="12" height="12" fill="#0b5cad"/>'
        f'<text x="{label_w + 18}" y="15" fill="#1c2430">{escape(score_label)}</text>',
        f'<rect x="{label_w + 170}" y="4" width="12" height="12" fill="#9fb7d3"/>'
        f'<text x="{label_w + 188}" y="15" fill="#1c2430">{escape(environment_label)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = legend_h + i * row_h
        out.append(f'<rect x="{label_w}" y="{y + 6}" width="{plot_w}" height="{bar_h * 2 + 4}" '
                   f'fill="#eef1f5"/>')
    for i, bar in enumerate(bars):
        y = legend_h + i * row_h
        out.append(f'<text x="0" y="{y + 24}" fill="#1c2430">{escape(bar.label)}</text>')
        for j, (value, colour) in enumerate(((bar.score, "#0b5cad"),
                                             (bar.environment, "#9fb7d3"))):
            by = y + 6 + j * (bar_h + 4)
            if value is None:
                out.append(f'<text x="{label_w + 6}" y="{by + 13}" fill="#556070">'
                           f'{escape(no_data_label)}</text>')
                continue
            w = max(0.0, min(100.0, value)) / 100 * plot_w
            out.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}" '
                       f'fill="{colour}"/>')
            out.append(f'<text x="{label_w + plot_w + 6}" y="{by + 13}" fill="#1c2430">'
                       f'{round(value)}</text>')
    for tick in (0, 20, 40, 60, 80, 100):
        x = label_w + tick / 100 * plot_w
        out.append(f'<line x1="{x:.1f}" y1="{legend_h}" x2="{x:.1f}" y2="{height - 18}" '
                   f'stroke="#c5ccd6" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 4}" fill="#556070" '
                   f'text-anchor="middle">{tick}</text>')
    out.append("</svg>")
    return "".join(out)
