"""Every colour the charts use, the same in the SME's report, its PDF and every staff chart (pure).

A reader who learns "financing is teal" or "high priority is red" on one chart must not find it
orange on the next, so each area and each priority has one colour here and nowhere else (the
stylesheet's priority colours are checked against these by a test). The colours are
distinguishable with the common colour-vision deficiencies (blue, teal and amber differ in
lightness as well as hue) and each has at least 3:1 contrast with white, as WCAG 1.4.11 asks of
graphics; the priority colours reach 4.5:1, since the staff pages also write priorities as
coloured text. The environment around the firm is a neutral grey in the report, so it never
reads as a fourth area.
"""

from __future__ import annotations

METRIC_COLOURS: dict[str, str] = {
    "overall": "#3d4a5c",
    "financing": "#0b7a75",
    "digital_technology": "#0b5cad",
    "overseas_markets": "#a64d00",
}
PRIORITY_COLOURS: dict[str, str] = {
    "high": "#b3261e",
    "medium": "#9a5b00",
    "low": "#1e7a46",
    "unknown": "#556070",
}
ALL_COLOUR = "#2b2f36"
"""Everyone in the selection, where groups of it are drawn beside it."""
SIZE_COLOURS: dict[str, str] = {
    "micro": "#9466b8", "small": "#7a4ea3", "medium": "#5e3588", "large": "#43216a",
}
"""Size classes: one hue, darker for larger, so no size borrows an area's or a priority's
colour."""
NOT_STATED_COLOUR = "#7d8794"
ENVIRONMENT_COLOUR = "#6b7480"
INK = "#1c2430"
"""Text and axes on every chart (the page's own ink)."""
PAPER = "#ffffff"
HATCH = "#ffffff"
"""The stripes over a low-precision bar, which keeps its own colour underneath."""
BREAK_LINE = "#556070"
"""The dashed line where the questionnaire changed."""
PEER_MARK_COLOUR = "#1c2430"

SEQUENTIAL: list[list[float | str]] = [[0.0, "#dbe8f7"], [0.5, "#a9c8ea"], [1.0, "#5f97d6"]]
"""Heatmap cells: light for few, darker for many, fitted to the values shown.

Even the lightest end is a clear blue, never the white or grey of a hidden cell. plotly.js
picks each cell's text colour itself (#444 or white), and on mid blues neither reaches 4.5:1;
one dark text colour (CELL_TEXT) over a scale that stays light enough always does (5.1:1 at
the darkest end).
"""
CELL_TEXT = "#1c2430"
HIDDEN_FILL = "#ffffff"
"""A hidden cell: white with grey hatching (HIDDEN_HATCH) and its label on a white box, so it
can never be read as the palest value of the scale."""
HIDDEN_HATCH = "#9aa3ae"
HIDDEN_TEXT = "#3b4552"
HIDDEN_LABEL_BG = "#eef0f3"
"""The box behind "hidden (n<10)" where a suppressed bar would stand."""
