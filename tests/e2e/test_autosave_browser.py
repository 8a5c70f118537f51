"""Never lose an answer, in Chromium on a 360 px phone in Chinese: answers typed and then left
by tapping the logo are there on return; a network drop while answering loses nothing once the
network is back; the page says when it saved. With JavaScript off the buttons still save."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Response
from tests.e2e.conftest import Guard, LiveServer
from tests.e2e.helpers import fill_section
from tests.helpers import best_answers

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
STATUS = "#autosave-status"
# Part of the profile page: a select, radio buttons, a number typed the way a Chinese keyboard
# types it, and checkboxes.
TYPED = {"industry": "retail", "employees": "３５人", "ownership": "private",
         "firm_recognition": ["high_tech", "tech_sme"], "export_status": "considering"}
EXPECTED = {**TYPED, "employees": 35}


def start(browser: Any, live_server: LiveServer, guard: Guard,
          **options: Any) -> tuple[Any, Any, str]:
    """A Chinese phone that has started the check: (context, page, the draft's token)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", **options)
    page = guard.attach(context.new_page())
    page.goto(f"{live_server.url}/")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form[action='/start'] button[type=submit]").click()
    page.wait_for_url("**/survey/profile")
    token = (page.locator("#resume-link").text_content() or "").strip().rsplit("/", 1)[-1]
    return context, page, token


def stored_answers(live_server: LiveServer, token: str) -> dict[str, Any]:
    with live_server.app_context():
        response = db.session.scalar(select(Response).where(Response.token == token))
        assert response is not None
        answers = dict(response.answers or {})
        db.session.remove()
    return answers


def fill_profile(page: Any) -> None:
    q = load_questionnaire()
    fill_section(page, q.sections[0], TYPED)


def assert_form_shows(page: Any) -> None:
    assert page.locator("#industry").input_value() == "retail"
    assert page.locator("#employees").input_value() in ("３５人", "35")
    for name, value in (("ownership", "private"), ("export_status", "considering"),
                        ("firm_recognition", "high_tech"), ("firm_recognition", "tech_sme")):
        assert page.locator(f'input[name="{name}"][value="{value}"]').is_checked(), name


def wait_for_status(page: Any, pattern: str, timeout: int = 15_000) -> None:
    expect(page.locator(STATUS)).to_have_text(re.compile(pattern), timeout=timeout)


def wait_until_saved(page: Any) -> None:
    wait_for_status(page, r"已于 \d\d:\d\d 保存$")


def assert_all_saved(page: Any, live_server: LiveServer, token: str) -> None:
    """Saving works again: every typed answer reaches the server, and the copy kept on the
    phone is dropped."""
    wait_until_saved(page)
    assert {k: v for k, v in stored_answers(live_server, token).items()
            if k in TYPED} == EXPECTED
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_answers_left_by_tapping_the_logo_are_there_on_return(
        browser: Any, live_server: LiveServer, guard: Guard, output_dir: Any) -> None:
    context, page, token = start(browser, live_server, guard)
    try:
        assert page.locator(STATUS).get_attribute("aria-live") == "polite"
        fill_profile(page)
        # Straight to the logo, before the pause that triggers a save: the page saves as it
        # goes.
        with page.expect_navigation():
            page.locator("a.brand").click()
        assert "/survey/" not in page.url
        page.wait_for_timeout(300)
        assert {k: v for k, v in stored_answers(live_server, token).items()
                if k in TYPED} == EXPECTED
        with live_server.app_context():
            current = db.session.scalar(select(Response.current_section)
                                        .where(Response.token == token))
            db.session.remove()
        assert current == "profile"  # saved without moving the respondent on

        with page.expect_navigation():
            page.locator("main a[href='/survey/profile']").click()
        assert_form_shows(page)

        # A change then a pause: the status line says it saved, and when.
        page.locator('label[for="ownership-1"]').click()
        wait_until_saved(page)
        assert page.locator(STATUS).inner_text().startswith("已于")
        page.screenshot(path=str(output_dir / "saved-status.png"), full_page=True)
        assert stored_answers(live_server, token)["ownership"] != "private"
        assert page.evaluate("Object.keys(localStorage).filter("
                             "k => k.indexOf('survey-autosave:') === 0).length") == 0
    finally:
        context.close()
    guard.assert_clean()


def failed_loads_only(guard: Guard) -> None:
    """Saves cut off by the test are logged by Chromium as failed loads; nothing else may be."""
    assert [e for e in guard.console_errors if "net::ERR_" not in e] == []
    assert guard.foreign_requests == []


def test_a_network_drop_while_answering_loses_nothing(
        browser: Any, live_server: LiveServer, guard: Guard, output_dir: Any) -> None:
    context, page, token = start(browser, live_server, guard)
    try:
        page.route("**/draft", lambda route: route.abort())
        fill_profile(page)
        wait_for_status(page, "^网络已断开")
        page.screenshot(path=str(output_dir / "offline-status.png"), full_page=True)
        assert not set(TYPED) & set(stored_answers(live_server, token))

        # The network comes back: the next retry stores every answer.
        page.unroute("**/draft")
        assert_all_saved(page, live_server, token)
    finally:
        context.close()
    failed_loads_only(guard)


def test_answers_that_never_reached_the_server_come_back_from_the_phone(
        browser: Any, live_server: LiveServer, guard: Guard) -> None:
    context, page, token = start(browser, live_server, guard)
    try:
        context.route("**/draft", lambda route: route.abort())
        fill_profile(page)
        wait_for_status(page, "^网络已断开")
        keys = page.evaluate("Object.keys(localStorage)")
        assert len(keys) == 1 and token not in keys[0]
        # The phone loses the network altogether and the page is closed.
        context.set_offline(True)
        page.close()
        context.set_offline(False)
        assert not set(TYPED) & set(stored_answers(live_server, token))

        # Opened again, with saving still cut off: the server has nothing for this page, so
        # the copy kept on the phone is put back into the form.
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/survey/profile")
        assert_form_shows(page)
        assert "已恢复" in page.locator(STATUS).inner_text()

        context.unroute("**/draft")
        assert_all_saved(page, live_server, token)
    finally:
        context.close()
    failed_loads_only(guard)


def test_offline_then_online_saves_without_a_reload(
        browser: Any, live_server: LiveServer, guard: Guard) -> None:
    context, page, token = start(browser, live_server, guard)
    try:
        context.set_offline(True)
        fill_profile(page)
        wait_for_status(page, "^网络已断开")
        assert not set(TYPED) & set(stored_answers(live_server, token))
        context.set_offline(False)
        wait_until_saved(page)
        assert {k: v for k, v in stored_answers(live_server, token).items()
                if k in TYPED} == EXPECTED
    finally:
        context.close()
    guard.assert_clean()


def test_next_pressed_offline_stays_on_the_page_and_says_what_to_do(
        browser: Any, live_server: LiveServer, guard: Guard, output_dir: Any) -> None:
    """Offline, Next would only show the browser's own error page: the page stays, keeps the
    answers and says to press again once back online; then Next works."""
    context, page, token = start(browser, live_server, guard)
    try:
        fill_profile(page)
        context.set_offline(True)
        page.locator(".page-actions button[value=next]").click()
        wait_for_status(page, "^网络已断开。您的答案已暂存在本机")
        assert page.url.endswith("/survey/profile")
        page.screenshot(path=str(output_dir / "offline-next.png"))
        context.set_offline(False)
        with page.expect_navigation():  # the button sends the page again
            page.locator(".page-actions button[value=next]").click()
        assert {k: v for k, v in stored_answers(live_server, token).items()
                if k in TYPED} == EXPECTED
    finally:
        context.close()
    assert guard.foreign_requests == []  # the page answered 422: the profile is not complete


def test_without_javascript_the_buttons_save_and_the_page_says_so(
        browser: Any, live_server: LiveServer, guard: Guard) -> None:
    context, page, token = start(browser, live_server, guard, java_script_enabled=False)
    try:
        assert "点击问题下方的按钮时保存" in page.locator(STATUS).inner_text()
        q = load_questionnaire()
        given = best_answers()
        fill_section(page, q.sections[0], {k: given[k] for k in ("ownership",)})
        with page.expect_navigation():
            page.locator('.actions button[value="save"]').click()
        assert stored_answers(live_server, token)["ownership"] == given["ownership"]
    finally:
        context.close()
    guard.assert_clean()
