"""A respondent in a real browser: fill in, leave, resume on another "device", submit, report."""

from __future__ import annotations

from typing import Any

import pytest

from survey.core.questionnaire import Section, load_questionnaire
from tests.e2e.conftest import Guard, LiveServer
from tests.factories import answers

pytestmark = pytest.mark.e2e


def fill_section(page: Any, section: Section, given: dict[str, Any]) -> None:
    for q in section.questions:
        if q.id not in given:
            continue
        value = given[q.id]
        if q.type in ("single", "multi"):
            values = value if isinstance(value, list) else [value]
            for v in values:
                index = next(i for i, o in enumerate(q.options) if o.value == v)
                page.locator(f'label[for="{q.id}-{index}"]').click()
        else:
            page.fill(f"#{q.id}", str(value))


def test_fill_leave_resume_submit_report(browser: Any, live_server: LiveServer,
                                         guard: Guard, output_dir: Any) -> None:
    q = load_questionnaire()
    given = answers(best=False, fin_loan="not_applied_other")
    assert "fin_no_loan_reason" in given  # the follow-up appears once its trigger is chosen

    first = browser.new_context(viewport={"width": 360, "height": 740})
    page = guard.attach(first.new_page())
    page.goto(live_server.url + "/")
    page.locator("#consent").check()
    page.get_by_role("button", name="Start the check").click()
    page.wait_for_url("**/survey/profile")
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
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = guard.attach(context.new_page())
    page.goto(live_server.url + "/")
    page.locator("#consent").check()
    page.get_by_role("button", name="Start the check").click()
    page.wait_for_url("**/survey/profile")
    page.locator('label[for="industry-1"]').click()
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url("**/survey/profile?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#industry-1").is_checked()
    context.close()
    guard.assert_clean()
