"""The dashboard in headless Chromium: sign in, every chart drawn, no console error, no CDN."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from bench.seed import insert_rows, synthetic
from survey.auth import hash_password
from survey.charts import CHART_IDS
from survey.extensions import db
from survey.models import Assessment, Response, StaffUser

from .conftest import Guard, LiveServer

EMAIL = "dashboard-e2e@example.org"
PASSWORD = "a-long-e2e-passphrase-2026"


@pytest.fixture
def seeded(live_server: LiveServer) -> Iterator[None]:
    """Demo rows only (never peers, never in the brief), removed afterwards, so the other
    browser tests sharing this server see the database as they left it."""
    with live_server.app_context():
        if db.session.scalar(select(StaffUser).where(StaffUser.email == EMAIL)) is None:
            db.session.add(StaffUser(email=EMAIL, password_hash=hash_password(PASSWORD),
                                     role="analyst"))
        insert_rows(db.session, synthetic(400, seed=7, demo=True))
        db.session.commit()
    try:
        yield
    finally:
        with live_server.app_context():
            ids = select(Response.id).where(Response.source == "bench")
            db.session.execute(delete(Assessment).where(Assessment.response_id.in_(ids)))
            db.session.execute(delete(Response).where(Response.source == "bench"))
            db.session.commit()


@pytest.mark.e2e
def test_signed_in_analyst_sees_every_chart_drawn(
    context: Any, live_server: LiveServer, guard: Guard, seeded: None, output_dir: Any
) -> None:
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/staff/")
    assert "/staff/login" in page.url  # anonymous: sent to sign in
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/**")
    page.goto(live_server.url + "/staff/?demo=only")
    assert "demo assessments" in page.inner_text(".banner-demo")
    for chart_id in CHART_IDS:
        page.wait_for_selector(f"#plot-{chart_id} svg.main-svg", state="attached",
                               timeout=15_000)
        assert page.locator(f"#plot-{chart_id} .plot-container").count() == 1
        assert page.locator(f"#chart-{chart_id}.is-drawn").count() == 1
    hidden = page.locator("text=hidden (n<10)")
    assert hidden.count() > 0  # small groups are written out, not drawn
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)
    page.goto(live_server.url + "/staff/brief")
    assert page.locator("h1").count() == 1
    guard.assert_clean()
    assert any("/vendor/plotly-" in url for url in guard.requests)
