"""The personal report, its downloads and deletion."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from survey.core.questionnaire import Question, load_questionnaire
from survey.core.questionnaire.schema import NextStep
from survey.core.scoring import assess
from tests.helpers import (
    best_answer,
    best_answers,
    complete_answers,
    plain,
    varied_answers,
    worst_answers,
)
from tests.journey import Respondent, submitted


def test_report_is_private(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    assert r.headers["Cache-Control"] == "no-store"
    assert "noindex" in r.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in r.text


def test_report_lists_recommendations_in_order_with_next_steps(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    for rec in Q.recommendations:  # the owner's headline, with the AmCham recommendation
        assert rec.headline is not None and rec.headline.en in html.unescape(r.text)
    assert "No comparison yet" in r.text
    # All-best answers: nothing is pressing, and the report does not pretend otherwise.
    assert "Where your firm could still improve" in r.text
    assert "What would help your firm most" not in r.text


def test_unknown_report_token_is_a_friendly_404(client: FlaskClient) -> None:
    for token in ("nope", "x" * 43, "a%27%20OR%201=1--aaaaaaaaaa", "é" * 30):
        r = client.get(f"/report/{token}")
        assert r.status_code == 404, token
        assert "This link does not open any answers" in r.text
    for path in ("/report/" + "%00" * 20, "/r/" + "%00" * 16):  # NUL: refused app-wide
        assert client.get(path).status_code == 400


def test_report_opens_in_the_language_answered(app: object, client: FlaskClient) -> None:
    from survey.services import responses as services

    response = services.create_submitted(best_answers(), language="zh", source="web")
    fresh = client.get(f"/report/{response.token}", headers={"Accept-Language": "en-GB"})
    assert 'lang="zh-Hans"' in fresh.text
    chosen = client.get(f"/report/{response.token}?lang=en")
    assert 'lang="en"' in chosen.text


def test_report_shows_its_own_link_and_qr_code(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    assert f"/report/{token}</p>" in r.text
    # A PNG image, not inline SVG: WeChat's long-press recognises QR codes in images only.
    assert r.text.count('<img class="qr" src="data:image/png;base64,') == 1
    assert "<svg" not in r.text.split('class="qr-figure"')[1].split("</figure>")[0]


# --- method 2027.1: statuses, capability, gap split, next steps, credit constraint --------

Q = load_questionnaire()


def report_for(client: FlaskClient, answers: dict[str, Any], lang: str = "en") -> str:
    """The report page of answers stored as a submitted response, as plain text."""
    from survey.services import responses as services

    response = services.create_submitted(answers, language=lang, source="web")
    page = client.get(f"/report/{response.token}")
    assert page.status_code == 200
    return plain(page.text)


def dont_know_on(area: str) -> Callable[[Question], Any]:
    """Pick "don't know" on every question of the area that offers it, the best elsewhere."""
    def pick(q: Question) -> Any:
        skip = [o.value for o in q.options if o.kind == "dont_know"]
        if q.area == area and skip:
            return [skip[0]] if q.type == "multi" else skip[0]
        return best_answer(q)
    return pick


def test_a_firm_with_no_export_plans_is_told_the_area_does_not_apply(
        app: object, client: FlaskClient) -> None:
    text = report_for(client, varied_answers(export_status="no_plans"))
    assert ("Not scored: this area is scored only for firms that sell abroad themselves or "
            "plan to, and it does not count in your overall score.") in text
    assert "The overall score is the average of the 2 areas that apply to your firm." in text
    assert "Overseas markets Does not apply" in text  # in the table
    assert "Sell abroad online · Does not apply to your firm" in text  # closed, last


def test_an_area_of_mostly_dont_know_is_not_assessed(app: object, client: FlaskClient) -> None:
    answers = complete_answers(dont_know_on("financing"))
    assert assess(Q, answers).areas["financing"].status == "insufficient"
    text = report_for(client, answers)
    assert "Mostly “don’t know” answers — not assessed." in text
    assert "Financing Not assessed" in text
    assert ("Not assessed: an area that applies to your firm has mostly “don’t know” answers."
            in text)
    assert "Not assessed: mostly “don’t know” answers" in text  # a closed recommendation
    assert "insufficient" not in text.lower() and "Not enough answers" not in text


def _card(page_html: str, area: str) -> str:
    """One area's card of the report, as plain text."""
    body = page_html.split(f'id="area-{area}"', 1)[1]
    return plain("<main>" + body.split('class="area-card"', 1)[0].split("</section>", 1)[0])


def test_capability_environment_and_the_gap_split_are_in_words(
        app: object, client: FlaskClient) -> None:
    from survey.services import responses as services

    answers = worst_answers(fin_applied="yes")
    a = assess(Q, answers)
    page = client.get(f"/report/{services.create_submitted(answers).token}").text
    words = {"mostly_internal": "What holds it back is mostly inside your firm",
             "mostly_external": "What holds it back is mostly outside your firm",
             "mixed": "What holds it back is both inside your firm and in the conditions"}
    for area in Q.areas:
        r = a.areas[area.id]
        assert r.capability is not None and r.environment is not None and r.gap_split
        card = _card(page, area.id)
        assert (f"Your firm itself: {int(r.capability)} of 100 · Outside your firm: "
                f"{int(r.environment)} of 100 {words[r.gap_split]}") in card
    assert "Score and environment by area" in page
    varied = report_for(client, varied_answers())
    assert any(w in varied for w in words.values())


def _first_step_with_because(answers: dict[str, Any]) -> tuple[NextStep, Question, str]:
    """The first next step shown with a reason, the question that decided it and its answer."""
    for rec in assess(Q, answers).recommendations:
        steps = {s.id: s for s in Q.recommendation(rec.id).steps}
        for shown in rec.next_steps:
            if shown.because:
                qid = shown.because[0]
                return steps[shown.id], Q.question(qid), answers[qid]
    raise AssertionError("no next step with a reason")


def test_next_steps_show_their_text_and_the_answers_behind_them(
        app: object, client: FlaskClient) -> None:
    answers = worst_answers(fin_applied="yes")
    step, question, value = _first_step_with_because(answers)
    text = report_for(client, answers)
    assert step.text.en in text
    chosen = question.option(value) if question.options else None
    label = chosen.label.en if chosen else str(value)
    assert f"Because you answered “{label}” to “{question.text.en}”." in text


def test_next_steps_in_chinese(app: object, client: FlaskClient) -> None:
    answers = worst_answers(fin_applied="yes")
    step, question, _value = _first_step_with_because(answers)
    text = report_for(client, answers, lang="zh")
    assert step.text.zh in text
    assert question.text.zh in text


def test_because_names_only_the_answers_that_called_for_the_step(
        app: object, client: FlaskClient) -> None:
    """A step's `because` names only the answers that decided it — never "it helped" beside
    advice to apply (the `any` of fs_digital_fund read scheme_digital_fund first)."""
    answers = best_answers(fin_digital_budget="none", dig_strategy_stage="no_plan",
                           scheme_cloud_voucher="not_aware")
    a = assess(Q, answers)
    shown = {s.id: s.because for s in a.recommendation("financial_support").next_steps}
    assert "scheme_digital_fund" not in shown["fs_digital_fund"]  # read, but did not decide
    text = report_for(client, answers)
    fund = Q.question("scheme_digital_fund")
    voucher = Q.question("scheme_cloud_voucher")
    assert f"to “{fund.text.en}”" not in text
    assert f"Because you answered “Never heard of it” to “{voucher.text.en}”." in text


def test_the_credit_constraint_class_is_one_plain_sentence(
        app: object, client: FlaskClient) -> None:
    from survey.services import responses as services

    page = client.get(
        f"/report/{services.create_submitted(worst_answers(fin_applied='yes')).token}").text
    card = _card(page, "financing")
    assert ("Your firm has no loan or credit line, and in the last 12 months it was turned "
            "down or put off applying: it is short of credit.") in card
    outcome = Q.question("fin_loan_outcome")  # and the firm's own answer behind it
    answers = worst_answers(fin_applied="yes")
    assert outcome.text.en in card
    assert outcome.option(answers["fin_loan_outcome"]).label.en in card  # type: ignore[union-attr]
    no_need = report_for(client, best_answers(fin_applied="no",
                                              fin_no_apply_reason="enough_funds"))
    assert ("In the last 12 months your firm did not need outside finance: its own money was "
            "enough.") in no_need


# --- the report built around action -------------------------------------------------------

def _section(page_html: str, css_class: str) -> str:
    """The plain text of the first <section> whose class starts with `css_class`."""
    body = page_html.split(f'<section class="{css_class}', 1)[1].split("</section>", 1)[0]
    return plain("<main" + body)


def test_the_first_screen_holds_level_summary_and_the_first_actions(
        app: object, client: FlaskClient) -> None:
    """A firm refused a loan for lack of collateral: the report opens with its level, what
    holds it back and the three steps to take first, before any method or version text."""
    from survey.core.advice import plan
    from survey.services import responses as services

    answers = worst_answers(fin_applied="yes")
    a = assess(Q, answers)
    page = client.get(f"/report/{services.create_submitted(answers).token}").text
    head = _section(page, "card report-head")
    level = next(lv.title.en for lv in Q.levels if lv.id == a.overall_level)
    assert level in head and f"{int(a.overall_score or 0)} / 100" in head
    assert "holds your firm back most" in head or "similar level" in head
    steps = {s.id: s for r in Q.recommendations for s in r.steps}
    actions = plan(a).actions
    assert len(actions) == 3
    titles = [steps[x.step].title.en for x in actions]  # type: ignore[union-attr]
    positions = [head.index(t) for t in titles]
    assert positions == sorted(positions)
    for x in actions:  # each links to the step, explained further down with its reason
        assert f'href="#step-{x.step}"' in page and f'id="step-{x.step}"' in page
    assert "method" not in head and "2027.1" not in head


def test_the_report_speaks_plainly(app: object, client: FlaskClient) -> None:
    """No "gap", no decimals, no "insufficient", no "(something you can act on)"."""
    for answers in (worst_answers(fin_applied="yes"), varied_answers(), best_answers()):
        text = report_for(client, answers)
        text = text.split("Submitted ")[0]  # the versions line at the very end
        assert not re.search(r"\bgaps?\b", text, re.IGNORECASE), text
        assert not re.search(r"\d\.\d", text), re.findall(r".{30}\d\.\d.{10}", text)
        assert "insufficient" not in text.lower()
        assert "something you can act on" not in text


def test_only_the_most_needed_recommendations_are_open(app: object,
                                                       client: FlaskClient) -> None:
    from survey.core.advice import plan
    from survey.services import responses as services

    answers = worst_answers(fin_applied="yes")
    p = plan(assess(Q, answers))
    page = client.get(f"/report/{services.create_submitted(answers).token}").text
    assert page.count('<article class="card rec"') == len(p.focus) >= 2
    assert page.count('<details class="rec-other"') == len(p.others)
    for rid in p.others:
        assert f'<details class="rec-other" id="rec-{rid}">' in page
    # What the recommendation means for the firm, not what government should do.
    first = Q.recommendation(p.focus[0])
    assert first.meaning is not None and first.meaning.en in html.unescape(page)
    assert first.description.en not in html.unescape(page)


def test_a_firm_that_uses_a_scheme_is_not_told_to_ask_about_it(
        app: object, client: FlaskClient) -> None:
    """A firm that needs money and has a good tax record is told about 银税互动 loans; the same
    firm already using one is not."""
    from survey.services import responses as services

    needs_money = best_answers(fin_demand="working_capital", fin_tax_credit="a",
                               scheme_bank_tax="not_aware",
                               fin_digital_finance_used=["supply_chain"])
    told = client.get(f"/report/{services.create_submitted(needs_money).token}").text
    assert 'id="step-fs_bank_tax"' in told
    uses_it = {**needs_money, "scheme_bank_tax": "received_useful"}
    not_told = client.get(f"/report/{services.create_submitted(uses_it).token}").text
    assert 'id="step-fs_bank_tax"' not in not_told


def test_the_peer_median_is_drawn_and_named(app: object, client: FlaskClient) -> None:
    from survey.queries.peers import peer_percentiles
    from survey.services import responses as services

    for i in range(21):
        services.create_submitted(varied_answers(seed=i))
    me = services.create_submitted(worst_answers(fin_applied="yes"))
    page = client.get(f"/report/{me.token}").text
    assert me.assessment is not None
    bench = peer_percentiles(me.assessment, 20)
    assert bench is not None
    text = plain(page)
    group = {"industry_size": "firms of your industry and size",
             "industry": "firms in your industry"}[bench["group"]]
    assert f"typical score (the median) of {bench['n']} {group}." in text
    median = bench["medians"]["financing"]
    assert median is not None
    row = page.split('</span>Financing</th>', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(?:<strong>)?([^<]*)', row)[2] == str(int(median))
    assert "Typical similar firm: " in page  # in the chart's description for screen readers
    assert "No comparison yet" not in text


def test_the_report_offers_its_pdf_in_its_language(respondent: Respondent) -> None:
    token = submitted(respondent)
    page = respondent.client.get(f"/report/{token}?lang=zh").text
    assert f'href="/report/{token}/report.pdf?lang=zh"' in page


def test_a_step_that_holds_because_of_an_answer_not_given_says_so(
        app: object, client: FlaskClient) -> None:
    """ip_trademark holds because the firm did not tick "trademark": the report says that, not
    "because you answered 'design patents'"."""
    from survey.services import responses as services

    held = Q.question("dig_ip_held_cn")
    others = [o.value for o in held.options if o.value != "trademark" and not o.kind
              and not o.exclusive]
    answers = best_answers(dig_ip_held_cn=others[:1])
    a = assess(Q, answers)
    shown = {s.id for r in a.recommendations for s in r.next_steps}
    assert "ip_trademark" in shown
    page = html.unescape(client.get(
        f"/report/{services.create_submitted(answers).token}").text)
    trademark = held.option("trademark")
    assert trademark is not None
    assert (f"Because you did not choose “{trademark.label.en}” for “{held.text.en}”."
            in page)
    assert f"to “{held.text.en}”" not in page


def test_a_firm_with_a_tax_record_loan_is_not_told_to_apply_for_one(
        app: object, client: FlaskClient) -> None:
    from survey.services import responses as services

    needs_money = best_answers(fin_demand="working_capital", fin_tax_credit="a",
                               scheme_bank_tax="not_aware")
    has_it = {**needs_money, "fin_digital_finance_used": ["tax_credit_loan"]}
    page = client.get(f"/report/{services.create_submitted(has_it).token}").text
    assert 'id="step-fs_bank_tax"' not in page


def test_a_link_copied_with_trailing_punctuation_still_opens(respondent: Respondent) -> None:
    token = submitted(respondent)
    for junk in ("。", ")", "，", ".", "%EF%BC%89"):
        r = respondent.client.get(f"/report/{token}{junk}")
        assert r.status_code == 302 and r.location.endswith(f"/report/{token}"), junk
    r = respondent.client.get(f"/report/{token}）/my-data.csv")
    assert r.status_code == 302 and r.location.endswith(f"/report/{token}/my-data.csv")


