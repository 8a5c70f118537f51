"""The policy brief's chart as server-rendered SVG (pure): the share of SMEs with a
high-priority gap for each recommendation, with its 95 % interval.

Plain SVG for the same reasons as the report's chart (survey.core.charts.report_svg): it prints
the same from every browser and from the server's PDF, needs no JavaScript, and carries a
<title> and <desc> for screen readers beside the table that gives the same numbers. Bars have
the high-priority colour; the interval is a dark whisker, so "which bar is longer" is never read
without "how sure". A hidden share draws no bar, only its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from survey.core.charts.palette import INK, PAPER, PRIORITY_COLOURS
from survey.core.charts.report_svg import GRID, MUTED, TRACK
from survey.core.stats import Interval


@dataclass(frozen=True)
class ShareBar:
    """One row: `label`, `value` (a fraction, None when hidden) and its text, `interval`."""

    label: str
    value: float | None
    text: str
    interval: Interval | None = None


def _wrap(label: str, max_chars: int) -> list[str]:
    """Words onto at most two lines (a Chinese label has no spaces and is short)."""
    if len(label) <= max_chars or " " not in label:
        return [label]
    lines: list[str] = []
    words, line = label.split(" "), ""
    for word in words:
        if line and len(line) + 1 + len(word) > max_chars and len(lines) < 1:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def _x(value: float, left: int, plot_w: int) -> float:
    return left + max(0.0, min(1.0, value)) * plot_w


def share_chart(bars: Sequence[ShareBar], *, title: str, description: str, axis_label: str,
                interval_label: str, chart_id: str = "brief-chart", width: int = 640) -> str:
    """Horizontal bars on a 0–100 % axis with interval whiskers and the value beside each."""
    label_w, right, row_h, bar_h, top = 200, 92, 34, 14, 30
    plot_w = width - label_w - right
    height = top + row_h * len(bars) + 34
    colour = PRIORITY_COLOURS["high"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="12" '
        f'class="brief-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="{label_w}" y="6" width="11" height="11" fill="{colour}"/>'
        f'<text x="{label_w + 15}" y="16" fill="{INK}">{escape(axis_label)}</text>',
        f'<line x1="{label_w + plot_w // 2}" y1="11.5" x2="{label_w + plot_w // 2 + 18}" '
        f'y2="11.5" stroke="{INK}" stroke-width="1.5"/>'
        f'<text x="{label_w + plot_w // 2 + 23}" y="16" fill="{INK}">'
        f'{escape(interval_label)}</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick / 100, label_w, plot_w)
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 18}" '
                   f'stroke="{GRID}" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 5}" fill="{MUTED}" font-size="11" '
                   f'text-anchor="middle">{tick}%</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        lines = _wrap(bar.label, 30)
        first = y + row_h / 2 + 4 - 7 * (len(lines) - 1)
        tspans = "".join(f'<tspan x="{label_w - 8}" y="{first + 14 * k:.1f}">'
                         f'{escape(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text fill="{INK}" text-anchor="end">{tspans}</text>')
        by = y + (row_h - bar_h) / 2
        out.append(f'<rect x="{label_w}" y="{by:.1f}" width="{plot_w}" height="{bar_h}" '
                   f'fill="{TRACK}"/>')
        if bar.value is None:
            out.append(f'<text x="{label_w + 5}" y="{by + 11:.1f}" fill="{MUTED}">'
                       f'{escape(bar.text)}</text>')
            continue
        end = _x(bar.value, label_w, plot_w)
        out.append(f'<rect x="{label_w}" y="{by:.1f}" width="{end - label_w:.1f}" '
                   f'height="{bar_h}" fill="{colour}"/>')
        if bar.interval is not None:
            lo, hi = (_x(bar.interval.low, label_w, plot_w),
                      _x(bar.interval.high, label_w, plot_w))
            mid = by + bar_h / 2
            out.append(f'<g stroke="{INK}" stroke-width="1.5">'
                       f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" '
                       f'stroke="{PAPER}" stroke-width="3.5"/>'
                       f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}"/>'
                       f'<line x1="{lo:.1f}" y1="{by - 2:.1f}" x2="{lo:.1f}" '
                       f'y2="{by + bar_h + 2:.1f}"/>'
                       f'<line x1="{hi:.1f}" y1="{by - 2:.1f}" x2="{hi:.1f}" '
                       f'y2="{by + bar_h + 2:.1f}"/></g>')
        out.append(f'<text x="{label_w + plot_w + 6}" y="{by + 11:.1f}" fill="{INK}">'
                   f'{escape(bar.text)}</text>')
    out.append("</svg>")
    return "".join(out)
