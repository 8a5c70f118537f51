"""The dashboard's charts as Chromium draws them: a low-precision bar keeps its colour, heatmaps
scroll sideways on a phone instead of overlapping, month filters are real fields, and axe finds
nothing — at 360 px and 1280 px, in English and Chinese, with screenshots kept."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from tests.e2e.helpers import bench_rows, ensure_staff, submit_sign_in
from tests.helpers import synthetic_2027

from .a11y import assert_no_violations, run_axe
from .conftest import Guard, LiveServer

pytestmark = pytest.mark.e2e

EMAIL = "chart-reading-e2e@example.org"
WIDTHS = (360, 1280)
HEATMAPS = ("industry_size", "demand_segments", "readiness_environment", "crosstab")

# The SVG of one bar: its size, what fills it, and (for a hatched bar) the pattern's own
# background, which is what shows between the stripes.
BAR_JS = """([plot, trace, point]) => {
  const traces = document.querySelectorAll("#" + plot + " .barlayer .trace");
  const path = traces[trace].querySelectorAll(".point path")[point];
  const box = path.getBBox(), r = path.getBoundingClientRect();
  const fill = path.style.fill || path.getAttribute("fill") || "";
  const m = /url\\("?#([^")]+)"?\\)/.exec(fill);
  const pattern = m ? document.getElementById(m[1]) : null;
  const rect = pattern ? pattern.querySelector("rect") : null;
  return {fill, width: box.width, height: box.height, patterned: !!pattern,
          background: rect ? rect.getAttribute("fill") : null,
          clip: {x: r.left + window.scrollX, y: r.top + window.scrollY,
                 width: r.width, height: r.height}};
}"""

# Every pair of labels drawn in a figure whose boxes cross (tick labels, annotations, title).
OVERLAPS_JS = """(plot) => {
  const root = document.getElementById(plot);
  const boxes = [...root.querySelectorAll(
      ".xtick text, .ytick text, .annotation-text-g, .g-gtitle text")]
    .map((el) => ({text: el.textContent.slice(0, 30), r: el.getBoundingClientRect()}))
    .filter((b) => b.r.width > 0 && b.r.height > 0 && b.text.trim());
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (dx > 2 && dy > 2) out.push([boxes[i].text, boxes[j].text]);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def dashboard_rows(live_server: LiveServer) -> Iterator[None]:
    """Demo rows of method 2027.1 in which one region has 24 SMEs: shown, but under n = 30."""
    ensure_staff(live_server.app, EMAIL)
    with bench_rows(live_server.app, synthetic_2027(300, seed=7, demo=True)):
        yield


def signed_in(context: Any, live_server: LiveServer, guard: Guard, width: int,
              lang: str) -> Any:
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/staff/login?lang={lang}")
    submit_sign_in(page, EMAIL)
    return page


def open_dashboard(page: Any, live_server: LiveServer, query: str = "demo=only") -> None:
    page.goto(f"{live_server.url}/staff/?{query}")
    figures = page.locator("[data-figure]").count()
    assert figures > 0
    page.wait_for_function(
        "n => document.querySelectorAll('.chart-figure.is-drawn').length === n",
        arg=figures, timeout=30_000)


def low_precision_point(page: Any, chart_id: str) -> int:
    fig = json.loads(page.locator(f"#fig-{chart_id}").text_content())
    shapes = fig["data"][0]["marker"]["pattern"]["shape"]
    assert "/" in shapes, "seed a shown group under n = 30"
    return int(shapes.index("/"))


def ink_share(png: bytes) -> float:
    """The share of pixels that are clearly not white."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    total = image.width * image.height
    colours = image.getcolors(total) or []
    return sum(count for count, rgb in colours if min(rgb) < 200) / max(1, total)


def test_a_bar_under_n_30_is_drawn_in_its_colour(context: Any, live_server: LiveServer,
                                                 guard: Guard, dashboard_rows: None,
                                                 output_dir: Any) -> None:
    page = signed_in(context, live_server, guard, 1280, "en")
    open_dashboard(page, live_server)
    point = low_precision_point(page, "region")
    bar = page.evaluate(BAR_JS, ["plot-region", 0, point])
    assert bar["patterned"] and bar["height"] > 5 and bar["width"] > 2, bar
    assert bar["background"] not in (None, "", "#ffffff", "rgb(255, 255, 255)", "white"), bar
    png = page.screenshot(clip=bar["clip"], full_page=True)
    (output_dir / "low-precision-bar.png").write_bytes(png)
    assert ink_share(png) > 0.4, "the hatched bar is (nearly) white"
    guard.assert_clean()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_reads_at_phone_and_laptop_width(
        context: Any, live_server: LiveServer, guard: Guard, dashboard_rows: None,
        output_dir: Any, lang: str, width: int) -> None:
    page = signed_in(context, live_server, guard, width, lang)
    open_dashboard(page, live_server)
    page.screenshot(path=str(output_dir / f"dashboard-{lang}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for chart_id in HEATMAPS:
        scroller = page.locator(f"#chart-{chart_id} .chart-scroll")
        assert scroller.count() == 1, chart_id
        sizes = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
        if width == 360:
            assert sizes[0] > sizes[1], (chart_id, sizes)  # scrolls instead of squeezing
        assert page.evaluate(OVERLAPS_JS, f"plot-{chart_id}") == [], chart_id
    for chart_id in ("region", "distribution"):
        assert page.evaluate(OVERLAPS_JS, f"plot-{chart_id}") == [], chart_id
    heading = page.locator("#chart-industry_size-h")
    if width == 360:  # the figure's title would be cut off: the page's heading wraps instead
        assert heading.evaluate("el => el.getBoundingClientRect().width") > 100
        assert page.locator("#plot-industry_size .g-gtitle text").count() == 0
    else:
        assert page.locator("#chart-region.is-titled").count() == 1
    assert page.locator(".method-notes li").count() >= 3
    assert page.locator(".chart-notes li", has_text="95%").count() == 0
    assert_month_fields(page)
    assert_no_violations(run_axe(page, f"chart-reading-dashboard-{lang}-{width}"))
    guard.assert_clean()


def assert_month_fields(page: Any) -> None:
    """Real fields, not two tiny "---------- ----" boxes; and where a browser has no month
    picker (here: the same field as a text box), YYYY-MM is asked for and checked."""
    for selector in ("#f-from", "#f-to"):
        box = page.locator(selector).bounding_box()
        assert box["height"] >= 40 and box["width"] >= 150, (selector, box)
        size = page.locator(selector).evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 15, (selector, size)
    fallback = page.evaluate("""() => {
      const el = document.getElementById("f-from").cloneNode();
      el.type = "text";
      const check = (v) => { el.value = v; return el.checkValidity(); };
      return {placeholder: el.placeholder, ok: check("2026-03"), month13: check("2026-13"),
              words: check("March 2026")};
    }""")
    assert fallback["ok"] and not fallback["month13"] and not fallback["words"], fallback
    assert "YYYY-MM" in fallback["placeholder"]


def test_a_month_typed_as_yyyy_mm_filters_the_dashboard(context: Any, live_server: LiveServer,
                                                       guard: Guard, dashboard_rows: None
                                                       ) -> None:
    page = signed_in(context, live_server, guard, 360, "en")
    page.goto(f"{live_server.url}/staff/?demo=only")
    page.locator("#f-from").evaluate("el => { el.type = 'text'; }")
    page.fill("#f-from", "2026-01")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "month_from=2026-01" in page.url
    assert page.locator(".filters .error-summary").count() == 0
    assert page.locator("#f-from").input_value() == "2026-01"
    guard.assert_clean()
