"""/staff/brief in headless Chromium, in English and Chinese: the key findings and the chart
drawn from real (non-demo) rows with answers, screenshots on screen and in print, axe with no
violation of any impact, CJK glyphs drawn, and absolute links printing their address."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from survey.core.questionnaire import load_questionnaire
from survey.services import demo
from tests.e2e.helpers import bench_rows, ensure_staff, submit_sign_in
from tests.helpers import synthetic_2027

from .a11y import assert_no_violations, run_axe
from .conftest import Guard, LiveServer
from .test_chinese_screenshots import assert_cjk_glyphs

pytestmark = pytest.mark.e2e

EMAIL = "brief-e2e@example.org"
HEADINGS = {"en": "Key findings", "zh": "主要发现"}


@pytest.fixture
def real_answers(live_server: LiveServer) -> Iterator[None]:
    """An analyst and 400 real (non-demo) assessments with plausible answers, removed
    afterwards: the brief never shows demo rows."""
    ensure_staff(live_server.app, EMAIL)
    q = load_questionnaire()
    rnd = random.Random(17)
    rows = [{**row, "answers": demo.synth_answers(q, rnd)}
            for row in synthetic_2027(400, seed=17)]
    with bench_rows(live_server.app, rows):
        yield


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-US"), ("zh", "zh-CN")],
                         ids=["en", "zh"])
def test_the_brief_tells_its_findings(browser: Any, live_server: LiveServer,
                                      real_answers: None, output_dir: Any, lang: str,
                                      locale: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    guard = Guard(live_server.url)
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/staff/login?lang={lang}")
        submit_sign_in(page, EMAIL)
        response = page.goto(f"{live_server.url}/staff/brief")
        assert response is not None and response.status == 200
        assert page.inner_text("#findings-h") == HEADINGS[lang]
        assert page.locator(".key-findings li").count() == 3
        chart = page.locator("figure.brief-figure svg")
        assert chart.count() == 1 and chart.bounding_box()["width"] > 300
        page.screenshot(path=str(output_dir / f"brief-{lang}.png"), full_page=True)
        assert_no_violations(run_axe(page, f"staff-brief-findings-{lang}"))
        if lang == "zh":
            assert_cjk_glyphs(page, "#findings-h")
            assert_cjk_glyphs(page, ".key-findings li")
        page.emulate_media(media="print")
        after = page.evaluate(
            "() => getComputedStyle(document.querySelector("
            "'#method-h + p a[href^=\"http\"]'), '::after').content")
        assert "/methodology" in after  # a printed link shows where it goes
        assert page.locator(".brief-url .url").inner_text().startswith(live_server.url)
        page.screenshot(path=str(output_dir / f"brief-{lang}-print.png"), full_page=True)
        guard.assert_clean()
    finally:
        context.close()
