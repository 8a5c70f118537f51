"""The report as owners see it, in headless Chromium: the first screen on a phone, the peer
mark, the QR image, at 360 px in Chinese and at 1280 px in English; screenshots saved.

The firm is one the method must get right: refused a loan for lack of collateral, weak
systems. It has 21 real peers of its own industry and size, so the chart draws their median.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from survey.models import Response
from survey.services import responses as services
from tests.e2e.helpers import temporary_responses
from tests.helpers import varied_answers, worst_answers

from .conftest import Guard, LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def firm(live_server: LiveServer) -> Iterator[str]:
    """The refused firm's report token, with 21 peers of its industry and size; all removed
    afterwards so other browser tests never count them."""
    def make() -> list[Response]:
        me = worst_answers(fin_applied="yes")
        same = {"industry": me["industry"], "employees": me.get("employees")}
        peers = [services.create_submitted(
            {**varied_answers(seed=i), **{k: v for k, v in same.items() if v is not None}},
            language="zh", source="web") for i in range(21)]
        return [services.create_submitted(me, language="zh", source="web"), *peers]

    with temporary_responses(live_server.app, make) as stored:
        yield stored[0].token


def _bottom(page: Any, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"])


@pytest.mark.parametrize(("lang", "viewport"), [("zh", PHONE), ("en", LAPTOP)],
                         ids=["phone-zh", "desktop-en"])
def test_first_screen_shows_level_summary_and_three_actions(
        browser: Any, live_server: LiveServer, guard: Guard, firm: str, output_dir: Any,
        lang: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN" if lang == "zh" else "en")
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/report/{firm}?lang={lang}")
        actions = page.locator(".first-actions li")
        assert actions.count() == 3
        for selector in (".overall-line .level", ".summary", ".first-actions li:nth-child(3)"):
            assert page.locator(selector).is_visible(), selector
            assert _bottom(page, selector) <= viewport["height"], selector
        page.screenshot(path=str(output_dir / f"report-first-screen-{lang}.png"))
        page.screenshot(path=str(output_dir / f"report-{lang}.png"), full_page=True)

        # The peer median is on the chart, and the group is named under it.
        legend = "同类企业中位数" if lang == "zh" else "Typical similar firm"
        assert legend in (page.locator(".area-chart svg").text_content() or "")
        # 21 peers of its own, and any a browser test on the same server submitted before.
        peers = re.search(r"(\d+)", page.inner_text(".peer-note"))
        assert peers is not None and int(peers.group(1)) >= 21

        # A first action leads to its step, explained with the answers behind it.
        actions.first.locator("a").click()
        step = page.locator(".next-steps li:target")
        assert step.is_visible() and step.locator(".because").count() >= 1

        # The QR code is an image WeChat can recognise; delete is a quiet text link.
        qr = page.locator(".qr-figure img.qr")
        assert qr.get_attribute("src").startswith("data:image/png;base64,")
        assert qr.evaluate("img => img.naturalWidth") > 0
        delete = page.locator(".delete-link")
        assert delete.evaluate("a => getComputedStyle(a).backgroundColor") in (
            "rgba(0, 0, 0, 0)", "transparent")
        guard.assert_clean()
    finally:
        context.close()
