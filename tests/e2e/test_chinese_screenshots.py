"""The report and the dashboard in Chinese, in headless Chromium: glyphs, not tofu.

A page can be perfectly translated and still unreadable: if no font in the CSS stack (or in
Plotly's layout font) covers CJK, Chromium draws boxes. These tests render both pages with
charts drawn, save screenshots, and ask Chromium itself which platform font drew the Chinese
text (DevTools' CSS.getPlatformFontsForNode), besides comparing the drawn pixels of two
different characters (tofu boxes are all alike). Only local fonts may be used: the guard
fails on any request to another host.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from survey.core.charts import CHART_IDS
from survey.core.questionnaire import load_questionnaire
from survey.models import Response
from survey.services import demo
from survey.services import responses as services
from tests.e2e.helpers import bench_rows, ensure_staff, submit_sign_in, temporary_responses
from tests.helpers import synthetic_2027

from .conftest import Guard, LiveServer

pytestmark = pytest.mark.e2e

EMAIL = "chinese-e2e@example.org"
# Simplified-Chinese faces only: a fallback to "Noto Sans CJK JP" would draw Japanese glyph
# shapes for some Han characters.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
             "WenQuanYi Micro Hei", "Hiragino Sans GB")

# Two different characters drawn in the element's own font: identical pixels mean both are the
# same "missing glyph" box; no ink at all means nothing was drawn.
DISTINCT_GLYPHS_JS = """
(selector) => {
  const el = document.querySelector(selector);
  const family = getComputedStyle(el).fontFamily;
  const draw = (ch) => {
    const c = document.createElement("canvas");
    c.width = 48; c.height = 48;
    const ctx = c.getContext("2d");
    ctx.font = "32px " + family;
    ctx.fillStyle = "#000";
    ctx.fillText(ch, 4, 38);
    return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(",");
  };
  const a = draw("数"), b = draw("据");
  const ink = (s) => s.split(",").some((v, i) => i % 4 === 3 && v !== "0");
  return {family, different: a !== b, ink: ink(a) && ink(b)};
}
"""


def platform_fonts(page: Any, selector: str) -> list[str]:
    """The font families Chromium actually used for the text under `selector`."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector}"
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return [f["familyName"] for f in fonts if f.get("glyphCount", 0) > 0]
    finally:
        cdp.detach()


def assert_cjk_glyphs(page: Any, selector: str) -> None:
    used = platform_fonts(page, selector)
    assert any(f.startswith(CJK_FONTS) for f in used), (selector, used)
    drawn = page.evaluate(DISTINCT_GLYPHS_JS, selector)
    assert drawn["ink"] and drawn["different"], (selector, drawn)


@pytest.fixture
def report_token(live_server: LiveServer) -> Iterator[str]:
    """A real assessment answered in Chinese, removed afterwards so that other browser tests
    sharing the server never count it as a peer."""
    def make() -> list[Response]:
        answers = demo.synth_answers(load_questionnaire(), random.Random(2026))
        return [services.create_submitted(answers, language="zh", source="web")]

    with temporary_responses(live_server.app, make) as (stored,):
        yield stored.token


@pytest.fixture
def staff_with_data(live_server: LiveServer) -> Iterator[None]:
    """An analyst and 400 demo assessments of method 2027.1 (enough for every chart), removed
    afterwards."""
    ensure_staff(live_server.app, EMAIL)
    with bench_rows(live_server.app, synthetic_2027(400, seed=66, demo=True)):
        yield


def test_report_in_chinese_has_glyphs(context: Any, live_server: LiveServer, guard: Guard,
                                      report_token: str, output_dir: Any) -> None:
    page = guard.attach(context.new_page())  # an English browser, switched by ?lang=zh
    page.goto(f"{live_server.url}/report/{report_token}?lang=zh")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.inner_text("h1") == "您的数字化准备度报告"
    page.wait_for_selector(".area-chart svg", state="visible")
    page.screenshot(path=str(output_dir / "report-zh.png"), full_page=True)
    page.locator(".area-chart").screenshot(path=str(output_dir / "report-zh-chart.png"))
    assert_cjk_glyphs(page, "h1")
    assert_cjk_glyphs(page, ".area-chart svg text")
    page.emulate_media(media="print")
    page.screenshot(path=str(output_dir / "report-zh-print.png"), full_page=True)
    guard.assert_clean()


def test_dashboard_in_chinese_has_charts_and_glyphs(browser: Any, live_server: LiveServer,
                                                    guard: Guard, staff_with_data: None,
                                                    output_dir: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = guard.attach(context.new_page())
        page.goto(live_server.url + "/staff/login")
        assert page.get_attribute("html", "lang") == "zh-Hans"  # from Accept-Language
        submit_sign_in(page, EMAIL)
        page.goto(live_server.url + "/staff/?demo=only")
        assert page.inner_text("h1") == "数据看板"
        drawn = [c for c in CHART_IDS if page.locator(f"#fig-{c}").count()]
        assert set(CHART_IDS) - set(drawn) <= {"trend_waves"}  # one wave: no trend to draw
        for chart_id in drawn:
            page.wait_for_selector(f"#plot-{chart_id} svg.main-svg", state="attached",
                                   timeout=15_000)
        assert page.locator(".modebar").count() == 0  # plotly.js's tooltips are English only
        page.screenshot(path=str(output_dir / "dashboard-zh.png"), full_page=True)
        for chart_id in drawn:
            page.locator(f"#chart-{chart_id}").screenshot(
                path=str(output_dir / f"chart-{chart_id}-zh.png"))
        assert_cjk_glyphs(page, "h1")
        first = CHART_IDS[0]
        title = page.text_content(f"#plot-{first} .gtitle") or ""
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title
        assert_cjk_glyphs(page, f"#plot-{first} .gtitle")
        assert_cjk_glyphs(page, f"#plot-{first} .xtitle, #plot-{first} .ytitle")
        page.goto(live_server.url + "/staff/brief")
        assert page.inner_text("h1").startswith("政策简报")
        page.emulate_media(media="print")
        page.screenshot(path=str(output_dir / "brief-zh-print.png"), full_page=True)
        assert_cjk_glyphs(page, "h1")
        guard.assert_clean()
        assert any("/vendor/plotly-" in url for url in guard.requests)
    finally:
        context.close()
