"""Every property of DESIGN.md §2 (method 2027.1), with hypothesis, on the 2027.1 fixture and on
the real 2027.1 questionnaire once it exists.

Answers are generated from each questionnaire itself, for every question whether it applies or
not, so the properties keep holding (or fail loudly) whenever the data changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from survey.core.conditions import questions_of
from survey.core.questionnaire import QuestionnaireError, available_versions, load_questionnaire
from survey.core.questionnaire.schema import AREAS, Questionnaire
from survey.core.rounding import half_up
from survey.core.routing import route
from survey.core.scoring import ScoredAssessment, assess
from tests.core import builder2027
from tests.core.strategies import (
    all_best,
    answer_for,
    answer_sets,
    best_answer,
    points_of,
    scored_options,
    skip_options,
    worst_answer,
)

FAST = settings(max_examples=80, deadline=None)
CONSTRAINED = ("partially_constrained", "fully_constrained")


@dataclass(frozen=True)
class Case:
    """A questionnaire and what the properties need to know about it.

    `unscored_best` gives, for each unscored question a next step or rule reads, the answer
    that says the firm does it (a scheme received, a loan granted); `refusal` names the loan
    question and its refused and granted answers; `no_export` the export status of a firm with
    no export activity or plans.
    """

    name: str
    q: Questionnaire
    unscored_best: Mapping[str, Any]
    refusal: tuple[str, str, str] | None
    no_export: tuple[str, str] = ("export_status", "no_plans")
    same_otherwise: Mapping[str, Any] = field(default_factory=dict)


FIXTURE_CASE = Case(
    "fixture", builder2027.FIXTURE,
    unscored_best={"scheme_guarantee": "received", "scheme_tax_loan": "received",
                   "scheme_cloud": "received", "fin_applied": "applied_granted",
                   "fin_has_credit": "yes", "export_status": "exports_direct"},
    refusal=("fin_applied", "applied_rejected", "applied_granted"),
)


def test_the_real_case_describes_the_real_file() -> None:
    case = real_case()
    if case is None:
        pytest.skip("questionnaire 2027.1 not written or not loading")
    unscored_read = {qid for r in case.q.recommendations for s in r.steps if s.when
                     for qid in questions_of(s.when) if not case.q.question(qid).scored}
    assert unscored_read <= set(case.unscored_best)
    assert case.refusal is not None
    qid, refused, granted = case.refusal
    assert case.q.question(qid).option(refused) and case.q.question(qid).option(granted)


def real_case() -> Case | None:
    if "2027.1" not in available_versions():
        return None
    try:
        q = load_questionnaire("2027.1")
    except QuestionnaireError:
        return None  # test_real_2027_file_loads reports why
    return Case("real", q, unscored_best=REAL_UNSCORED_BEST, refusal=REAL_REFUSAL,
                same_otherwise={"fin_applied": "yes"})


# The unscored questions the real file's next steps read, each answered as a firm that has it
# all; fin_demand and export_status are context, set to the firm that needs finance and exports
# directly, so that only the scored answers can silence the steps on them.
REAL_UNSCORED_BEST: dict[str, Any] = {
    "fin_current_finance": ["business_account", "bank_loan"],
    "fin_demand": "both",
    "export_status": "exports_direct",
    "firm_recognition": ["high_tech"],
}
REAL_REFUSAL: tuple[str, str, str] | None = ("fin_loan_outcome", "refused", "granted_full")

CASES = [c for c in (FIXTURE_CASE, real_case()) if c is not None]
ids = [c.name for c in CASES]


def test_real_2027_file_loads() -> None:
    if "2027.1" not in available_versions():
        pytest.skip("questionnaire 2027.1 not written yet")
    load_questionnaire("2027.1")


def every_score(a: ScoredAssessment) -> list[float | None]:
    out: list[float | None] = [a.overall_score]
    for area in a.areas.values():
        out += [area.score, area.capability, area.environment]
    out += [r.need for r in a.recommendations]
    out += list(a.question_scores.values())
    return out


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_scores_lie_in_0_100(case: Case, data: st.DataObject) -> None:
    a = assess(case.q, data.draw(answer_sets(case.q)))
    assert all(0.0 <= s <= 100.0 for s in every_score(a) if s is not None)
    for area in a.areas.values():
        assert 0 <= area.coverage <= 1 and 0 <= area.environment_coverage <= 1
        assert 0 <= area.capability_coverage <= 1
        assert area.external_gap_share is None or 0 <= area.external_gap_share <= 1
        assert (area.score is None) == (area.status != "scored")
        assert (area.gap_split is None) == (area.external_gap_share is None)
    assert all(0.0 <= r.coverage <= 1.0 for r in a.recommendations)


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_raising_points_never_lowers_area_scores_nor_raises_needs(case: Case,
                                                                  data: st.DataObject) -> None:
    q = case.q
    answers = data.draw(answer_sets(q))
    qq = data.draw(st.sampled_from(q.scored_questions))
    low = data.draw(answer_for(qq, "scored"), label="low")
    if qq.type == "multi":
        extra = data.draw(st.lists(st.sampled_from(scored_options(qq)), unique=True))
        high: Any = sorted(set(low) | set(extra))
        if data.draw(st.booleans(), label="from none"):
            low = worst_answer(qq)
    else:
        high = data.draw(answer_for(qq, "scored"), label="high")
        assume(points_of(qq, high) >= points_of(qq, low))
    before = assess(q, {**answers, qq.id: low})
    after = assess(q, {**answers, qq.id: high})
    # a question that routes others may change what applies; the property is about the rest
    assume(before.not_applicable == after.not_applicable)
    b, a = before.areas[qq.area or ""], after.areas[qq.area or ""]
    for name in ("score", "capability", "environment"):
        x, y = getattr(b, name), getattr(a, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert y >= x, name
    for rec_id in qq.recommendations:
        nb, na = before.recommendation(rec_id).need, after.recommendation(rec_id).need
        assert (nb is None) == (na is None)
        if nb is not None:
            assert na <= nb


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_all_best_gives_100_no_priority_above_low_and_no_next_step(case: Case,
                                                                   data: st.DataObject) -> None:
    q = case.q
    answers = {**data.draw(answer_sets(q)), **all_best(q, case.unscored_best)}
    a = assess(q, answers)
    for area in a.areas.values():
        if area.status != "not_applicable":
            assert (area.score, area.status) == (100.0, "scored")
            assert area.capability in (100.0, None) and area.environment in (100.0, None)
            assert area.gap_split is None
    assert a.overall_score in (100.0, None)
    applicable = [x for x in a.areas.values() if x.status != "not_applicable"]
    assert (a.overall_score is None) == (len(applicable) < q.method.overall_min_areas)
    assert {r.priority for r in a.recommendations} <= {"low", "not_applicable"}
    shown = {r.id: [s.id for s in r.next_steps] for r in a.recommendations if r.next_steps}
    assert shown == {}, f"next steps shown to a firm that does everything: {shown}"


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_all_worst_gives_0(case: Case) -> None:
    q = case.q
    a = assess(q, {**case.unscored_best, **{x.id: worst_answer(x) for x in q.scored_questions}})
    for area in a.areas.values():
        if area.status != "not_applicable":
            assert area.score == 0.0
    assert {r.priority for r in a.recommendations} <= {"high", "not_applicable"}


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_dont_know_is_the_same_as_no_answer(case: Case, data: st.DataObject) -> None:
    q = case.q
    with_skips = [x for x in q.questions.values() if skip_options(x)]
    answers = data.draw(answer_sets(q))
    qq = data.draw(st.sampled_from(with_skips))
    skip = data.draw(st.sampled_from(skip_options(qq)))
    answered = assess(q, {**answers, qq.id: [skip] if qq.type == "multi" else skip})
    left_out = assess(q, {k: v for k, v in answers.items() if k != qq.id})
    # the same, except that a don't-know to a question that does not apply is reported ignored
    assert answered == replace(left_out, ignored=answered.ignored)
    assert set(answered.ignored) - set(left_out.ignored) <= {qq.id}


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_answers_to_inapplicable_questions_change_nothing(case: Case,
                                                          data: st.DataObject) -> None:
    q = case.q
    answers = data.draw(answer_sets(q))
    routed = route(q, answers)
    base = assess(q, routed.answers)
    assert base.ignored == ()
    extra = {qid: data.draw(answer_for(q.question(qid)), label=qid)
             for qid in routed.not_applicable if q.question(qid).type != "text"}
    with_extra = assess(q, {**routed.answers, **extra})
    assert with_extra == replace(base, ignored=tuple(extra))


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_too_few_answers_give_null_not_zero(case: Case, data: st.DataObject) -> None:
    q = case.q
    answers = data.draw(answer_sets(q, sparse=True))
    a = assess(q, answers)
    m = q.method
    applicable = set(q.questions) - set(a.not_applicable)

    def enough(group: list[Any]) -> bool:
        done = [x for x in group if a.question_scores[x.id] is not None]
        if not group or not done:
            return False
        share = sum(x.weight for x in done) / sum(x.weight for x in group)
        return len(done) >= min(m.min_answered, len(group)) and share >= m.min_weight_share - 1e-9

    for area_id in AREAS:
        group = [x for x in q.scored_questions if x.area == area_id and x.id in applicable]
        area = a.areas[area_id]
        assert (area.status == "not_applicable") == (not group)
        assert (area.score is not None) == enough(group)
        assert (area.capability is not None) == enough(
            [x for x in group if x.root_cause == "internal"])
        assert (area.environment is not None) == enough(
            [x for x in group if x.root_cause == "external"])
    for r in a.recommendations:
        linked = [x for x in q.scored_questions if r.id in x.recommendations
                  and x.id in applicable]
        answered = sum(x.weight for x in linked if a.question_scores[x.id] is not None)
        known = bool(linked) and answered / sum(x.weight for x in linked) >= (
            m.need_min_weight_share - 1e-9) and answered > 0
        assert (r.need is not None) == known
        assert r.priority == ("not_applicable" if not linked else
                              r.priority if known else "unknown")


@pytest.mark.parametrize("case", [c for c in CASES if c.refusal], ids=[
    c.name for c in CASES if c.refusal])
@FAST
@given(data=st.data())
def test_refused_never_scores_higher_on_financing_than_granted(case: Case,
                                                               data: st.DataObject) -> None:
    assert case.refusal is not None
    qid, refused, granted = case.refusal
    answers = {**data.draw(answer_sets(case.q)), **case.same_otherwise}
    r = assess(case.q, {**answers, qid: refused}).areas["financing"]
    g = assess(case.q, {**answers, qid: granted}).areas["financing"]
    for name in ("score", "capability", "environment"):
        x, y = getattr(r, name), getattr(g, name)
        if x is not None and y is not None:
            assert x <= y, name


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_a_firm_needing_no_finance_is_never_constrained(case: Case, data: st.DataObject) -> None:
    from survey.core.conditions import holds
    from survey.core.routing import AnswerFacts

    q = case.q
    a_answers = data.draw(answer_sets(q))
    routed = route(q, a_answers)
    facts = AnswerFacts(routed.answers, q.questions)
    no_need = any(holds(rule.when, facts) for rule in q.credit_rules if rule.cls == "no_need")
    cls = assess(q, a_answers).indicators["credit_constraint"]
    if no_need:
        assert cls not in CONSTRAINED


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_no_export_activity_or_plans(case: Case, data: st.DataObject) -> None:
    qid, value = case.no_export
    a = assess(case.q, {**data.draw(answer_sets(case.q)), qid: value})
    assert a.areas["overseas_markets"].status == "not_applicable"
    assert a.recommendation("cross_border_ecommerce").priority == "not_applicable"
    fin, dig = a.areas["financing"].score, a.areas["digital_technology"].score
    if fin is not None and dig is not None:
        assert a.overall_score == pytest.approx(half_up((fin + dig) / 2, 1))
    else:
        assert a.overall_score is None


def _fix(case: Case, qid: str) -> Any:
    qq = case.q.question(qid)
    if qid in case.unscored_best:
        return case.unscored_best[qid]
    if qq.scored:
        return best_answer(qq)
    raise AssertionError(f"a next step reads {qid!r}, which has no 'does it' answer: add one "
                         "to the case's unscored_best, or the step rests on no evidence")


@pytest.mark.parametrize("case", CASES, ids=ids)
@FAST
@given(data=st.data())
def test_fixing_what_a_step_is_shown_because_of_removes_it(case: Case,
                                                           data: st.DataObject) -> None:
    """No step advises what the firm says it already does: once every answer a step was
    shown because of says the firm does it, the step is gone."""
    q = case.q
    answers = data.draw(answer_sets(q))
    shown = [(r.id, s) for r in assess(q, answers).recommendations for s in r.next_steps]
    assume(shown)
    rec_id, step = data.draw(st.sampled_from(shown))
    limit = len(questions_of(next(
        s for s in q.recommendation(rec_id).steps if s.id == step.id).when or _never()))
    fixed = dict(answers)
    for _ in range(limit + 1):
        current = {s.id: s for s in assess(q, fixed).recommendation(rec_id).next_steps}
        if step.id not in current:
            return
        because = current[step.id].because
        assert because, f"{step.id} is shown on no answer at all"
        fixed.update({qid: _fix(case, qid) for qid in because})
    raise AssertionError(f"{step.id} is still shown after fixing {sorted(fixed)}")


def _never() -> Any:
    from survey.core.conditions import Answered

    return Answered("_", True)
