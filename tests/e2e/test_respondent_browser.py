"""A respondent in a real browser on a 360 px phone, in Chinese and in English: fill in, leave,
resume on another "device", submit, read the report; questions that depend on an answer on the
same page appear and disappear as it is given; grids and selects work by touch."""

from __future__ import annotations

from typing import Any

import pytest

from survey.core.questionnaire import load_questionnaire
from tests.e2e.a11y import assert_accessible, run_axe
from tests.e2e.conftest import Guard, LiveServer
from tests.e2e.helpers import fill_section
from tests.helpers import worst_answers

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LANGS = ("zh", "en")


def start_on_a_phone(browser: Any, live_server: LiveServer, guard: Guard,
                     lang: str = "en") -> tuple[Any, Any]:
    """A new phone-sized browser context that has started the check: (context, page)."""
    context = browser.new_context(viewport=PHONE)
    page = guard.attach(context.new_page())
    page.goto(f"{live_server.url}/?lang={lang}")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form[action='/start'] button[type=submit]").click()
    page.wait_for_url("**/survey/profile")
    return context, page


def next_page(page: Any) -> None:
    with page.expect_navigation():
        page.locator('.actions button[value="next"]').click()


def no_sideways_scrolling(page: Any) -> int:
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("lang", LANGS)
def test_fill_leave_resume_submit_report(browser: Any, live_server: LiveServer,
                                         guard: Guard, output_dir: Any, lang: str) -> None:
    q = load_questionnaire()
    # A direct exporter that applied for a loan and was refused: every kind of page, grid
    # and follow-up is met.
    given = worst_answers(fin_applied="yes", industry="construction")
    assert "fin_loan_outcome" in given and "assets_band" in given

    first, page = start_on_a_phone(browser, live_server, guard, lang)
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh" else "en")
    label = page.locator(".progress-label").inner_text()
    n = len(q.sections)
    assert label.startswith(f"Section 1 of {n}" if lang == "en" else f"第 1 部分，共 {n} 部分")

    assets = page.locator("#q-assets_band")
    assert assets.is_hidden()  # asked only in the industries whose size rule needs it
    fill_section(page, q.sections[0], given)
    assert assets.is_visible()
    assert no_sideways_scrolling(page) == 0
    page.screenshot(path=str(output_dir / "profile.png"), full_page=True)
    next_page(page)
    page.wait_for_url("**/survey/financing")
    follow_up = page.locator("#q-fin_loan_outcome")
    assert follow_up.is_hidden()
    fill_section(page, q.sections[1], given)
    assert follow_up.is_visible()
    assert page.locator("#q-fin_no_apply_reason").is_hidden()
    with page.expect_navigation():
        page.locator('.actions button[value="save"]').click()
    page.wait_for_url("**/survey/saved")
    link = page.locator("#resume-link").inner_text().strip()
    qr = page.locator(".resume img.qr")  # the QR code, as an image WeChat can recognise
    assert qr.count() == 1 and qr.evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(output_dir / "saved.png"), full_page=True)
    first.close()

    second = browser.new_context(viewport=PHONE)
    page = guard.attach(second.new_page())
    page.goto(link)
    page.wait_for_url("**/survey/financing")  # where the respondent stopped
    assert page.locator("#q-fin_loan_outcome").is_visible()  # answers kept
    with page.expect_navigation():
        page.locator('.actions button[value="back"]').click()
    page.wait_for_url("**/survey/profile")
    assert page.locator("#q-assets_band").is_visible()
    next_page(page)
    page.wait_for_url("**/survey/financing")
    next_page(page)
    for section in q.sections[2:]:
        page.wait_for_url(f"**/survey/{section.id}")
        fill_section(page, section, given)
        assert no_sideways_scrolling(page) == 0, section.id
        if section.id == "digital_technology":
            page.screenshot(path=str(output_dir / "grid.png"), full_page=True)
        next_page(page)
    page.wait_for_url("**/survey/review")
    assert page.locator(".error-summary").count() == 0
    with page.expect_navigation():
        page.locator("form.js-once button[type=submit]").click()
    page.wait_for_url("**/report/*")
    assert page.locator("h1").inner_text() == (
        "Your digital readiness report" if lang == "en" else "您的数字化准备度报告")
    chart = page.locator(".area-chart svg")
    assert chart.count() == 1 and chart.locator("rect").count() > 6
    # Every recommendation is there: the most needed open, the others closed.
    assert page.locator("article.rec").count() + page.locator("details.rec-other").count() == 5
    assert 1 <= page.locator("article.rec").count() <= 3
    assert page.locator(".because").count() >= 1  # next steps say which answer called them
    assert page.locator("#area-financing .credit-class").count() == 1
    assert no_sideways_scrolling(page) == 0
    page.screenshot(path=str(output_dir / "report.png"), full_page=True)
    second.close()
    guard.assert_clean()
    assert not any("plotly" in url for url in guard.requests)


def test_a_firm_with_no_export_plans_never_meets_the_overseas_page(
        browser: Any, live_server: LiveServer, guard: Guard) -> None:
    q = load_questionnaire()
    given = worst_answers(export_status="no_plans", fin_applied="no",
                          fin_no_apply_reason="enough_funds")
    context, page = start_on_a_phone(browser, live_server, guard)
    for section in q.sections:
        if section.id == "overseas_markets":
            continue
        page.wait_for_url(f"**/survey/{section.id}")
        if section.id != "profile":
            assert "Section" in page.locator(".progress-label").inner_text()
            # every page but the overseas one, and the review
            assert page.locator(".steps li").count() == len(q.sections)
        fill_section(page, section, given)
        next_page(page)
    page.wait_for_url("**/survey/review")
    with page.expect_navigation():
        page.locator("form.js-once button[type=submit]").click()
    page.wait_for_url("**/report/*")
    text = page.locator("#area-overseas_markets").inner_text()
    assert "scored only for firms that sell abroad themselves" in text
    context.close()
    guard.assert_clean()


def test_same_page_conditions_show_and_hide_live(browser: Any, live_server: LiveServer,
                                                guard: Guard) -> None:
    context, page = start_on_a_phone(browser, live_server, guard)
    industry = page.locator("#industry")
    assets = page.locator("#q-assets_band")
    industry.select_option("construction")
    assert assets.is_visible() and not page.locator("#assets_band").is_disabled()
    industry.select_option("retail")
    assert assets.is_hidden() and page.locator("#assets_band").is_disabled()
    industry.select_option("")
    assert assets.is_hidden()

    q = load_questionnaire()
    fill_section(page, q.sections[0], worst_answers(export_status="exports_direct"))
    next_page(page)
    page.wait_for_url("**/survey/financing")
    outcome, reason = page.locator("#q-fin_loan_outcome"), page.locator("#q-fin_no_apply_reason")
    assert outcome.is_hidden() and reason.is_hidden()
    page.locator('label[for="fin_applied-1"]').click()  # no
    assert reason.is_visible() and outcome.is_hidden()
    page.locator('label[for="fin_applied-0"]').click()  # yes
    assert outcome.is_visible() and reason.is_hidden()
    page.locator('label[for="fin_loan_outcome-2"]').click()  # refused: the answer is kept
    page.locator('label[for="fin_applied-1"]').click()
    assert outcome.is_hidden() and page.locator("#fin_loan_outcome-2").is_disabled()
    context.close()
    guard.assert_clean()


def test_a_nested_condition_on_a_multiple_choice(browser: Any, live_server: LiveServer,
                                                 guard: Guard) -> None:
    """`answered = true` on a multiple choice: "nothing to protect" (not applicable) hides
    the IP follow-ups, a real answer shows them; on the overseas page a grid row appears only
    for firms that sell online, and the grid disappears with its last row."""
    q = load_questionnaire()
    given = worst_answers(export_status="exports_direct")
    context, page = start_on_a_phone(browser, live_server, guard)
    for section in q.sections[:q.section_index("digital_capabilities")]:
        page.wait_for_url(f"**/survey/{section.id}")
        fill_section(page, section, given)
        next_page(page)
    page.wait_for_url("**/survey/digital_capabilities")
    held = q.question("dig_ip_held_cn")
    nothing = next(i for i, o in enumerate(held.options) if o.value == "nothing_to_protect")
    trademark = next(i for i, o in enumerate(held.options) if o.value == "trademark")
    confidence = page.locator("#q-dig_ip_confidence")
    assert confidence.is_hidden()
    page.locator(f'label[for="dig_ip_held_cn-{trademark}"]').click()
    assert confidence.is_visible()
    page.locator(f'label[for="dig_ip_held_cn-{nothing}"]').click()  # exclusive: clears the rest
    assert confidence.is_hidden()
    assert not page.locator(f"#dig_ip_held_cn-{trademark}").is_checked()

    page.goto(f"{live_server.url}/survey/overseas_markets")
    channels = q.question("ovs_channels_12m")
    own_site = next(i for i, o in enumerate(channels.options) if o.value == "own_site")
    offline = next(i for i, o in enumerate(channels.options) if o.value == "offline_only")
    warehousing = page.locator("#q-ovs_warehousing_obstacle")
    page.locator(f'label[for="ovs_channels_12m-{offline}"]').click()
    assert warehousing.is_hidden() and page.locator("#q-ovs_logistics_obstacle").is_visible()
    page.locator(f'label[for="ovs_channels_12m-{own_site}"]').click()
    assert warehousing.is_visible()
    context.close()
    guard.assert_clean()


def test_a_grid_lines_up_on_a_wide_screen(browser: Any, live_server: LiveServer,
                                          guard: Guard) -> None:
    q = load_questionnaire()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = guard.attach(context.new_page())
    page.goto(f"{live_server.url}/?lang=en")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form[action='/start'] button[type=submit]").click()
    given = worst_answers()
    for section in q.sections[:2]:
        fill_section(page, section, given)
        next_page(page)
    page.wait_for_url("**/survey/digital_technology")
    head = page.locator("#grid-infra_available .grid-head")
    assert head.is_visible()
    first = page.locator("#infra_broadband_available-0").bounding_box()
    second = page.locator("#infra_5g_available-0").bounding_box()
    assert first and second and abs(first["x"] - second["x"]) < 2  # one column per option
    fill_section(page, q.sections[2], given)
    assert page.locator("#infra_5g_available-0").is_checked()
    assert_accessible(run_axe(page, "en-desktop-grid"))
    context.close()
    guard.assert_clean()


def test_without_javascript_every_follow_up_is_shown_and_what_does_not_apply_is_ignored(
        browser: Any, live_server: LiveServer) -> None:
    q = load_questionnaire()
    given = worst_answers(fin_applied="no", fin_no_apply_reason="enough_funds")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/?lang=en")
        page.locator("#consent").check()
        with page.expect_navigation():
            page.locator("form[action='/start'] button[type=submit]").click()
        assert page.locator("#q-assets_band").is_visible()  # shown, though it may not apply
        fill_section(page, q.sections[0], given)
        next_page(page)
        page.wait_for_url("**/survey/financing")
        assert page.locator("#q-fin_loan_outcome").is_visible()
        fill_section(page, q.sections[1], given)
        outcome = q.question("fin_loan_outcome")
        refused = next(i for i, o in enumerate(outcome.options) if o.value == "refused")
        page.locator(f'label[for="fin_loan_outcome-{refused}"]').click()  # does not apply
        next_page(page)
        page.wait_for_url("**/survey/digital_technology")
        page.goto(f"{live_server.url}/survey/review")
        review = page.locator("main").inner_text()
        assert outcome.text.en not in review
        assert q.question("fin_no_apply_reason").text.en in review
    finally:
        context.close()


def test_language_switch_mid_page_keeps_answers(browser: Any, live_server: LiveServer,
                                                guard: Guard) -> None:
    context, page = start_on_a_phone(browser, live_server, guard)
    page.locator("#industry").select_option("software_it")
    page.locator('label[for="export_status-1"]').click()
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url("**/survey/profile?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#industry").input_value() == "software_it"
    assert page.locator("#export_status-1").is_checked()
    context.close()
    guard.assert_clean()
