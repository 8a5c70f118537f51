"""The questionnaire as an owner meets it: on a 360 × 740 phone in Chinese and at 1280 px in
English, in headless Chromium.

What is measured is what a person sees: Next is the first and widest button of a page (on a
phone it spans the width, Back and Save beneath it); every option is a card at least 48 px
tall whose chosen state shows in its own colours, not only in the radio; "don't know" answers
are not greyed out; question text is larger than the options; the province list narrows as
the owner types. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from survey.core.questionnaire import load_questionnaire
from survey.extensions import limiter
from tests.helpers import worst_answers

from .a11y import BEST_PRACTICE, assert_no_violations, run_axe
from .conftest import OUTPUT, Guard, LiveServer
from .helpers import fill_section

pytestmark = pytest.mark.e2e

SHOTS = OUTPUT / "screenshots"
RUNS = {"zh-phone": ("zh", {"width": 360, "height": 740}),
        "en-desktop": ("en", {"width": 1280, "height": 800})}

BUTTONS_JS = """() => [...document.querySelectorAll('.page-actions button')].map((b) => {
  const r = b.getBoundingClientRect();
  return {value: b.value, x: r.x, y: r.y, width: r.width, height: r.height,
          bottom: r.bottom, right: r.right};
})"""

# Each visible option card with its box and the colours that can show it is chosen.
CARDS_JS = """() => [...document.querySelectorAll('.choice')]
  .filter((c) => c.offsetParent !== null)
  .map((c) => {
    const s = getComputedStyle(c), r = c.getBoundingClientRect();
    return {id: c.htmlFor, height: r.height, width: r.width, skip: c.classList.contains('skip'),
            color: s.color, opacity: s.opacity, background: s.backgroundColor,
            border: s.borderTopColor, shadow: s.boxShadow, weight: s.fontWeight,
            size: parseFloat(s.fontSize)};
  })"""


@pytest.fixture(params=list(RUNS))
def run(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer
        ) -> Iterator[tuple[str, str, Any, Guard]]:
    """(run name, language, a page on the first questionnaire page, its guard)."""
    lang, viewport = RUNS[request.param]
    guard = Guard(live_server.url)
    # Every test here starts a questionnaire from the same address, which /start limits per
    # minute on the live server: clear the counts, so this file and those after it stay under.
    limiter.reset()
    context = browser.new_context(viewport=viewport, locale="en-US")
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/?lang={lang}")
        page.locator("#consent").check()
        with page.expect_navigation():
            page.locator("form[action='/start'] button[type=submit]").click()
        page.wait_for_url("**/survey/profile")
        yield request.param, lang, page, guard
    finally:
        context.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def go_next(page: Any) -> None:
    with page.expect_navigation():
        page.locator('.page-actions button[value="next"]').click()


def assert_next_first_and_widest(page: Any, phone: bool) -> None:
    buttons = page.evaluate(BUTTONS_JS)
    assert buttons[0]["value"] == "next", buttons  # first in the page, so first for Tab
    nxt, others = buttons[0], buttons[1:]
    assert others, buttons
    assert all(nxt["width"] > o["width"] for o in others), buttons
    if phone:
        form_width = page.evaluate("document.querySelector('.page-actions').clientWidth")
        assert nxt["width"] >= form_width - 1, (nxt, form_width)
        assert all(o["y"] >= nxt["bottom"] for o in others), buttons  # beneath Next
        assert nxt["height"] >= 48
    else:
        assert all(abs(o["y"] - nxt["y"]) < 2 for o in others), buttons  # one row
        assert all(o["x"] > nxt["x"] for o in others), buttons  # Next at its start


def test_next_is_the_first_and_widest_button(run: tuple[str, str, Any, Guard]) -> None:
    name, lang, page, guard = run
    phone = name.endswith("phone")
    q = load_questionnaire()
    assert_next_first_and_widest(page, phone)  # Next and Save: no Back on the first page
    shot(page, f"{name}-profile-actions", full=True)
    fill_section(page, q.sections[0], worst_answers())
    go_next(page)
    page.wait_for_url(f"**/survey/{q.sections[1].id}")
    values = [b["value"] for b in page.evaluate(BUTTONS_JS)]
    assert values == ["next", "back", "save"]
    assert_next_first_and_widest(page, phone)
    page.locator(".page-actions").scroll_into_view_if_needed()
    shot(page, f"{name}-financing-actions")
    guard.assert_clean()


def test_options_are_tall_cards_with_a_visible_chosen_state(
        run: tuple[str, str, Any, Guard]) -> None:
    name, lang, page, guard = run
    q = load_questionnaire()
    fill_section(page, q.sections[0], worst_answers())
    go_next(page)
    page.wait_for_url(f"**/survey/{q.sections[1].id}")
    cards = page.evaluate(CARDS_JS)
    assert len(cards) > 10
    assert [c for c in cards if c["height"] < 48] == []
    if name.endswith("phone"):
        width = page.evaluate("document.querySelector('.question').clientWidth")
        assert all(c["width"] > width * 0.8 for c in cards), cards  # full-width cards

    # "Don't know" and "not applicable" are answers like the others: same ink, not faded.
    real = next(c for c in cards if not c["skip"])
    skips = [c for c in cards if c["skip"]]
    assert skips, "this page has don't-know answers"
    assert all((c["color"], c["opacity"]) == (real["color"], real["opacity"]) for c in skips)

    legend = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                           "'.question legend')).fontSize)")
    assert legend > real["size"], (legend, real["size"])

    first = q.sections[1].questions[0]
    page.locator(f'label[for="{first.id}-1"]').click()
    after = {c["id"]: c for c in page.evaluate(CARDS_JS)}
    chosen, other = after[f"{first.id}-1"], after[f"{first.id}-0"]
    for prop in ("background", "border", "weight"):
        assert chosen[prop] != other[prop], (prop, chosen, other)
    shot(page, f"{name}-chosen-option")

    # A keyboard user sees which card has focus.
    page.locator(f"#{first.id}-1").focus()
    page.keyboard.press("ArrowDown")
    focused_card = page.evaluate("getComputedStyle(document.activeElement.closest('.choice'))"
                                 ".outlineStyle")
    assert focused_card != "none"
    guard.assert_clean()


def test_the_province_list_narrows_as_the_owner_types(
        run: tuple[str, str, Any, Guard]) -> None:
    name, lang, page, guard = run
    box = page.locator("#province-filter")
    assert box.is_visible()
    label = page.locator('label[for="province-filter"]').inner_text()
    assert label == ("输入文字，在列表中查找" if lang == "zh" else
                     "Type to find your answer in the list")
    assert box.get_attribute("aria-controls") == "province"
    every = page.locator("#province option").count()
    assert every == 32  # "Choose…" and 31 provinces

    box.fill("jiang")  # pinyin: 江苏 江西 浙江 黑龙江 新疆 (xinjiang)
    values = page.eval_on_selector_all("#province option", "os => os.map(o => o.value)")
    assert sorted(values) == ["", "heilongjiang", "jiangsu", "jiangxi", "xinjiang", "zhejiang"]
    assert page.locator("#province").input_value() == ""  # several match: none is chosen
    assert page.locator("#province-filter-status").inner_text().endswith(
        "5 项" if lang == "zh" else ": 5")

    box.fill("广东")  # one match: it is chosen
    assert page.locator("#province").input_value() == "guangdong"
    box.fill("Sichuan")  # English on the Chinese page too
    assert page.locator("#province").input_value() == "sichuan"
    shot(page, f"{name}-province-filter")

    box.fill("xyz")
    values = page.eval_on_selector_all("#province option", "os => os.map(o => o.value)")
    assert values == ["", "sichuan"]  # the chosen answer never disappears
    box.fill("")
    assert page.locator("#province option").count() == every
    assert page.locator("#province").input_value() == "sichuan"

    # Enter picks the first match and stays on the page, rather than sending it.
    url = page.url
    box.fill("zhe")
    box.press("Enter")
    assert page.url == url
    assert page.locator("#province").input_value() == "zhejiang"
    assert page.evaluate("document.activeElement.id") == "province"
    guard.assert_clean()


def test_every_page_filled_in_has_no_axe_violation(run: tuple[str, str, Any, Guard]) -> None:
    """Each page of a direct exporter's questionnaire, filled in (chosen cards, the desktop
    grid layout): axe finds nothing, every option is 48 px or taller, and a screenshot is kept
    for a person to look at."""
    name, lang, page, guard = run
    q = load_questionnaire()
    given = worst_answers(fin_applied="yes", industry="construction")
    for section in q.sections:
        page.wait_for_url(f"**/survey/{section.id}")
        fill_section(page, section, given)
        shot(page, f"{name}-{section.id}", full=True)
        assert_no_violations(run_axe(page, f"{name}-filled-{section.id}", BEST_PRACTICE))
        low = [c["id"] for c in page.evaluate(CARDS_JS) if c["height"] < 48]
        assert low == [], (section.id, low)  # grid cells too, on a wide screen
        go_next(page)
    page.wait_for_url("**/survey/review")
    guard.assert_clean()


def test_numbers_typed_on_a_chinese_keyboard_are_accepted(
        run: tuple[str, str, Any, Guard]) -> None:
    """Full-width digits and a unit, as a Chinese keyboard types them, pass to the next page
    and come back as plain numbers."""
    name, lang, page, guard = run
    q = load_questionnaire()
    fill_section(page, q.sections[0], worst_answers())
    example = page.locator("#years_operating-help").inner_text()
    assert ("例如：20" if lang == "zh" else "for example: 20") in example
    page.fill("#employees", "１２人")
    page.fill("#years_operating", "２０年")
    go_next(page)
    page.wait_for_url(f"**/survey/{q.sections[1].id}")
    page.goto(page.url.rsplit("/", 1)[0] + "/profile")
    assert page.locator("#employees").input_value() == "12"
    assert page.locator("#years_operating").input_value() == "20"
    guard.assert_clean()
