"""Hand-worked examples of the scoring method (DESIGN.md §2) on the small fixture questionnaire.

Every expected number is worked out in the comments from the fixture's points and weights
(tests/core/questionnaire/builder.py lists them), so a change to the method that moves any number
shows up here as a concrete, explainable difference.
"""

from __future__ import annotations

from typing import Any

import pytest

from survey.core.scoring import (
    assess,
    priority_for,
    question_score,
)
from tests.core.questionnaire.builder import (
    EXAMPLE_A,
    FIXTURE,
    build,
    fixture_dict,
    question_dict,
    with_answers,
)

# --- question scores -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "answer", "expected"),
    [
        ("f_i1", "0", 0.0),
        ("f_i1", "2", 50.0),               # 2 / 4 (the best option is worth 4, not 3)
        ("f_i1", "4", 100.0),
        ("f_e3", "1", 50.0),               # 1 / 2
        ("f_i2", ["c"], 100 / 3),          # 1 / full credit 3
        ("f_i2", ["a"], 200 / 3),          # 2 / 3
        ("f_i2", ["a", "c"], 100.0),       # 3 / 3
        ("f_i2", ["a", "b", "c"], 100.0),  # min(5, 3) / 3: full credit caps the sum
        ("f_i2", ["none"], 0.0),           # "none of these" is a real answer worth 0
        ("d_i4", ["x", "y"], 100.0),       # 2 / full credit 2
        ("f_i1", "dk", None),              # don't know: answered, but no score
        ("f_i2", ["dk"], None),
        ("f_i3", "na", None),              # not applicable: likewise
        ("f_i1", None, None),              # unanswered
    ],
)
def test_question_score(qid: str, answer: Any, expected: float | None) -> None:
    score = question_score(FIXTURE.question(qid), answer)
    if expected is None:
        assert score is None
    else:
        assert score == pytest.approx(expected)


def test_unscored_question_has_no_score() -> None:
    assert question_score(FIXTURE.question("p_export"), "yes") is None


# --- areas: readiness over internal questions, environment over external ones ---------------


def test_example_a_areas() -> None:
    a = assess(FIXTURE, EXAMPLE_A)
    fin, dig, ovs = (a.areas[k] for k in ("financing", "digital_technology", "overseas_markets"))
    # financing score (internal, weights 2/1/1): (2×50 + 1×100 + 1×50) / 4 = 250/4 = 62.5
    assert (fin.score, fin.level, fin.coverage, fin.answered) == (62.5, "established", 1.0, 3)
    # financing environment (external): f_e2 is "don't know", so only 2 of 3 answered → null,
    # though 3 of its 4 weight units (0.75) were answered.
    assert (fin.environment, fin.environment_coverage, fin.environment_answered) == (
        None, 0.75, 2)
    # digital score (weights 2/1/1/1): (2×100 + 25 + 0 + 50) / 5 = 275/5 = 55.0
    assert (dig.score, dig.level, dig.coverage) == (55.0, "developing", 1.0)
    # digital environment: (50 + 100) / 2 = 75.0 (the area has only two external questions,
    # so two answered are enough: min(min_answered, questions in the group))
    assert (dig.environment, dig.environment_coverage) == (75.0, 1.0)
    # overseas score: (0 + 50 + 75) / 3 = 41.666… → 41.7; environment (25 + 100 + 50)/3 = 58.3
    assert (ovs.score, ovs.level, ovs.environment) == (41.7, "developing", 58.3)


def test_example_a_overall() -> None:
    # mean of the three (rounded) area scores: (62.5 + 55.0 + 41.7) / 3 = 53.066… → 53.1
    a = assess(FIXTURE, EXAMPLE_A)
    assert (a.overall_score, a.overall_level) == (53.1, "developing")
    assert (a.questionnaire_version, a.method_version) == ("test.1", "2026.1")


def test_external_answers_do_not_move_the_score_and_internal_do_not_move_environment() -> None:
    base = assess(FIXTURE, EXAMPLE_A).areas["digital_technology"]
    ext = assess(FIXTURE, with_answers(EXAMPLE_A, d_e1="0", d_e2="0")).areas["digital_technology"]
    # the score is unchanged; the environment falls from 75 to (0 + 0)/2 = 0
    assert (ext.score, ext.environment) == (base.score, 0.0)
    internal = assess(FIXTURE, with_answers(EXAMPLE_A, d_i1="0")).areas["digital_technology"]
    # score: (2×0 + 25 + 0 + 50) / 5 = 15.0 (beginner); environment unchanged
    assert (internal.score, internal.level, internal.environment) == (15.0, "beginner", 75.0)


def test_fewer_than_min_answered_is_null_even_with_most_of_the_weight() -> None:
    # financing internal: f_i1 (weight 2) and f_i2 (weight 1) answered = 3/4 of the weight, but
    # only 2 of the 3 questions → "not enough answers", never 0.
    a = assess(FIXTURE, with_answers(EXAMPLE_A, f_i3=None))
    fin = a.areas["financing"]
    assert (fin.score, fin.level, fin.coverage, fin.answered) == (None, None, 0.75, 2)
    # and a don't-know counts as unanswered, exactly like leaving the question out
    assert assess(FIXTURE, with_answers(EXAMPLE_A, f_i3="na")).areas["financing"] == fin


def test_less_than_half_the_weight_is_null_even_with_enough_questions() -> None:
    raw = fixture_dict()
    question_dict(raw, "d_i1")["weight"] = 4
    q = build(raw)
    # digital internal weights 4/1/1/1: d_i2, d_i3, d_i4 answered = 3 questions but 3/7 < 0.5
    a = assess(q, with_answers(EXAMPLE_A, d_i1=None))
    dig = a.areas["digital_technology"]
    assert (dig.score, dig.coverage, dig.answered) == (None, 0.429, 3)


def test_exactly_half_the_weight_is_enough() -> None:
    # d_i2, d_i3, d_i4 answered = 3 of 5 weight units (0.6) → scored: (25 + 0 + 50)/3 = 25.0
    a = assess(FIXTURE, with_answers(EXAMPLE_A, d_i1=None))
    assert a.areas["digital_technology"].score == 25.0
    # weights 0.6/0.1/0.4/0.1: answered 0.1 + 0.4 + 0.1 is exactly half of 1.2, although in
    # floating point 0.6000000000000001 / 1.2000000000000002 = 0.49999999999999994.
    raw = fixture_dict()
    for qid, w in (("d_i1", 0.6), ("d_i2", 0.1), ("d_i3", 0.4), ("d_i4", 0.1)):
        question_dict(raw, qid)["weight"] = w
    dig = assess(build(raw), with_answers(EXAMPLE_A, d_i1=None)).areas["digital_technology"]
    # (0.1×25 + 0.4×0 + 0.1×50) / 0.6 = 7.5 / 0.6 = 12.5
    assert (dig.coverage, dig.score) == (0.5, 12.5)


def test_small_group_needs_all_its_questions() -> None:
    # digital has two external questions: one answered is fewer than min(3, 2) = 2 → null
    a = assess(FIXTURE, with_answers(EXAMPLE_A, d_e2=None))
    dig = a.areas["digital_technology"]
    assert (dig.environment, dig.environment_coverage, dig.environment_answered) == (None, 0.5, 1)


def test_overall_is_null_unless_all_three_areas_are_scored() -> None:
    a = assess(FIXTURE, with_answers(EXAMPLE_A, o_i1=None))
    assert a.areas["overseas_markets"].score is None
    assert a.areas["financing"].score == 62.5
    assert (a.overall_score, a.overall_level) == (None, None)


def test_nothing_answered() -> None:
    a = assess(FIXTURE, {"p_export": "no"})
    assert a.overall_score is None
    for area in a.areas.values():
        assert (area.score, area.environment, area.coverage, area.answered) == (None, None, 0, 0)
    assert [r.priority for r in a.recommendations] == ["unknown"] * 5
    # all unknown: in the report's order, without ranks
    assert [r.id for r in a.recommendations] == [r.id for r in FIXTURE.recommendations]
    assert all(r.rank is None and not r.tied and r.need is None for r in a.recommendations)


# --- levels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "beginner"), (19.9, "beginner"), (20, "emerging"), (39.9, "emerging"),
     (40, "developing"), (59.9, "developing"), (60, "established"), (79.9, "established"),
     (80, "leading"), (100, "leading"), (None, None)],
)
def test_level_bands_are_half_open(score: float | None, level: str | None) -> None:
    found = FIXTURE.level_for(score)
    assert (found.id if found else None) == level


def test_area_score_on_a_band_boundary() -> None:
    # digital internal: only d_i2 at 4 → (2×0 + 100 + 0 + 0)/5 = 20.0 → emerging, not beginner
    answers = with_answers(EXAMPLE_A, d_i1="0", d_i2="4", d_i3="0", d_i4=["none"])
    assert (assess(FIXTURE, answers).areas["digital_technology"].level) == "emerging"
    # d_i1, d_i2, d_i3 at 4, d_i4 none → (200 + 100 + 100 + 0)/5 = 80.0 → leading
    answers = with_answers(EXAMPLE_A, d_i1="4", d_i2="4", d_i3="4", d_i4=["none"])
    dig = assess(FIXTURE, answers).areas["digital_technology"]
    assert (dig.score, dig.level) == (80.0, "leading")


# --- needs and priorities -------------------------------------------------------------------


def test_example_a_needs() -> None:
    a = assess(FIXTURE, EXAMPLE_A)
    got = {r.id: (r.need, r.priority, r.coverage) for r in a.recommendations}
    assert got == {
        # gaps (100 − score) over the linked questions, internal and external alike:
        # o_i1 100, o_i2 50, o_i3 25, o_e1 75, o_e2 0, o_e3 50 → 300/6 = 50.0
        "cross_border_ecommerce": (50.0, "medium", 1.0),
        # f_i3 50, d_i2 75, d_e2 0 → 125/3 = 41.666… → 41.7
        "digital_talent": (41.7, "medium", 1.0),
        # f_e2 don't know; d_i3 100, d_e2 0, o_i3 25 → 125/3 = 41.7; 3 of 4 weight answered
        "ip_protection": (41.7, "medium", 0.75),
        # f_i1 2×50, f_i2 0, f_i3 50, f_e1 25, f_e3 2×50 (f_e2 don't know) → 275/7 = 39.28… → 39.3
        "financial_support": (39.3, "low", 0.875),
        # d_i1 2×0, d_i4 50, d_e1 50, o_e2 0 → 100/5 = 20.0
        "digital_infrastructure": (20.0, "low", 1.0),
    }


@pytest.mark.parametrize(
    ("need", "priority"),
    [(100, "high"), (60, "high"), (59.9, "medium"), (40, "medium"), (39.9, "low"), (0, "low"),
     (None, "unknown")],
)
def test_priority_thresholds(need: float | None, priority: str) -> None:
    assert priority_for(FIXTURE, need) == priority


def test_need_exactly_on_the_thresholds() -> None:
    # digital_infrastructure, weights d_i1 2, d_i4 1, d_e1 1, o_e2 1 (total 5):
    # d_i1 "0" (gap 100 ×2) + d_i4 [x] (50) + d_e1 "2" (50) + o_e2 "4" (0) → 300/5 = 60.0 → high
    a = assess(FIXTURE, with_answers(EXAMPLE_A, d_i1="0"))
    assert (a.recommendation("digital_infrastructure").need,
            a.recommendation("digital_infrastructure").priority) == (60.0, "high")
    # d_i1 "2" (gap 50 ×2) + 50 + 50 + 0 → 200/5 = 40.0 → medium
    a = assess(FIXTURE, with_answers(EXAMPLE_A, d_i1="2"))
    assert (a.recommendation("digital_infrastructure").need,
            a.recommendation("digital_infrastructure").priority) == (40.0, "medium")


def test_need_with_half_the_linked_weight_and_below() -> None:
    # financial_support links weight 8. f_i1 (2) and f_e3 (2) answered = exactly half:
    # gaps 2×50 + 2×50 → 200/4 = 50.0
    only = {"f_i1": "2", "f_e3": "1"}
    r = assess(FIXTURE, only).recommendation("financial_support")
    assert (r.need, r.priority, r.coverage) == (50.0, "medium", 0.5)
    # f_i1 and f_e1 = 3 of 8 → unknown, and no rank
    r = assess(FIXTURE, {"f_i1": "2", "f_e1": "3"}).recommendation("financial_support")
    assert (r.need, r.priority, r.coverage, r.rank) == (None, "unknown", 0.375, None)
