"""The dashboard in headless Chromium: sign in, every chart drawn, no console error, no CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from survey.core.charts import CHART_IDS
from tests.e2e.helpers import bench_rows, ensure_staff, submit_sign_in
from tests.helpers import synthetic_2027

from .conftest import Guard, LiveServer

EMAIL = "dashboard-e2e@example.org"


@pytest.fixture
def seeded(live_server: LiveServer) -> Iterator[None]:
    """Demo rows of method 2027.1 only (never peers, never in the brief), removed afterwards."""
    ensure_staff(live_server.app, EMAIL)
    with bench_rows(live_server.app, synthetic_2027(400, seed=7, demo=True)):
        yield


@pytest.mark.e2e
def test_signed_in_analyst_sees_every_chart_drawn(
    context: Any, live_server: LiveServer, guard: Guard, seeded: None, output_dir: Any
) -> None:
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/staff/")
    assert "/staff/login" in page.url  # anonymous: sent to sign in
    submit_sign_in(page, EMAIL)
    page.goto(live_server.url + "/staff/?demo=only")
    assert "demo assessments" in page.inner_text(".banner-demo")
    for chart_id in CHART_IDS:
        if chart_id == "trend_waves":  # every row in one wave: a sentence, not a trend
            assert "needs at least two survey waves" in page.inner_text("#chart-trend_waves")
            continue
        page.wait_for_selector(f"#plot-{chart_id} svg.main-svg", state="attached",
                               timeout=15_000)
        assert page.locator(f"#plot-{chart_id} .plot-container").count() == 1
        assert page.locator(f"#chart-{chart_id}.is-drawn").count() == 1
    hidden = page.locator("text=hidden (n<10)")
    assert hidden.count() > 0  # small groups are written out, not drawn
    assert_data_tables_look_openable(page)
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)
    page.goto(live_server.url + "/staff/brief")
    assert page.locator("h1").count() == 1
    guard.assert_clean()
    assert any("/vendor/plotly-" in url for url in guard.requests)


@pytest.fixture
def real_rows(live_server: LiveServer) -> Iterator[None]:
    """Non-demo rows of method 2027.1 (the brief never shows demo ones), removed afterwards."""
    ensure_staff(live_server.app, EMAIL)
    with bench_rows(live_server.app, synthetic_2027(600, seed=9)):
        yield


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_brief_prints_on_three_a4_pages_at_most(context: Any, live_server: LiveServer,
                                                     guard: Guard, real_rows: None,
                                                     output_dir: Any, lang: str) -> None:
    """With the key findings, the chart and the industry composition it no longer fits two:
    a fixed break before the recommendations then left a page half empty, so the sections
    flow, and the brief takes three pages at most."""
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/staff/login")
    submit_sign_in(page, EMAIL)
    page.goto(live_server.url + f"/staff/brief?lang={lang}")
    assert page.locator("table.recs").count() == 1
    assert page.locator("table.credit").count() == 1
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (output_dir / f"brief-{lang}.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 3
    guard.assert_clean()


def assert_data_tables_look_openable(page: Any) -> None:
    """The data-table disclosure shows a marker that turns when opened (display: flex on a
    summary silently drops the browser's own triangle)."""
    summary = page.locator("#chart-region details.chart-data summary")
    marker = summary.evaluate("el => getComputedStyle(el, '::before').borderLeftWidth")
    assert float(marker.rstrip("px")) > 4, marker
    closed = summary.evaluate("el => getComputedStyle(el, '::before').transform")
    summary.click()
    assert page.locator("#chart-region details.chart-data[open] table").is_visible()
    page.wait_for_timeout(300)
    assert summary.evaluate("el => getComputedStyle(el, '::before').transform") != closed
