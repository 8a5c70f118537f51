"""Method 2026.1 on the hand-worked fixture: order, ranks, ties and drivers of the
recommendations; all-best and all-worst answers; validation and the assessment JSON."""

from __future__ import annotations

import pytest

from survey.core.answers import InvalidAnswers
from survey.core.scoring import (
    assess,
    assessment_from_json,
    assessment_json,
)
from tests.core.questionnaire.builder import (
    BEST,
    EXAMPLE_A,
    FIXTURE,
    build,
    fixture_dict,
    question_dict,
    with_answers,
)

# --- ordering, ties and drivers -------------------------------------------------------------


def test_example_a_order_ranks_and_ties() -> None:
    a = assess(FIXTURE, EXAMPLE_A)
    # 50.0 first; then two at 41.7 sharing rank 2: both have the primary area
    # digital_technology (55.0), so coverage decides: digital_talent (1.0) before
    # ip_protection (0.75), although ip_protection comes first in the report's order.
    assert [(r.id, r.rank, r.tied) for r in a.recommendations] == [
        ("cross_border_ecommerce", 1, False),
        ("digital_talent", 2, True),
        ("ip_protection", 2, True),
        ("financial_support", 4, False),
        ("digital_infrastructure", 5, False),
    ]


def test_equal_needs_put_the_weaker_primary_area_first_then_report_order() -> None:
    answers = {
        # financing internal all best (score 100), external all worst
        "f_i1": "4", "f_i2": ["a", "c"], "f_i3": "2", "f_e1": "0", "f_e2": "0", "f_e3": "0",
        # digital all best (score 100)
        "d_i1": "4", "d_i2": "4", "d_i3": "4", "d_i4": ["x", "y"], "d_e1": "4", "d_e2": "4",
        # overseas internal all worst (score 0), external all best
        "o_i1": "0", "o_i2": "0", "o_i3": "0", "o_e1": "4", "o_e2": "4", "o_e3": "4",
    }
    a = assess(FIXTURE, answers)
    # financial_support: internal gaps 0 (weight 4), external gaps 100 (weight 4) → 400/8 = 50.0
    # cross_border_ecommerce: o_i* gaps 100 ×3, o_e* 0 ×3 → 300/6 = 50.0
    # ip_protection: f_e2 100, d_i3 0, d_e2 0, o_i3 100 → 200/4 = 50.0
    # digital_infrastructure (d_i1, d_i4, d_e1, o_e2) and digital_talent (f_i3, d_i2, d_e2): 0.0
    # Ties on need go to the lower primary-area score: overseas (0) before financing and
    # digital (100); financing and digital tie too, coverage is 1.0 for all → report order.
    assert [(r.id, r.need, r.rank, r.tied) for r in a.recommendations] == [
        ("cross_border_ecommerce", 50.0, 1, True),
        ("financial_support", 50.0, 1, True),
        ("ip_protection", 50.0, 1, True),
        ("digital_infrastructure", 0.0, 4, True),
        ("digital_talent", 0.0, 4, True),
    ]
    assert (a.areas["financing"].score, a.areas["overseas_markets"].score) == (100.0, 0.0)


def test_needs_are_compared_rounded_to_one_decimal() -> None:
    raw = fixture_dict()
    question_dict(raw, "o_i1")["weight"] = 1.5
    q = build(raw)
    answers = {
        "f_i1": "0", "f_i2": ["a"], "f_i3": "0", "f_e1": "0", "f_e2": "1", "f_e3": "0",
        "o_i1": "0", "o_i2": "0", "o_i3": "0", "o_e1": "0", "o_e2": "0", "o_e3": "3",
    }
    a = assess(q, answers)
    # financial_support: gaps 2×100 + 33.3… + 100 + 100 + 75 + 2×100 = 708.33… / 8 = 88.54 → 88.5
    # cross_border_ecommerce: 1.5×100 + 4×100 + 25 = 575 / 6.5 = 88.46 → 88.5
    # Unrounded, financial_support would lead; rounded they tie, and the lower primary-area
    # score puts cross_border_ecommerce first: overseas 0.0 < financing (0 + 66.7 + 0)/4 = 16.7.
    fs, cb = a.recommendation("financial_support"), a.recommendation("cross_border_ecommerce")
    assert (fs.need, cb.need, a.areas["financing"].score) == (88.5, 88.5, 16.7)
    assert [r.id for r in a.recommendations][:2] == ["cross_border_ecommerce", "financial_support"]
    assert (cb.rank, cb.tied, fs.rank, fs.tied) == (1, True, 1, True)


def test_unknown_comes_last_whatever_the_needs() -> None:
    # digital_talent unanswered (f_i3 n/a, d_i2 and d_e2 left out) → unknown, after a need of 0
    answers = with_answers(BEST, f_i3="na", d_i2=None, d_e2=None)
    a = assess(FIXTURE, answers)
    assert [r.id for r in a.recommendations][-1] == "digital_talent"
    last = a.recommendations[-1]
    assert (last.need, last.priority, last.rank, last.tied, last.coverage) == (
        None, "unknown", None, False, 0.0)
    # the four known ones all need 0.0 and share rank 1
    assert {(r.need, r.rank, r.tied) for r in a.recommendations[:-1]} == {(0.0, 1, True)}


def test_example_a_drivers() -> None:
    a = assess(FIXTURE, EXAMPLE_A)
    got = {r.id: (r.drivers, r.actionable_drivers) for r in a.recommendations}
    assert got == {
        # gaps o_i1 100, o_e1 75, then o_i2 and o_e3 at 50 (equal weight: questionnaire order);
        # the internal ones, largest gap first: o_i1, o_i2, o_i3
        "cross_border_ecommerce": (("o_i1", "o_e1", "o_i2"), ("o_i1", "o_i2", "o_i3")),
        # d_e2 has no gap, so it is no driver
        "digital_talent": (("d_i2", "f_i3"), ("d_i2", "f_i3")),
        "ip_protection": (("d_i3", "o_i3"), ("d_i3", "o_i3")),
        # three gaps of 50: heavier first (f_i1, f_e3 weight 2), then f_i3; f_e1 (25) is fourth
        "financial_support": (("f_i1", "f_e3", "f_i3"), ("f_i1", "f_i3")),
        # d_i4 and d_e1 at 50: questionnaire order; only d_i4 is internal
        "digital_infrastructure": (("d_i4", "d_e1"), ("d_i4",)),
    }


def test_drivers_max_comes_from_the_data() -> None:
    raw = fixture_dict()
    raw["method"]["drivers_max"] = 1
    a = assess(build(raw), EXAMPLE_A)
    r = a.recommendation("cross_border_ecommerce")
    assert (r.drivers, r.actionable_drivers) == (("o_i1",), ("o_i1",))


def test_thresholds_come_from_the_data() -> None:
    raw = fixture_dict()
    raw["method"].update(priority_high=50, priority_medium=45, min_answered=2)
    q = build(raw)
    a = assess(q, with_answers(EXAMPLE_A, f_i3=None))
    # min_answered 2: financing internal (2×50 + 100)/3 = 66.7 is now scored
    assert a.areas["financing"].score == 66.7
    # 50.0 reaches the lowered "high"; 41.7 falls below the raised "medium"
    assert a.recommendation("cross_border_ecommerce").priority == "high"
    assert a.recommendation("ip_protection").priority == "low"


# --- all-best, all-worst, validation, JSON ---------------------------------------------------


def test_all_best_and_all_worst() -> None:
    best = assess(FIXTURE, BEST)
    assert best.overall_score == 100.0
    assert {(a.score, a.environment) for a in best.areas.values()} == {(100.0, 100.0)}
    assert {(r.need, r.priority) for r in best.recommendations} == {(0.0, "low")}
    worst_answers = {qid: (["none"] if isinstance(v, list) else "0") for qid, v in BEST.items()}
    worst = assess(FIXTURE, worst_answers)
    assert (worst.overall_score, worst.overall_level) == (0.0, "beginner")
    assert {(a.score, a.environment) for a in worst.areas.values()} == {(0.0, 0.0)}
    assert {(r.need, r.priority) for r in worst.recommendations} == {(100.0, "high")}
    # all five tie at 100: same primary scores (0) and coverage (1.0) → the report's order
    assert [r.id for r in worst.recommendations] == [r.id for r in FIXTURE.recommendations]


def test_invalid_answers_raise_with_every_problem() -> None:
    with pytest.raises(InvalidAnswers) as err:
        assess(FIXTURE, {"f_i1": "9", "f_i2": ["none", "a"], "nope": 1})
    assert set(err.value.messages()) == {"f_i1", "f_i2", "nope"}


def test_assess_does_not_require_every_question() -> None:
    # required questions are the form's business; scoring a partial set is legitimate
    assert assess(FIXTURE, {"f_i1": "4"}).areas["financing"].score is None


def test_assessment_json_shape_and_round_trip() -> None:
    data = assessment_json(assess(FIXTURE, EXAMPLE_A))
    assert data["id"] is None and data["benchmark"] is None and data["report_url"] is None
    assert data["overall"] == {"score": 53.1, "level": "developing"}
    # method 2026.1: the score is over internal questions, so capability equals it; the gap
    # split reads every answered question: external gaps f_e1 25 + f_e3 2×50 = 125 of
    # 2×50 + 0 + 50 + 125 = 275 → 0.455, between 0.4 and 0.6 → mixed
    assert data["areas"]["financing"] == {
        "score": 62.5, "level": "established", "coverage": 1.0, "environment": None,
        "environment_coverage": 0.75, "capability": 62.5, "capability_coverage": 1.0,
        "gap_split": "mixed", "external_gap_share": 0.455, "status": "scored",
    }
    assert data["indicators"] == {"credit_constraint": "unknown"}   # 2026.1 has no rules
    assert data["ignored"] == []
    assert [r["id"] for r in data["recommendations"]][0] == "cross_border_ecommerce"
    assert data["recommendations"][1] == {
        "id": "digital_talent", "need": 41.7, "priority": "medium", "rank": 2, "tied": True,
        "coverage": 1.0, "drivers": ["d_i2", "f_i3"], "actionable_drivers": ["d_i2", "f_i3"],
        # 2026.1 steps have no condition: the first next_steps_max (3) of its two are shown
        "next_steps": [{"id": "digital_talent_1", "because": []},
                       {"id": "digital_talent_2", "because": []}],
    }
    assert assessment_json(assessment_from_json(data)) == data
