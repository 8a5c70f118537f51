"""A respondent in a real browser: fill in, leave, resume on another "device", submit, report."""

from __future__ import annotations

from typing import Any

import pytest

from survey.core.questionnaire import load_questionnaire
from tests.e2e.conftest import Guard, LiveServer
from tests.helpers import fill_section, worst_answers

pytestmark = pytest.mark.e2e


def start_on_a_phone(browser: Any, live_server: LiveServer, guard: Guard) -> tuple[Any, Any]:
    """A new phone-sized browser context that has started the check: (context, page)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = guard.attach(context.new_page())
    page.goto(live_server.url + "/")
    page.locator("#consent").check()
    page.get_by_role("button", name="Start the check").click()
    page.wait_for_url("**/survey/profile")
    return context, page


def test_fill_leave_resume_submit_report(browser: Any, live_server: LiveServer,
                                         guard: Guard, output_dir: Any) -> None:
    q = load_questionnaire()
    given = worst_answers(fin_loan="not_applied_other")
    assert "fin_no_loan_reason" in given  # the follow-up appears once its trigger is chosen

    first, page = start_on_a_phone(browser, live_server, guard)
    assert page.locator(".progress-label").inner_text().startswith("Section 1 of 4")

    fill_section(page, q.sections[0], given)
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/survey/financing")
    follow_up = page.locator("#q-fin_no_loan_reason")
    assert follow_up.is_hidden()
    fill_section(page, q.sections[1], given)
    assert follow_up.is_visible()
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_url("**/survey/saved")
    link = page.locator("#resume-link").inner_text().strip()
    assert page.locator(".resume svg").count() == 1  # the QR code
    page.screenshot(path=str(output_dir / "saved.png"), full_page=True)
    first.close()

    second = browser.new_context(viewport={"width": 360, "height": 740})
    page = guard.attach(second.new_page())
    page.goto(link)
    page.wait_for_url("**/survey/financing")  # where the respondent stopped
    assert page.locator("#q-fin_no_loan_reason").is_visible()  # answers kept
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/survey/profile")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/survey/financing")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**/survey/digital_technology")
    for section in q.sections[2:]:
        fill_section(page, section, given)
        page.locator('.actions button[value="next"]').click()
        page.wait_for_load_state()
    page.wait_for_url("**/survey/review")
    page.get_by_role("button", name="Submit and see my report").click()
    page.wait_for_url("**/report/*")
    assert page.locator("h1").inner_text() == "Your digital readiness report"
    chart = page.locator(".area-chart svg")
    assert chart.count() == 1 and chart.locator("rect").count() > 6
    assert "Not enough peers yet" in page.content()
    assert page.locator("article.rec").count() == 5
    page.screenshot(path=str(output_dir / "report.png"), full_page=True)
    second.close()
    guard.assert_clean()
    assert not any("plotly" in url for url in guard.requests)


def test_language_switch_mid_page_keeps_answers(browser: Any, live_server: LiveServer,
                                                guard: Guard) -> None:
    context, page = start_on_a_phone(browser, live_server, guard)
    page.locator('label[for="industry-1"]').click()
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url("**/survey/profile?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#industry-1").is_checked()
    context.close()
    guard.assert_clean()
