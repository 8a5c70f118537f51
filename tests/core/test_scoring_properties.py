"""Properties of the scoring method (DESIGN.md §2) on the real questionnaire, with hypothesis.

Answers are generated from the questionnaire itself, so the properties keep holding (or fail
loudly) whenever the data file changes: new questions, points, weights or thresholds.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from survey.core.questionnaire import load_questionnaire
from survey.core.questionnaire.schema import AREAS, Question
from survey.core.scoring import ScoredAssessment, assess
from tests.helpers import best_answer, worst_answer

Q = load_questionnaire("2026.1")
SCORED = Q.scored_questions
FAST = settings(max_examples=120, deadline=None)


def scored_options(q: Question) -> list[str]:
    return [o.value for o in q.options if not o.is_skip and not o.exclusive]


def skip_options(q: Question) -> list[str]:
    return [o.value for o in q.options if o.is_skip]


def points_of(q: Question, answer: Any) -> float:
    values = answer if isinstance(answer, list) else [answer]
    return sum((q.option(v).points or 0.0) for v in values)  # type: ignore[union-attr]


def answer_for(q: Question, kind: str = "any") -> st.SearchStrategy[Any]:
    """An answer to a scored question: scored (kind="scored"), or also skips and exclusives."""
    choices = scored_options(q)
    if q.type == "multi":
        scored: st.SearchStrategy[Any] = st.lists(st.sampled_from(choices), min_size=1,
                                                  unique=True)
        others = [[o.value] for o in q.options if o.is_skip or o.exclusive]
    else:
        scored = st.sampled_from(choices)
        others = [v for v in skip_options(q)]
    if kind == "scored" or not others:
        return scored
    return st.one_of(scored, st.sampled_from(others))


ANSWERS = {q.id: answer_for(q) for q in SCORED}


def answer_sets(*, sparse: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to the scored questions, any of them possibly left out (most, when sparse)."""
    if not sparse:
        return st.fixed_dictionaries({}, optional=ANSWERS)
    return st.sets(st.sampled_from(sorted(ANSWERS)), max_size=len(ANSWERS) // 2).flatmap(
        lambda ids: st.fixed_dictionaries({qid: ANSWERS[qid] for qid in sorted(ids)}))


def scores_of(a: ScoredAssessment) -> list[float | None]:
    out: list[float | None] = [a.overall_score]
    for area in a.areas.values():
        out += [area.score, area.environment]
    out += [r.need for r in a.recommendations]
    return out


@FAST
@given(answer_sets())
def test_scores_lie_in_0_100(answers: dict[str, Any]) -> None:
    a = assess(Q, answers)
    assert all(0.0 <= s <= 100.0 for s in scores_of(a) if s is not None)
    for area in a.areas.values():
        assert 0.0 <= area.coverage <= 1.0 and 0.0 <= area.environment_coverage <= 1.0
    assert all(0.0 <= r.coverage <= 1.0 for r in a.recommendations)
    assert all(s is None or 0.0 <= s <= 100.0 for s in a.question_scores.values())


@FAST
@given(data=st.data())
def test_raising_points_never_lowers_area_scores_nor_raises_needs(data: st.DataObject) -> None:
    answers = data.draw(answer_sets())
    q = data.draw(st.sampled_from(SCORED))
    low = data.draw(answer_for(q, "scored"), label="low")
    if q.type == "multi":
        extra = data.draw(st.lists(st.sampled_from(scored_options(q)), unique=True), label="add")
        high: Any = sorted(set(low) | set(extra))
        if data.draw(st.booleans(), label="from none"):
            low = worst_answer(q)                    # "none of these" → anything is a raise
    else:
        high = data.draw(answer_for(q, "scored"), label="high")
        assume(points_of(q, high) >= points_of(q, low))
    before = assess(Q, {**answers, q.id: low})
    after = assess(Q, {**answers, q.id: high})
    b_area, a_area = before.areas[q.area or ""], after.areas[q.area or ""]
    # the same questions are answered, so null stays null and a number can only go up
    assert (b_area.score is None) == (a_area.score is None)
    assert (b_area.environment is None) == (a_area.environment is None)
    if b_area.score is not None:
        assert a_area.score >= b_area.score  # type: ignore[operator]
    if b_area.environment is not None:
        assert a_area.environment >= b_area.environment  # type: ignore[operator]
    for rec_id in q.recommendations:
        nb, na = before.recommendation(rec_id).need, after.recommendation(rec_id).need
        assert (nb is None) == (na is None)
        if nb is not None:
            assert na <= nb  # type: ignore[operator]


def test_all_best_gives_100_everywhere_and_no_priority_above_low() -> None:
    a = assess(Q, {q.id: best_answer(q) for q in SCORED})
    assert a.overall_score == 100.0 and a.overall_level == Q.levels[-1].id
    for area in a.areas.values():
        assert (area.score, area.environment, area.coverage) == (100.0, 100.0, 1.0)
    assert {(r.need, r.priority) for r in a.recommendations} == {(0.0, "low")}


def test_all_worst_gives_0_and_five_high_priorities() -> None:
    a = assess(Q, {q.id: worst_answer(q) for q in SCORED})
    assert a.overall_score == 0.0 and a.overall_level == Q.levels[0].id
    for area in a.areas.values():
        assert (area.score, area.environment) == (0.0, 0.0)
    assert [(r.need, r.priority) for r in a.recommendations] == [(100.0, "high")] * 5


@FAST
@given(data=st.data())
def test_dont_know_or_not_applicable_is_the_same_as_no_answer(data: st.DataObject) -> None:
    with_skips = [q for q in SCORED if skip_options(q)]
    answers = data.draw(answer_sets())
    q = data.draw(st.sampled_from(with_skips))
    skip = data.draw(st.sampled_from(skip_options(q)))
    answered = assess(Q, {**answers, q.id: [skip] if q.type == "multi" else skip})
    left_out = assess(Q, {k: v for k, v in answers.items() if k != q.id})
    assert answered == left_out


@FAST
@given(answer_sets(sparse=True))
def test_too_few_answers_give_null_not_zero(answers: dict[str, Any]) -> None:
    a = assess(Q, answers)
    m = Q.method
    for area_id in AREAS:
        for root, score in (("internal", a.areas[area_id].score),
                            ("external", a.areas[area_id].environment)):
            group = [q for q in SCORED if q.area == area_id and q.root_cause == root]
            scored = [q for q in group if a.question_scores[q.id] is not None]
            share = sum(q.weight for q in scored) / sum(q.weight for q in group)
            enough = (len(scored) >= min(m.min_answered, len(group))
                      and share >= m.min_weight_share - 1e-9)
            assert (score is not None) == enough
    for r in a.recommendations:
        linked = [q for q in SCORED if r.id in q.recommendations]
        answered = sum(q.weight for q in linked if a.question_scores[q.id] is not None)
        known = answered / sum(q.weight for q in linked) >= m.need_min_weight_share - 1e-9
        assert (r.need is not None) == known
        assert (r.priority == "unknown") == (not known)
    areas = [area.score for area in a.areas.values()]
    assert (a.overall_score is None) == (None in areas)


def test_one_answer_short_is_null_even_when_every_answer_is_zero() -> None:
    for area_id in AREAS:
        group = [q for q in SCORED if q.area == area_id and q.root_cause == "internal"]
        need = min(Q.method.min_answered, len(group))
        heavy_first = sorted(group, key=lambda q: -q.weight)
        answers = {q.id: worst_answer(q) for q in heavy_first[: need - 1]}
        assert assess(Q, answers).areas[area_id].score is None
        answers = {q.id: worst_answer(q) for q in group}
        assert assess(Q, answers).areas[area_id].score == 0.0


@FAST
@given(answer_sets())
def test_order_ranks_and_ties(answers: dict[str, Any]) -> None:
    recs = assess(Q, answers).recommendations
    assert sorted(r.id for r in recs) == sorted(r.id for r in Q.recommendations)
    needs = [r.need for r in recs]
    known = [n for n in needs if n is not None]
    assert needs == known + [None] * (len(needs) - len(known))      # unknown last
    assert known == sorted(known, reverse=True)                      # non-increasing
    for r in recs:
        assert r.priority == ("unknown" if r.need is None else
                              "high" if r.need >= Q.method.priority_high else
                              "medium" if r.need >= Q.method.priority_medium else "low")
        if r.need is None:
            assert (r.rank, r.tied) == (None, False)
        else:
            assert r.rank == 1 + sum(1 for n in known if n > r.need)
            assert r.tied == (known.count(r.need) > 1)
        assert len(r.drivers) <= Q.method.drivers_max
        assert len(r.actionable_drivers) <= Q.method.drivers_max
        gaps = []
        for qid in r.drivers:
            q = Q.question(qid)
            score = assess_score(answers, qid)
            assert r.id in q.recommendations and score is not None and score < 100
            gaps.append(100 - score)
        assert gaps == sorted(gaps, reverse=True)
        for qid in r.actionable_drivers:
            assert Q.question(qid).root_cause == "internal"
            assert r.id in Q.question(qid).recommendations


def assess_score(answers: Mapping[str, Any], qid: str) -> float | None:
    from survey.core.scoring import question_score

    return question_score(Q.question(qid), answers.get(qid))


@FAST
@given(answer_sets(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_order(answers: dict[str, Any],
                                                rnd: random.Random) -> None:
    first = assess(Q, answers)
    assert assess(Q, answers) == first
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled = {k: (rnd.sample(v, len(v)) if isinstance(v, list) else v) for k, v in items}
    assert assess(Q, shuffled) == first
