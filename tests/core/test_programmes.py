"""Matching firms to programmes: never a programme the firm's answers exclude, reasons that
name what decided, closed and inactive programmes never shown, best matches first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.conditions import holds, parse_condition, questions_of
from survey.core.programmes import ProgrammeRule, match, reasons
from survey.core.questionnaire import load_questionnaire
from survey.core.questionnaire.schema import RECOMMENDATIONS
from survey.core.routing import AnswerFacts
from tests.core.strategies import answer_sets
from tests.helpers import best_answers, worst_answers

Q = load_questionnaire()
TODAY = dt.date(2026, 12, 1)
CHOICE = [qq for qq in Q.questions.values() if qq.type in ("single", "multi")]


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    question = st.sampled_from(CHOICE)
    answer_leaf = question.flatmap(lambda qq: st.builds(
        lambda op, values: {"question": qq.id, op: values},
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from([o.value for o in qq.options]), min_size=1, max_size=3,
                 unique=True)))
    score_leaf = st.builds(lambda qq, op, v: {"score_of": qq.id, op: v},
                           st.sampled_from([qq for qq in CHOICE if qq.area]),
                           st.sampled_from(["below", "at_least"]), st.integers(0, 100))
    profile_leaf = st.builds(lambda key, v: {"profile": key, "in": [v]},
                             st.just("size_class"), st.sampled_from(["micro", "small",
                                                                     "medium", "large"]))
    return st.one_of(answer_leaf, score_leaf, profile_leaf)


conditions = st.recursive(_leaf(), lambda inner: st.one_of(
    st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda x: {"not": x}, inner)), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets(Q), raw=st.lists(conditions, min_size=1, max_size=6),
       active=st.lists(st.booleans(), min_size=6, max_size=6))
def test_a_programme_is_never_shown_to_a_firm_its_conditions_exclude(
        answers: dict[str, Any], raw: list[dict[str, Any]], active: list[bool]) -> None:
    facts = AnswerFacts(answers, Q.questions)
    rules = [ProgrammeRule(i, (RECOMMENDATIONS[i % 5],), parse_condition(c), active[i])
             for i, c in enumerate(raw)]
    shown = match(rules, facts, TODAY, RECOMMENDATIONS)
    by_id = {r.id: r for r in rules}
    for m in shown:
        rule = by_id[m.programme_id]
        assert rule.active and holds(rule.condition, facts)
        assert rule.condition is not None
        assert set(m.questions) <= set(questions_of(rule.condition))
    expected = {r.id for r in rules if r.active and holds(r.condition, facts)}
    assert {m.programme_id for m in shown} == expected


def test_reasons_name_what_decided() -> None:
    answers = worst_answers(export_status="exports_direct", ovs_logistics_obstacle="major")
    facts = AnswerFacts(answers, Q.questions)
    condition = parse_condition({"all": [
        {"question": "ovs_channels_12m", "in": ["marketplace", "own_site", "b2b_platform",
                                                 "social_commerce"]},
        {"question": "ovs_logistics_obstacle", "in": ["major", "very_severe"]}]})
    held, questions, _profile = reasons(condition, facts)
    if answers.get("ovs_channels_12m") and "offline_only" not in answers["ovs_channels_12m"]:
        assert held and questions == ("ovs_channels_12m", "ovs_logistics_obstacle")
    either = parse_condition({"any": [{"question": "ovs_logistics_obstacle", "in": ["major"]},
                                      {"question": "export_status", "in": ["considering"]}]})
    assert reasons(either, facts)[:2] == (True, ("ovs_logistics_obstacle",))


def test_profile_reasons_outside_not_only() -> None:
    facts = AnswerFacts(best_answers(), Q.questions)
    size = facts.profile("size_class")
    assert size is not None
    held, _q, profile = reasons(parse_condition({"profile": "size_class", "in": [size]}), facts)
    assert held and profile == (("size_class", size),)
    other = "large" if size != "large" else "micro"
    held, _q, profile = reasons(parse_condition(
        {"not": {"profile": "size_class", "in": [other]}}), facts)
    assert held and profile == ()


def test_closed_inactive_and_unplaced_programmes_are_not_shown() -> None:
    facts = AnswerFacts(best_answers(), Q.questions)
    rules = [
        ProgrammeRule(1, ("financial_support",), None),
        ProgrammeRule(2, ("financial_support",), None, active=False),
        ProgrammeRule(3, ("financial_support",), None, valid_to=TODAY - dt.timedelta(days=1)),
        ProgrammeRule(4, ("financial_support",), None, valid_from=TODAY + dt.timedelta(days=1)),
        ProgrammeRule(5, ("ip_protection",), None),
    ]
    assert [m.programme_id for m in match(rules, facts, TODAY, ["financial_support"])] == [1]


def test_best_matches_first() -> None:
    answers = worst_answers(export_status="exports_direct", ovs_logistics_obstacle="major")
    facts = AnswerFacts(answers, Q.questions)
    broad = parse_condition({"question": "ovs_logistics_obstacle", "in": ["major"]})
    narrow = parse_condition({"all": [
        {"question": "ovs_logistics_obstacle", "in": ["major"]},
        {"question": "export_status", "in": ["exports_direct"]}]})
    rules = [ProgrammeRule(1, ("cross_border_ecommerce",), broad),
             ProgrammeRule(2, ("cross_border_ecommerce",), narrow),
             ProgrammeRule(3, ("financial_support",), None)]
    order = ["financial_support", "cross_border_ecommerce"]
    found = match(rules, facts, TODAY, order)
    assert [m.programme_id for m in found] == [3, 2, 1]
    assert found[1].recommendation == "cross_border_ecommerce"
