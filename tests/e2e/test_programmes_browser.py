"""From diagnosis to support, in Chromium on a phone, in Chinese and in English: a firm answers,
sees two matched programmes with the reasons, asks to be contacted about one, comes back through
its report link, takes its follow-up and sees its progress; staff see the request and the
programme's numbers. Screenshots of every step are saved under test-output/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Programme, Response
from survey.services import programmes as programme_services
from survey.services import responses as services
from tests.e2e.a11y import assert_accessible, assert_no_violations, run_axe
from tests.e2e.conftest import Guard, LiveServer
from tests.e2e.helpers import _delete_responses, ensure_staff, fill_section, submit_sign_in
from tests.helpers import worst_answers

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "programmes.csv"
STAFF = "programmes-analyst@example.org"
CLINIC = "example-logistics-clinic"


def firm_answers(**overrides: Any) -> dict[str, Any]:
    """A small online exporter that finds logistics hard and trains few staff."""
    return worst_answers(**{"export_status": "exports_direct",
                            "ovs_channels_12m": ["marketplace"],
                            "ovs_logistics_obstacle": "major", **overrides})


@pytest.fixture
def directory(live_server: LiveServer) -> Iterator[dict[str, int]]:
    """The example directory, and twelve earlier firms shown the logistics clinic so its
    numbers clear the minimum group; everything removed afterwards."""
    app = live_server.app
    with app.app_context():
        first_new = (db.session.scalar(select(func.max(Response.id))) or 0) + 1
        programme_services.import_programmes(
            programme_services.parse_csv(EXAMPLES.read_text(encoding="utf-8")), None)
        ids = {p.code: p.id for p in db.session.scalars(select(Programme))}
        for _ in range(12):
            other = services.create_submitted(firm_answers(), language="zh", source="web")
            programme_services.record_matches(other.id, [ids[CLINIC]])
    try:
        yield ids
    finally:
        _delete_responses(app, Response.id >= first_new)
        with app.app_context():
            db.session.execute(delete(Programme))
            db.session.commit()


def _next(page: Any) -> None:
    with page.expect_navigation():
        page.locator('.actions button[value="next"]').click()


def _answer_all(page: Any, given: dict[str, Any], *, keep_profile: bool = False) -> None:
    q = load_questionnaire()
    for section in q.sections:
        page.wait_for_url(f"**/survey/{section.id}")
        if not (keep_profile and section.id == "profile"):
            fill_section(page, section, given)
        _next(page)
    page.wait_for_url("**/survey/review")
    with page.expect_navigation():
        page.locator("form.js-once button[type=submit]").click()
    page.wait_for_url("**/report/*")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_programmes_contact_and_progress(browser: Any, live_server: LiveServer, guard: Guard,
                                         output_dir: Any, directory: dict[str, int],
                                         lang: str) -> None:
    zh = lang == "zh"
    context = browser.new_context(viewport=PHONE, locale="zh-CN" if zh else "en-US")
    page = guard.attach(context.new_page())
    page.goto(f"{live_server.url}/?lang={lang}")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form[action='/start'] button[type=submit]").click()
    _answer_all(page, firm_answers())
    report_url = page.url

    # Two or more programmes, each saying why it matches this firm.
    programmes = page.locator("li.programme")
    assert programmes.count() >= 2
    for i in range(2):
        assert programmes.nth(i).locator(".programme-why li").count() >= 1
    clinic = page.locator(f"#programme-{directory[CLINIC]}")
    closed = page.locator(f"details.rec-other:has(#programme-{directory[CLINIC]})")
    if closed.count():  # under a recommendation the report lists closed: open it
        closed.locator("summary").first.click()
    assert ("运输" if zh else "freight") in clinic.locator(".programme-why").inner_text()
    clinic.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"programmes-{lang}.png"), full_page=True)

    # Its own consent, under the programme.
    clinic.locator("summary").click()
    prefix = f"#p{directory[CLINIC]}-"
    page.fill(prefix + "name", "王小明" if zh else "Wang Xiaoming")
    page.fill(prefix + "phone", "+86 138 0000 0000")
    page.locator(prefix + "consent").check()
    clinic.screenshot(path=str(output_dir / f"contact-form-{lang}.png"))
    assert_no_violations(run_axe(page, f"report-programmes-{lang}"))
    with page.expect_navigation():
        clinic.locator("button[type=submit]").click()
    asked = page.locator(f"#programme-{directory[CLINIC]} .contact-asked")
    assert asked.is_visible()
    page.screenshot(path=str(output_dir / f"contact-asked-{lang}.png"), full_page=True)
    context.close()

    # A year later, on another phone, through the report link: the follow-up.
    later = browser.new_context(viewport=PHONE, locale="zh-CN" if zh else "en-US")
    page = guard.attach(later.new_page())
    page.goto(report_url)
    with page.expect_navigation():
        page.locator(".follow-up button[type=submit]").click()
    page.wait_for_url("**/survey/profile")
    assert page.locator("#industry").input_value() == firm_answers()["industry"]
    _answer_all(page, firm_answers(dig_training_share="p50_plus", dig_staff_skills="p75_plus",
                                   ovs_logistics_obstacle="minor"), keep_profile=True)
    progress = page.locator(".progress-since")
    assert progress.is_visible()
    assert progress.locator("tbody tr").count() == 4
    assert "+" in progress.locator(".change").all_inner_texts()[2]  # digital technology rose
    progress.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"progress-{lang}.png"))
    page.screenshot(path=str(output_dir / f"follow-up-report-{lang}.png"), full_page=True)
    later.close()

    # Staff see the request and the programme's numbers.
    ensure_staff(live_server.app, STAFF, "analyst")
    desk = browser.new_context(viewport={"width": 1280, "height": 900},
                               locale="zh-CN" if zh else "en-US")
    page = guard.attach(desk.new_page())
    page.goto(f"{live_server.url}/staff/login?lang={lang}")
    submit_sign_in(page, STAFF)
    page.goto(f"{live_server.url}/staff/contact-requests?lang={lang}")
    assert ("王小明" if zh else "Wang Xiaoming") in page.locator("table").inner_text()
    page.screenshot(path=str(output_dir / f"staff-contact-requests-{lang}.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/programmes?lang={lang}")
    row = page.locator("table.programme-numbers tbody tr", has_text=(
        "物流" if zh else "Logistics clinic"))
    cells = row.locator("td").all_inner_texts()
    assert int(cells[2]) >= 13  # twelve earlier firms and this one
    assert "%" in cells[3]
    page.screenshot(path=str(output_dir / f"staff-programmes-{lang}.png"), full_page=True)
    assert_accessible(run_axe(page, f"staff-programmes-{lang}"))
    page.goto(f"{live_server.url}/staff/follow-ups?lang={lang}")
    assert page.locator(".notice strong").is_visible()
    page.screenshot(path=str(output_dir / f"staff-follow-ups-{lang}.png"), full_page=True)
    desk.close()
    guard.assert_clean()
