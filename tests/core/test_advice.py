"""What the report leads with (`survey.core.advice`): hand-made results for each rule, and
hypothesis properties on the real 2027.1 questionnaire."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.advice import ACTIONS_MAX, EVEN_SPREAD, FOCUS_MAX, first_actions, focus, plan
from survey.core.questionnaire import load_questionnaire
from survey.core.results import AreaResult, NextStepResult, RecommendationResult
from survey.core.scoring import ScoredAssessment, assess
from tests.core.strategies import answer_sets

Q = load_questionnaire("2027.1")


def rec(rid: str, priority: str, rank: int | None, steps: tuple[str, ...] = ()
        ) -> RecommendationResult:
    return RecommendationResult(
        id=rid, need=None, priority=priority, coverage=1.0, rank=rank, tied=False, drivers=(),
        actionable_drivers=(), next_steps=tuple(NextStepResult(s, ("q",)) for s in steps))


def area(aid: str, score: float | None, split: str | None = None,
         status: str = "scored") -> AreaResult:
    return AreaResult(id=aid, score=score, level=None, coverage=1.0, environment=None,
                      environment_coverage=0.0, answered=1, environment_answered=0,
                      gap_split=split, status=status)


def scored(areas: list[AreaResult], recs: list[RecommendationResult]) -> ScoredAssessment:
    return ScoredAssessment("2027.1", "2027.1", None, None, {a.id: a for a in areas},
                            tuple(recs), {})


def test_focus_opens_the_pressing_ones_at_most_three() -> None:
    recs = (rec("a", "high", 1, ("a1",)), rec("b", "high", 2), rec("c", "medium", 3, ("c1",)),
            rec("d", "high", 4, ("d1",)), rec("e", "low", 5, ("e1",)))
    assert focus(recs) == ("a", "b", "c")


def test_focus_tops_up_with_recommendations_that_have_steps() -> None:
    """A firm doing well still gets two recommendations with something to do, never one
    without a step, and never an unranked one (not applicable or not assessed)."""
    recs = (rec("a", "low", 1), rec("b", "low", 2, ("b1",)), rec("c", "unknown", None, ("c1",)),
            rec("d", "low", 3, ("d1",)), rec("e", "not_applicable", None))
    assert focus(recs) == ("b", "d")
    assert focus((rec("a", "medium", 1),)) == ("a",)


def test_first_actions_take_the_first_step_of_each_recommendation_first() -> None:
    recs = (rec("a", "high", 1, ("a1", "a2", "a3")), rec("b", "high", 2, ("b1", "b2")),
            rec("c", "medium", 3))
    actions = first_actions(recs, ("a", "b", "c"))
    assert [x.step for x in actions] == ["a1", "b1", "a2"]
    assert actions[0].because == ("q",)
    assert first_actions(recs, ()) == ()


def test_high_priority_recommendations_speak_before_medium_ones() -> None:
    """The furniture maker refused a loan: guarantees and interest subsidies (high) before a
    trademark (medium), though IP protection is open too."""
    recs = (rec("fin", "high", 1, ("f1", "f2", "f3")), rec("ip", "medium", 2, ("i1",)),
            rec("dt", "high", 3, ("d1",)))
    assert [x.step for x in first_actions(recs, ("fin", "ip", "dt"))] == ["f1", "d1", "f2"]
    calm = tuple(replace(r, priority="medium") for r in recs)
    assert [x.step for x in first_actions(calm, ("fin", "ip", "dt"))] == ["f1", "i1", "d1"]


def test_summary_names_the_weakest_and_strongest_area_and_where_the_gap_lies() -> None:
    uneven = plan(scored([area("financing", 20.0, "mostly_external"),
                          area("digital_technology", 70.0, "mostly_internal"),
                          area("overseas_markets", None, status="not_applicable")], [])).summary
    assert (uneven.kind, uneven.weakest, uneven.strongest, uneven.weakest_split) == (
        "uneven", "financing", "digital_technology", "mostly_external")
    even = plan(scored([area("financing", 50.0), area("digital_technology",
                                                      50.0 + EVEN_SPREAD - 0.1)], [])).summary
    assert (even.kind, even.weakest, even.strongest) == ("even", "financing", None)
    one = plan(scored([area("financing", None, status="insufficient"),
                       area("digital_technology", 40.0, "mixed")], [])).summary
    assert (one.kind, one.weakest, one.weakest_split) == ("one_area", "digital_technology",
                                                          "mixed")
    none = plan(scored([area("financing", None, status="insufficient")], [])).summary
    assert none.kind == "not_assessed" and none.weakest is None


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(answers=answer_sets(Q))
def test_the_plan_always_holds_its_promises(answers: dict[str, object]) -> None:
    """On any answers: at most three recommendations open and three actions; every action is a
    step the firm's own answers called for, of an open recommendation; no action twice; the
    open ones are ranked, in rank order; the weakest area named has the lowest score."""
    a = assess(Q, answers)
    p = plan(a)
    ranks = {r.id: r.rank for r in a.recommendations}
    assert len(p.focus) <= FOCUS_MAX and len(p.actions) <= ACTIONS_MAX
    assert set(p.focus).isdisjoint(p.others)
    assert sorted(p.focus + p.others) == sorted(ranks)
    assert all(ranks[rid] is not None for rid in p.focus)
    assert [ranks[rid] for rid in p.focus] == sorted(ranks[rid] or 0 for rid in p.focus)
    triggered = {(r.id, s.id): s.because for r in a.recommendations for s in r.next_steps}
    for action in p.actions:
        assert action.recommendation in p.focus
        assert triggered[(action.recommendation, action.step)] == action.because
    assert len({x.step for x in p.actions}) == len(p.actions)
    # Fewer than three actions only when the open recommendations have no more steps.
    available = sum(len(a.recommendation(rid).next_steps) for rid in p.focus)
    assert len(p.actions) == min(ACTIONS_MAX, available)
    scores = [r.score for r in a.areas.values() if r.status == "scored" and r.score is not None]
    if p.summary.weakest is not None:
        assert a.areas[p.summary.weakest].score == min(scores)


@given(st.sampled_from(["high", "medium"]))
def test_a_pressing_recommendation_is_never_left_closed_for_a_calmer_one(priority: str
                                                                        ) -> None:
    recs = (rec("a", priority, 1), rec("b", "low", 2, ("b1",)), rec("c", "low", 3, ("c1",)))
    chosen = focus(recs)
    assert chosen[0] == "a"
    assert focus(tuple(replace(r, priority="low") for r in recs))[0] == "b"
