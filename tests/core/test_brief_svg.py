"""The brief's chart as SVG: one bar per recommendation in the high-priority colour, interval
whiskers where they belong, hidden shares drawn as text, labels escaped, valid XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from survey.core.charts.brief_svg import ShareBar, share_chart
from survey.core.charts.palette import PRIORITY_COLOURS
from survey.core.stats import Interval

SVG = "{http://www.w3.org/2000/svg}"


def chart(bars: list[ShareBar]) -> str:
    return share_chart(bars, title="High priority <by> need", description="Five & more",
                       axis_label="High priority", interval_label="95% interval")


def test_bars_whiskers_and_text() -> None:
    svg = chart([ShareBar("Finance", 0.5, "50%", Interval(0.4, 0.6)),
                 ShareBar("Talent", 0.25, "25%", Interval(0.15, 0.35))])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == "High priority <by> need"  # type: ignore[union-attr]
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == PRIORITY_COLOURS["high"]]
    assert len(bars) == 3  # the legend swatch and two bars
    plot_w = 640 - 200 - 92
    assert float(bars[1].get("width", 0)) == plot_w * 0.5
    assert float(bars[2].get("width", 0)) == plot_w * 0.25
    whiskers = root.findall(f"{SVG}g")
    assert len(whiskers) == 2
    first = whiskers[0].findall(f"{SVG}line")[1]
    assert float(first.get("x1", 0)) == round(200 + 0.4 * plot_w, 1)
    assert float(first.get("x2", 0)) == round(200 + 0.6 * plot_w, 1)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "50%" in texts and "25%" in texts and "100%" in texts


def test_a_hidden_share_draws_no_bar_and_says_why() -> None:
    svg = chart([ShareBar("Finance", None, "hidden (n<10)"),
                 ShareBar("Talent", 0.3, "30%", None)])
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == PRIORITY_COLOURS["high"]]
    assert len(bars) == 2  # the swatch and Talent's
    assert "hidden (n&lt;10)" in svg
    assert not root.findall(f"{SVG}g")  # no interval, no whisker


def test_long_labels_wrap_and_values_stay_on_the_axis() -> None:
    svg = chart([ShareBar("Financial support for digital transformation of small firms", 1.4,
                          "140%", Interval(-0.1, 1.2))])
    assert len(re.findall(r"<tspan", svg)) == 2
    root = ET.fromstring(svg)
    bar = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == PRIORITY_COLOURS["high"]][1]
    assert float(bar.get("width", 0)) == 640 - 200 - 92  # clipped to 100 %
    assert "<script" not in svg
