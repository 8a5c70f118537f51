"""Routing on the respondent's pages: what the server decides, what the page decides live,
and that nothing inapplicable is stored, listed or counted."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from survey.core.conditions import MappingFacts, parse_condition
from survey.core.questionnaire import load_questionnaire
from survey.core.routing import AnswerFacts
from survey.extensions import db
from survey.models import Response
from survey.respondent.journey import (
    progress,
    question_numbers,
    residual,
    shown_questions,
    visible_sections,
)
from tests.helpers import best_answers, form_data_for, worst_answers
from tests.journey import Respondent

Q = load_questionnaire()
NO_PLANS = {"export_status": "no_plans"}


def stored_answers() -> dict[str, Any]:
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response is not None
    return dict(response.answers or {})


def live_condition(page: str, qid: str) -> Any:
    """The condition a page evaluates live for a question (None: it has none)."""
    tag = re.search(rf'<div[^>]*id="q-{qid}"[^>]*>', page)
    assert tag, f"{qid} is not on the page"
    found = re.search(r'data-applies-if="([^"]*)"', tag.group(0))
    return json.loads(html.unescape(found.group(1))) if found else None


def post_page(respondent: Respondent, section_id: str, given: dict[str, Any],
              action: str = "next") -> Any:
    section = Q.sections[Q.section_index(section_id)]
    return respondent.post_section(section_id, form_data_for(list(section.questions), given),
                                   action=action)


# --- deciding on the server, leaving the rest to the page --------------------------------


def _facts(answers: dict[str, Any]) -> AnswerFacts:
    return AnswerFacts(answers, Q.questions)


def test_facts_read_again_after_the_answers_change() -> None:
    """Answers and scores are remembered per question until `changed()`: routing and
    validation add answers one at a time and call it, and then read the new ones."""
    answers: dict[str, Any] = {}
    facts = _facts(answers)
    scored = next(q for q in Q.scored_questions if q.type == "single")
    best = max((o for o in scored.options if o.points is not None), key=lambda o: o.points or 0)
    assert facts.answer(scored.id) is None and facts.score(scored.id) is None
    answers[scored.id] = best.value
    assert facts.answer(scored.id) is None, "remembered until changed()"
    facts.changed()
    assert facts.answer(scored.id) == best.value and facts.score(scored.id) == 100.0
    answers["export_status"] = "no_plans"
    facts.changed()
    assert facts.answer("export_status") == "no_plans"


def test_leaves_off_the_page_are_decided_and_the_rest_is_kept() -> None:
    cond = parse_condition({"all": [{"question": "export_status", "in": ["exports_direct"]},
                                    {"question": "ovs_channels_12m", "in": ["own_site"]}]})
    page = frozenset({"ovs_channels_12m", "ovs_warehousing_obstacle"})
    kept = residual(cond, page, _facts({"export_status": "exports_direct"}))
    assert kept == parse_condition({"question": "ovs_channels_12m", "in": ["own_site"]})
    assert residual(cond, page, _facts({"export_status": "no_plans"})) is False
    assert residual(cond, page, _facts({})) is False  # unanswered: every leaf on it is false

    either = parse_condition({"any": [{"question": "export_status", "in": ["stopped"]},
                                      {"not": {"question": "ovs_channels_12m",
                                               "in": ["own_site"]}}]})
    assert residual(either, page, _facts({"export_status": "stopped"})) is True
    assert residual(either, page, _facts({"export_status": "no_plans"})) == parse_condition(
        {"not": {"question": "ovs_channels_12m", "in": ["own_site"]}})
    assert residual(None, page, _facts({})) is True


def test_scores_and_the_profile_are_always_decided_on_the_server() -> None:
    page = frozenset({"fin_finance_obstacle", "province"})
    by_profile = parse_condition({"profile": "region", "in": ["west"]})
    assert residual(by_profile, page, MappingFacts({}, {}, {"region": "west"})) is True
    assert residual(by_profile, page, MappingFacts({}, {}, {"region": "east"})) is False
    by_score = parse_condition({"score_of": "fin_finance_obstacle", "below": 50})
    assert residual(by_score, page, MappingFacts({}, {"fin_finance_obstacle": 25.0}, {})) is True


def test_a_question_ruled_out_by_an_earlier_page_is_not_rendered(
        respondent: Respondent) -> None:
    respondent.start()
    direct = best_answers(export_status="exports_direct")
    assert respondent.fill_all(direct)[-1] == "overseas_markets"
    page = respondent.client.get("/survey/funding_support").text
    assert 'id="q-scheme_sinosure"' in page
    assert live_condition(page, "scheme_sinosure") is None  # decided: it applies

    post_page(respondent, "profile", best_answers(export_status="considering"))
    page = respondent.client.get("/survey/funding_support").text
    assert 'id="q-scheme_sinosure"' not in page  # direct exporters and past ones only
    assert 'id="q-scheme_trade_fair"' in page


def test_a_page_with_nothing_that_applies_is_skipped(respondent: Respondent) -> None:
    respondent.start()
    answered = respondent.fill_all(best_answers(**NO_PLANS))
    assert "overseas_markets" not in answered
    assert answered[-1] == "funding_support"
    r = respondent.client.get("/survey/overseas_markets")
    assert r.status_code == 302 and r.location.endswith("/survey/review")
    page = respondent.client.get("/survey/funding_support").text
    assert "Overseas markets" not in page  # not among the steps either
    assert "Section 6 of 6" in page
    assert re.search(r'value="next"[^>]*>Review answers<', page)


def test_a_same_page_follow_up_is_decided_live(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get("/survey/financing").text
    assert live_condition(page, "fin_applied") is None
    assert live_condition(page, "fin_loan_outcome") == {"question": "fin_applied", "in": ["yes"]}
    assert live_condition(page, "fin_no_apply_reason") == {"question": "fin_applied",
                                                           "in": ["no"]}
    profile = respondent.client.get("/survey/profile").text
    assert live_condition(profile, "assets_band")["question"] == "industry"


def test_a_condition_on_both_is_split_between_server_and_page(respondent: Respondent) -> None:
    """ovs_warehousing_obstacle applies to direct exporters (an earlier page) that sell online
    (a question on its own page): the page is left only the second half."""
    respondent.start()
    respondent.fill_all(best_answers())
    page = respondent.client.get("/survey/overseas_markets").text
    assert live_condition(page, "ovs_warehousing_obstacle") == {
        "question": "ovs_channels_12m", "in": ["marketplace", "social_commerce", "own_site"]}
    assert live_condition(page, "ovs_logistics_obstacle") is None

    post_page(respondent, "profile", best_answers(export_status="exports_indirect"))
    page = respondent.client.get("/survey/overseas_markets").text
    assert 'id="q-ovs_warehousing_obstacle"' not in page
    assert 'id="grid-ovs_obstacles"' not in page  # no row of the grid applies


def test_without_javascript_an_inapplicable_follow_up_is_ignored(
        respondent: Respondent) -> None:
    """A browser without JavaScript shows every follow-up; what does not apply is not kept."""
    respondent.start()
    given = best_answers(fin_applied="no", fin_no_apply_reason="enough_funds")
    post_page(respondent, "profile", given)
    data = {**form_data_for(Q.sections[1].questions, given),
            "fin_loan_outcome": "refused", "fin_collateral_burden": "could_not_provide"}
    r = respondent.post_section("financing", data)
    assert r.status_code == 302, r.text[:2000]
    answers = stored_answers()
    assert answers["fin_no_apply_reason"] == "enough_funds"
    assert "fin_loan_outcome" not in answers and "fin_collateral_burden" not in answers


def test_a_follow_up_that_applies_is_required(respondent: Respondent) -> None:
    respondent.start()
    given = best_answers(fin_applied="yes")
    post_page(respondent, "profile", given)
    data = form_data_for(Q.sections[1].questions, given)
    data.pop("fin_loan_outcome")
    r = respondent.post_section("financing", data)
    assert r.status_code == 422
    assert 'href="#q-fin_loan_outcome"' in r.text


def test_changing_an_earlier_answer_drops_what_no_longer_applies(
        respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all(best_answers(export_status="exports_direct"))
    before = stored_answers()
    assert {"ovs_preparation", "scheme_sinosure", "ovs_logistics_obstacle"} <= set(before)
    r = post_page(respondent, "profile", best_answers(**NO_PLANS))
    assert r.status_code == 302
    after = stored_answers()
    assert after["export_status"] == "no_plans"
    assert not [qid for qid in after if qid.startswith("ovs_")]
    assert "scheme_sinosure" not in after and "scheme_trade_fair" not in after
    assert after["fin_finance_obstacle"] == before["fin_finance_obstacle"]  # the rest is kept
    assert respondent.client.get("/survey/review").text.count("Some questions still need") == 0


def test_review_lists_only_applicable_questions(respondent: Respondent) -> None:
    respondent.start()
    given = best_answers(fin_applied="no", fin_no_apply_reason="enough_funds", **NO_PLANS)
    respondent.fill_all(given)
    page = respondent.client.get("/survey/review").text
    assert Q.question("fin_no_apply_reason").text.en.replace("'", "&#39;") in page
    for hidden in ("fin_loan_outcome", "ovs_preparation", "scheme_sinosure", "assets_band"):
        assert Q.question(hidden).text.en.replace("'", "&#39;") not in page, hidden
    assert "Overseas markets" not in page
    assert "Some questions still need an answer." not in page


def test_progress_counts_only_applicable_required_questions() -> None:
    no_plans = best_answers(**NO_PLANS)
    direct = best_answers(export_status="exports_direct")
    assert progress(Q, "review", no_plans).percent == 100
    assert progress(Q, "review", direct).percent == 100
    assert progress(Q, "profile", {}).percent == 0
    # Half the financing page answered: the follow-up of the question left out is not counted.
    partial = {k: v for k, v in no_plans.items() if k not in ("fin_applied",
                                                               "fin_no_apply_reason",
                                                               "fin_loan_outcome",
                                                               "fin_collateral_burden")}
    shown = progress(Q, "financing", partial)
    assert 0 < shown.percent < 100
    assert [s.id for s in progress(Q, "profile", no_plans).sections] == [
        s.id for s in Q.sections if s.id != "overseas_markets"]
    assert progress(Q, "financing", no_plans).index == 2


def test_numbers_count_what_is_shown_with_letters_for_live_follow_ups() -> None:
    numbers = question_numbers(Q, worst_answers())
    applied = int(numbers["fin_applied"])
    assert numbers["fin_loan_outcome"] == f"{applied}a"
    assert numbers["fin_no_apply_reason"] == f"{applied}b"
    assert numbers["fin_collateral_burden"] == f"{applied}c"
    assert numbers["fin_current_finance"] == str(applied + 1)
    grid = numbers["infra_broadband_available"]
    assert numbers["infra_5g_available"] == numbers["infra_computing_available"] == grid
    assert numbers["infra_broadband_cost"] == str(int(grid) + 1)
    assert numbers["assets_band"] == numbers["revenue_band"] + "a"
    # Ruled out by an earlier page: not counted, so the count has no gap.
    no_plans = question_numbers(Q, best_answers(**NO_PLANS))
    assert "ovs_preparation" not in no_plans and "scheme_sinosure" not in no_plans
    plain = sorted({int(n) for n in no_plans.values() if n.isdigit()})
    assert plain == list(range(1, plain[-1] + 1))


def test_visible_sections_and_shown_questions_agree() -> None:
    answers = best_answers(**NO_PLANS)
    shown = shown_questions(Q, answers)
    assert [s.id for s in visible_sections(Q, answers)] == [
        s.id for s in Q.sections if any(qq.id in shown for qq in s.questions)]
    assert shown["fin_loan_outcome"] is not True  # decided on its page
    assert shown["fin_applied"] is True


def test_the_page_count_does_not_grow_on_the_way() -> None:
    """Before the export status is given, the overseas page is still to be expected; once it
    says no plans, the page is gone from the count; a page not reached is never ticked."""
    everything = [s.id for s in Q.sections]
    start = progress(Q, "profile", {})
    assert [s.id for s in start.sections] == everything and start.total == len(everything)
    assert start.done == frozenset()
    profile = {k: v for k, v in best_answers(**NO_PLANS).items()
               if k in {qq.id for qq in Q.sections[0].questions}}
    after = progress(Q, "financing", profile)
    assert "overseas_markets" not in [s.id for s in after.sections]
    assert after.done == frozenset({"profile"}) and after.index == 2
    direct = {**profile, "export_status": "considering"}
    assert progress(Q, "financing", direct).total == len(everything)


@pytest.mark.parametrize("section", Q.sections, ids=lambda s: s.id)
def test_no_page_is_longer_than_about_ten_questions(section: Any) -> None:
    """A phone page: each grid row counts as a question, as the owner sees it. Eleven is the
    most (the support schemes for a firm that meets every one, a direct exporter selling
    online); a longer section belongs on two pages."""
    assert len(section.questions) <= 11, [qq.id for qq in section.questions]
