"""Staff pages in headless Chromium: sign in, browse responses and exports, sign out.

Runs against the shared production-mode live server (secure cookies, the real CSP): the staff
pages need no script, so this checks the CSP blocks nothing, nothing is fetched from another
host, and keyboard users can reach the sign-in form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from survey.services import responses as services
from tests.e2e.helpers import bench_rows, ensure_staff, submit_sign_in, temporary_responses
from tests.helpers import PASSWORD, row_2027, worst_answers

from .conftest import Guard, LiveServer

EMAIL = "staff-a-e2e@example.org"


@pytest.fixture
def account(live_server: LiveServer) -> Iterator[int]:
    """An admin to sign in as, and one response to open (removed afterwards)."""
    ensure_staff(live_server.app, EMAIL, "admin")
    with temporary_responses(live_server.app,
                             lambda: [services.create_submitted(worst_answers())]) as (stored,):
        yield stored.id


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
    assert page.inner_text("#credit-class") not in ("", "—")  # method 2027.1's class
    assert page.locator("#area-overseas_markets").count() == 1
    page.goto(live_server.url + "/staff/responses")
    page.select_option("#f-export", "exports_direct")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "export=exports_direct" in page.url
    assert page.locator(f"a[href='/staff/responses/{account}']").count() == 1
    page.goto(live_server.url + "/staff/exports?region=east")
    assert page.locator("form[action='/staff/export.csv?region=east']").count() == 1
    page.click("nav.staff-nav button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/login")
    page.goto(live_server.url + "/staff/responses")
    assert "/staff/login" in page.url
    guard.assert_clean()


@pytest.fixture
def long_rows(live_server: LiveServer, account: int) -> Iterator[None]:
    """Rows with the longest industry name and export status, removed afterwards (source
    "bench")."""
    rows = [row_2027(industry="leasing_business_services",
                     export_status="exports_indirect", region="northeast",
                     province="heilongjiang", size_class="medium")] * 3
    with bench_rows(live_server.app, rows):
        yield


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1280, 1440])
def test_the_responses_table_fits_a_laptop(context: Any, live_server: LiveServer,
                                           guard: Guard, long_rows: None, width: int) -> None:
    """Every column visible without scrolling sideways (it was 1,486 px in a 1,248 px box,
    hiding Digital technology and Overseas markets)."""
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/staff/login")
    submit_sign_in(page, EMAIL)
    for lang in ("en", "zh"):
        page.goto(live_server.url + f"/staff/responses?lang={lang}")
        table, box = page.evaluate(
            "() => [document.querySelector('.responses-table').scrollWidth,"
            " document.querySelector('.responses-table').parentElement.clientWidth]")
        assert table <= box, (lang, table, box)
        assert not page.locator(".scroll-hint").is_visible()
    guard.assert_clean()
