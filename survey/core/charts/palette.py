"""One colour per score, the same in the SME's report, its PDF and every staff chart (pure).

A reader who learns "financing is teal" on one chart must not find it orange on the next. The
colours are distinguishable with the common colour-vision deficiencies (blue, teal and amber
differ in lightness as well as hue) and each has at least 3:1 contrast with white, as WCAG
1.4.11 asks of graphics. The environment around the firm is a neutral grey in the report, so it
never reads as a fourth area.
"""

from __future__ import annotations

METRIC_COLOURS: dict[str, str] = {
    "overall": "#3d4a5c",
    "financing": "#0b7a75",
    "digital_technology": "#0b5cad",
    "overseas_markets": "#a64d00",
}
ENVIRONMENT_COLOUR = "#6b7480"
PEER_MARK_COLOUR = "#1c2430"
