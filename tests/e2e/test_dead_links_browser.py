"""A private link that opens nothing, in Chromium on a 360 px phone: the page explains in the
browser's language, passes axe-core, fits the screen, and its language switch and "start again"
lead somewhere useful without carrying the link's token."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.a11y import assert_accessible, run_axe
from tests.e2e.conftest import Guard, LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
MISTYPED = "Zq9" + "x" * 40


@pytest.mark.parametrize(("locale", "kind", "title"), [
    ("zh-CN", "r", "此链接打不开任何答案"),
    ("en-US", "report", "This link does not open any answers"),
], ids=["zh-resume", "en-report"])
def test_a_dead_link_explains_and_offers_a_new_start(
        browser: Any, live_server: LiveServer, guard: Guard, output_dir: Any,
        locale: str, kind: str, title: str) -> None:
    context = browser.new_context(viewport=PHONE, locale=locale)
    try:
        page = guard.attach(context.new_page())
        response = page.goto(f"{live_server.url}/{kind}/{MISTYPED}")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == title
        assert MISTYPED not in page.content()
        assert int(page.evaluate("document.documentElement.scrollWidth"
                                 " - document.documentElement.clientWidth")) == 0
        page.screenshot(path=str(output_dir / "dead-link.png"), full_page=True)
        assert_accessible(run_axe(page, f"dead-link-{locale}"))

        with page.expect_navigation():
            page.locator(".lang-switch a").click()
        assert MISTYPED not in page.url and "/link-not-found" in page.url
        assert page.locator("h1").inner_text() != title

        with page.expect_navigation():
            page.locator("main a.button").click()
        assert page.url.rstrip("/") == live_server.url
        assert page.locator("#consent").count() == 1
    finally:
        context.close()
    # Chromium logs each 404 document (the link, then its copy in the other language).
    assert [e for e in guard.console_errors if "status of 404" not in e] == []
    assert guard.foreign_requests == []
