"""WCAG 2.1 AA in a real browser: axe-core on every respondent and staff page, plus the keyboard.

axe-core (bundled by `axe-playwright-python`, injected through DevTools, so the CSP needs no
exception) runs the WCAG 2.0/2.1 A and AA rules on each page as a user reaches it: respondent
pages on a 360 px phone in English and in Chinese, from the start page through every section
(blank and with its validation errors shown), the review, the report, the methodology, the
deleted page and a 404; staff pages signed in as an admin at 1280×800 in English (and on a
phone in Chinese), with ~40 real assessments seeded so the dashboard's charts are drawn before
axe looks at them.

Each page is one test, so a failure names the page; it prints every violation (all impacts)
with its nodes. On a respondent's page any violation fails, whatever its impact; on a staff
page "serious" and "critical" ones do. Each page's full result is also
written to test-output/accessibility/. What axe cannot judge — chart text drawn over plotly's
heatmap images, the focus ring, sideways scrolling on a phone — is measured by tests/e2e/a11y.py.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from survey.core.answers import validate
from survey.core.questionnaire import Questionnaire, load_questionnaire
from survey.models import Response
from survey.services import responses as services
from survey.services import tokens as api_tokens
from tests.e2e.helpers import ensure_staff, fill_section, submit_sign_in, temporary_responses
from tests.helpers import varied_answers, worst_answers

from .a11y import (
    BEST_PRACTICE,
    Run,
    assert_accessible,
    assert_no_violations,
    focus_ring,
    focused,
    run_axe,
    svg_text_contrast,
)
from .conftest import Guard, LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
LANGS = ("en", "zh")
EMAIL = "a11y-admin-e2e@example.org"
SEEDED = 40


# --- respondent pages --------------------------------------------------------------------


def press(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def assert_no_leak(guard: Guard) -> None:
    """Nothing fetched from another host, no script error. Chromium logs every non-2xx page as
    a console error: the 404 and the 422 of a page showing validation errors are expected."""
    expected = ("404 (NOT FOUND)", "422 (UNPROCESSABLE ENTITY)")
    assert guard.foreign_requests == [], guard.foreign_requests
    errors = [e for e in guard.console_errors if not e.endswith(expected)]
    assert errors == [], errors


def _respondent_pages(q: Questionnaire) -> list[str]:
    pages = ["start"]
    for s in q.sections:
        pages += [f"section-{s.id}", f"section-{s.id}-errors"]
    return [*pages, "saved", "review", "report", "methodology", "deleted", "not-found"]


RESPONDENT_PAGES = _respondent_pages(load_questionnaire())


@pytest.fixture(scope="module", params=LANGS)
def respondent_run(request: pytest.FixtureRequest, browser: Any,
                   live_server: LiveServer) -> Run:
    """One respondent's whole journey in one language on a phone, axe run at every step."""
    lang: str = request.param
    q = load_questionnaire()
    # A direct exporter in construction that applied for a loan: every page, grid, select
    # and same-page follow-up (the assets band, the loan outcome) is shown.
    given = worst_answers(fin_applied="yes", industry="construction")
    run = Run()
    guard = Guard(live_server.url)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        page = guard.attach(context.new_page())

        def check(name: str) -> None:
            assert page.get_attribute("html", "lang") == ("zh-Hans" if lang == "zh" else "en")
            run.check(page, name, f"{lang}-{name}", BEST_PRACTICE)

        page.goto(f"{live_server.url}/?lang={lang}")
        check("start")
        page.locator("#consent").check()
        press(page, "form[action='/start'] button[type=submit]")
        for section in q.sections:
            page.wait_for_url(f"**/survey/{section.id}")
            check(f"section-{section.id}")
            press(page, '.actions button[value="next"]')  # nothing answered: errors shown
            assert page.locator(".error-summary").count() == 1
            check(f"section-{section.id}-errors")
            fill_section(page, section, given)
            if section is q.sections[0]:
                press(page, '.actions button[value="save"]')
                page.wait_for_url("**/survey/saved")
                check("saved")
                page.goto(f"{live_server.url}/survey/{q.sections[1].id}")
                continue
            press(page, '.actions button[value="next"]')
        page.wait_for_url("**/survey/review")
        check("review")
        press(page, "form.js-once button[type=submit]")
        page.wait_for_url("**/report/*")
        page.wait_for_selector(".area-chart svg")
        check("report")
        run.low_contrast["report"] = svg_text_contrast(page, ".area-chart")
        report_url = page.url.split("?")[0]
        page.goto(f"{live_server.url}/methodology")
        check("methodology")
        page.goto(report_url + "/delete")
        press(page, "form button.danger")
        page.wait_for_url("**/deleted")
        check("deleted")
        page.goto(f"{live_server.url}/no-such-page")
        check("not-found")
        assert_no_leak(guard)
    finally:
        context.close()
    return run


@pytest.mark.parametrize("name", RESPONDENT_PAGES)
def test_respondent_page_has_no_violations(respondent_run: Run, name: str) -> None:
    assert_no_violations(respondent_run.audits[name])


def test_respondent_pages_need_no_sideways_scrolling(respondent_run: Run) -> None:
    assert {k: v for k, v in respondent_run.overflow.items() if v > 0} == {}


def test_report_chart_text_has_enough_contrast(respondent_run: Run) -> None:
    assert respondent_run.low_contrast["report"] == []


# --- staff pages ---------------------------------------------------------------------------


def plausible_answers(q: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """A valid answer set somewhere between all-worst and all-best, with a plausible profile.

    Profiles come from a few industries and provinces in different regions, so some groups
    pass the privacy threshold and their bars are drawn while others are written "hidden".
    """
    profile = {
        "industry": rng.choice(["manufacturing", "wholesale", "software_it"]),
        "employees": rng.choice([5, 15, 60, 200]),
        "province": rng.choice(["guangdong", "zhejiang", "hubei", "sichuan", "liaoning"]),
        "export_status": rng.choice(["no_plans", "considering", "exports_indirect",
                                     "exports_direct"]),
    }
    check = validate(q, varied_answers(rng, q, **profile))
    assert check.ok, check.messages()
    return check.answers


@dataclass
class StaffSite:
    response_id: int
    account_id: int


@pytest.fixture(scope="module")
def staff_site(live_server: LiveServer) -> Iterator[StaffSite]:
    """An admin, an API token and ~40 real assessments; the assessments are removed after,
    so the other browser tests sharing the server never count them as peers."""
    q = load_questionnaire()
    rng = random.Random(360)
    account_id = ensure_staff(live_server.app, EMAIL, "admin")

    def make() -> list[Response]:
        return [services.create_submitted(plausible_answers(q, rng), language=rng.choice(LANGS),
                                          source="web") for _ in range(SEEDED)]

    with temporary_responses(live_server.app, make) as stored:
        with live_server.app_context():
            api_tokens.issue(EMAIL, "Partner think-tank", actor_id=account_id)
        yield StaffSite(response_id=stored[0].id, account_id=account_id)


STAFF_PAGES = ["login", "dashboard", "brief", "responses", "response-detail", "exports",
               "waves", "accounts", "account-detail", "audit", "tokens", "my-account",
               "two-factor"]
STAFF_RUNS = {"en-laptop": ("en", LAPTOP), "zh-phone": ("zh", PHONE)}


def _staff_paths(site: StaffSite) -> dict[str, str]:
    return {
        "dashboard": "/staff/", "brief": "/staff/brief", "responses": "/staff/responses",
        "response-detail": f"/staff/responses/{site.response_id}", "exports": "/staff/exports",
        "waves": "/staff/waves", "accounts": "/staff/accounts",
        "account-detail": f"/staff/accounts/{site.account_id}", "audit": "/staff/audit",
        "tokens": "/staff/tokens", "my-account": "/staff/account",
        "two-factor": "/staff/two-factor",
    }


# Each drawn chart must be one labelled image (plotly's SVG inside it is then presentational)
# whose name and description point at the heading and the sentence on the page.
_CHART_ALTERNATIVES = """() => [...document.querySelectorAll("[data-figure]")].flatMap((el) => {
  const text = (ids) => (ids || "").split(" ").filter(Boolean)
      .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  const problems = [];
  if (el.getAttribute("role") !== "img") problems.push(el.id + ": not role=img");
  if (!text(el.getAttribute("aria-labelledby")) && !el.getAttribute("aria-label"))
    problems.push(el.id + ": no accessible name");
  if (!text(el.getAttribute("aria-describedby"))) problems.push(el.id + ": no description");
  if (el.querySelector("[tabindex], a[href], button, input"))
    problems.push(el.id + ": focusable content inside the image");
  return problems;
})"""


@pytest.fixture(scope="module", params=list(STAFF_RUNS))
def staff_run(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer,
              staff_site: StaffSite) -> Run:
    """Every staff page as a signed-in admin sees it, in one language at one size."""
    lang, viewport = STAFF_RUNS[request.param]
    run = Run()
    guard = Guard(live_server.url)
    context = browser.new_context(viewport=viewport, locale="en-US")
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/staff/login?lang={lang}")
        run.check(page, "login", f"staff-{request.param}-login")
        submit_sign_in(page, EMAIL)
        for name, path in _staff_paths(staff_site).items():
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (path, response)
            if name == "dashboard":
                figures = page.locator("[data-figure]").count()
                assert figures > 0, "no chart to draw: seed more assessments"
                page.wait_for_function(
                    "n => document.querySelectorAll('.chart-figure.is-drawn').length === n",
                    arg=figures, timeout=20_000)
                run.chart_problems = page.evaluate(_CHART_ALTERNATIVES)
                run.low_contrast["dashboard"] = svg_text_contrast(page, ".chart-figure")
            run.check(page, name, f"staff-{request.param}-{name}")
        assert_no_leak(guard)
    finally:
        context.close()
    return run


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_page_has_no_serious_violations(staff_run: Run, name: str) -> None:
    assert_accessible(staff_run.audits[name])


def test_staff_pages_need_no_sideways_scrolling(staff_run: Run) -> None:
    assert {k: v for k, v in staff_run.overflow.items() if v > 0} == {}


def test_dashboard_charts_have_text_alternatives(staff_run: Run) -> None:
    assert staff_run.chart_problems == []


def test_dashboard_chart_text_has_enough_contrast(staff_run: Run) -> None:
    low = staff_run.low_contrast["dashboard"]
    assert low == [], "\n".join(
        f"{t['chart']}: {t['text']!r} {t['fill']} on {t['background']} = {t['ratio']}:1"
        for t in low)


# --- the checks themselves, and the keyboard --------------------------------------------------


def test_the_checks_catch_what_they_look_for(browser: Any) -> None:
    """A page with known faults fails both checks, so a clean result above means something."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>Faulty</title></head><body><main>'
            '<h1>Faulty</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<p style="color:#aaa;background:#fff">Pale text</p>'
            '<svg id="chart" width="200" height="60"><rect width="200" height="60" '
            'fill="#3f7fc4"/><text x="10" y="35" fill="#444">58%</text></svg>'
            "</main></body></html>")
        found = {v["id"] for v in run_axe(page, "self-check").blocking}
        assert {"image-alt", "color-contrast"} <= found, found
        low = svg_text_contrast(page, "#chart")
        assert [t["text"] for t in low] == ["58%"], low
    finally:
        context.close()


def test_focus_ring_stands_out(browser: Any, live_server: LiveServer) -> None:
    """The first few keyboard stops of the start page show a ring of at least 3:1 contrast."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        rings = []
        for _ in range(4):
            page.keyboard.press("Tab")
            rings.append(focus_ring(page))
        weak = [r for r in rings if r["style"] == "none" or r["width"] < 2 or r["ratio"] < 3]
        assert weak == [], weak
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_and_a_section_by_keyboard_only(browser: Any, live_server: LiveServer,
                                                  lang: str) -> None:
    """From the skip link to the next section with Tab, Space, arrows, typing and Enter."""
    q = load_questionnaire()
    section = q.sections[0]
    guard = Guard(live_server.url)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/?lang={lang}")
        page.locator("#consent").check()
        press(page, "form[action='/start'] button[type=submit]")
        page.wait_for_url(f"**/survey/{section.id}")

        page.keyboard.press("Tab")
        assert "skip-link" in focused(page)["cls"], focused(page)
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0, box  # shown on focus
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#main'")  # a loaded machine is slower
        page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
        assert focused(page)["id"] == "main"

        answered: set[str] = set()
        arrows_used = False
        for _ in range(300):
            page.keyboard.press("Tab")
            el = focused(page)
            assert el["tag"] != "body", "focus fell out of the page"
            if el["name"] in answered:
                continue
            if el["type"] == "radio":
                assert el["ring"] != "none", "no visible focus on a radio button's card"
                if not arrows_used:
                    page.keyboard.press("ArrowDown")  # moves to the next option and selects it
                    arrows_used = True
                else:
                    page.keyboard.press("Space")
                assert focused(page)["checked"]
                answered.add(el["name"])
            elif el["type"] == "checkbox":
                page.keyboard.press("Space")
                answered.add(el["name"])
            elif el["tag"] == "select":
                page.keyboard.press("ArrowDown")  # a closed select takes the next option
                assert page.eval_on_selector(f'select[name="{el["name"]}"]', "s => s.value")
                answered.add(el["name"])
            elif el["type"] in ("text", "number", "textarea"):
                page.keyboard.type("12")
                answered.add(el["name"])
            elif el["tag"] == "button" and el["value"] == "next":
                break
        else:
            pytest.fail("never reached the Next button")
        # Every question shown; the assets band stays hidden (the first industry's size rule
        # does not need it).
        shown = set(page.eval_on_selector_all(
            ".question:not([hidden]) [name]:not(:disabled)", "els => els.map(e => e.name)"))
        assert "assets_band" not in shown
        assert answered == shown == {qq.id for qq in section.questions} - {"assets_band"}, (
            answered)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url(f"**/survey/{q.sections[1].id}")
        assert page.locator(".error-summary").count() == 0
        assert_no_leak(guard)
    finally:
        context.close()
