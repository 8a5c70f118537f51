"""/staff/indicators in headless Chromium, in English and Chinese, on a desktop and a phone:
screenshots (screen and print), axe with no violation of any impact, no sideways scrolling of
the page (the wide tables scroll inside their own region), CJK glyphs drawn."""

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

EMAIL = "indicators-e2e@example.org"
URL = "/staff/indicators?demo=only&by=region"


@pytest.fixture
def staff_with_answers(live_server: LiveServer) -> Iterator[None]:
    """An analyst and 300 demo assessments with plausible answers, removed afterwards."""
    ensure_staff(live_server.app, EMAIL)
    q = load_questionnaire()
    rnd = random.Random(31)
    rows = [{**row, "answers": demo.synth_answers(q, rnd)}
            for row in synthetic_2027(300, seed=31, demo=True)]
    with bench_rows(live_server.app, rows):
        yield


@pytest.mark.parametrize(("lang", "locale", "heading"), [("en", "en-US", "Indicators by segment"),
                                                         ("zh", "zh-CN", "分组指标")],
                         ids=["en", "zh"])
@pytest.mark.parametrize(("size", "viewport"), [("desktop", {"width": 1280, "height": 900}),
                                                ("phone", {"width": 360, "height": 740})],
                         ids=["desktop", "phone"])
def test_indicators_page(browser: Any, live_server: LiveServer, staff_with_answers: None,
                         output_dir: Any, lang: str, locale: str, heading: str, size: str,
                         viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale=locale)
    guard = Guard(live_server.url)
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/staff/login?lang={lang}")
        submit_sign_in(page, EMAIL)
        response = page.goto(f"{live_server.url}{URL}")
        assert response is not None and response.status == 200
        assert page.inner_text("h1") == heading
        assert page.locator(".indicator-table tbody tr").count() > 50
        assert page.locator('nav.staff-nav a[aria-current="page"]').count() == 1
        page.screenshot(path=str(output_dir / f"indicators-{lang}-{size}.png"), full_page=True)
        assert page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert_no_violations(run_axe(page, f"staff-indicators-{lang}-{size}"))
        if lang == "zh":
            assert_cjk_glyphs(page, "h1")
            assert_cjk_glyphs(page, ".indicator-table th[scope=row]")
        page.emulate_media(media="print")
        page.screenshot(path=str(output_dir / f"indicators-{lang}-{size}-print.png"),
                        full_page=True)
        guard.assert_clean()
    finally:
        context.close()
