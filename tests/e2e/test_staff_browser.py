"""Staff pages in headless Chromium: sign in, browse responses and exports, sign out.

Runs against the shared production-mode live server (secure cookies, the real CSP): the staff
pages need no script, so this checks the CSP blocks nothing, nothing is fetched from another
host, and keyboard users can reach the sign-in form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from survey import services
from survey.extensions import db
from survey.models import Assessment, Response, StaffUser
from survey.staff import services as staff
from tests import factories

from .conftest import Guard, LiveServer

EMAIL = "staff-a-e2e@example.org"
PASSWORD = "staff pages browser passphrase"


@pytest.fixture
def account(live_server: LiveServer) -> Iterator[int]:
    with live_server.app_context():
        if db.session.scalar(select(StaffUser).where(StaffUser.email == EMAIL)) is None:
            staff.create_staff(EMAIL, "admin", PASSWORD, None, via="test")
        rid = services.create_submitted(factories.answers(best=False)).id
    try:
        yield rid
    finally:
        with live_server.app_context():
            db.session.execute(delete(Assessment).where(Assessment.response_id == rid))
            db.session.execute(delete(Response).where(Response.id == rid))
            db.session.commit()


@pytest.mark.e2e
def test_staff_signs_in_browses_and_signs_out(
    context: Any, live_server: LiveServer, guard: Guard, account: int
) -> None:
    page = guard.attach(context.new_page())
    page.goto(live_server.url + "/staff/responses")
    assert "/staff/login" in page.url
    page.keyboard.press("Tab")  # the skip link, then the form is reachable by keyboard
    page.focus("input[name=email]")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/staff/responses")
    page.click(f"a[href='/staff/responses/{account}']")
    assert f"#{account}" in page.inner_text("h1")
    page.goto(live_server.url + "/staff/exports?region=east")
    assert page.locator("form[action='/staff/export.csv?region=east']").count() == 1
    page.click("nav.staff-nav button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/login")
    page.goto(live_server.url + "/staff/responses")
    assert "/staff/login" in page.url
    guard.assert_clean()
