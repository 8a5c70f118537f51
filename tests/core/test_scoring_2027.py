"""Hand-worked examples of method 2027.1 (DESIGN.md §2) on the small 2027.1 fixture.

Question scores are those of the 2026.1 examples (tests/test_scoring.py); what changes is that
an area score now averages its applicable internal and external questions alike, with
capability and environment beside it, and that routing, next steps and the credit-constraint
class come from conditions in the data. Every expected number is worked out in a comment.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from survey.core.answers import validate
from survey.core.scoring import assess, assessment_from_json, assessment_json
from tests.core.builder2027 import FIXTURE, build, fixture_dict
from tests.core.questionnaire.builder import question_dict

# An exporter. Question scores:
#   f_i1 "2" 50 (w2)   f_i2 [a, b] 100   f_i3 "1" 50   f_e1 "3" 75   f_e2 dk —   f_e3 "1" 50 (w2)
#   d_i1 "4" 100 (w2)  d_i2 "1" 25   d_i3 "0" 0   d_i4 [x] 50   d_e1 "2" 50   d_e2 "4" 100
#   o_i1 "0" 0   o_i2 "2" 50   o_i3 "3" 75   o_e1 "1" 25   o_e2 "4" 100   o_e3 "2" 50
EXPORTER: dict[str, Any] = {
    "export_status": "exports_direct",
    "f_i1": "2", "f_i2": ["a", "b"], "f_i3": "1", "f_e1": "3", "f_e2": "dk", "f_e3": "1",
    "d_i1": "4", "d_i2": "1", "d_i3": "0", "d_i4": ["x"], "d_e1": "2", "d_e2": "4",
    "o_i1": "0", "o_i2": "2", "o_i3": "3", "o_e1": "1", "o_e2": "4", "o_e3": "2",
}
DOMESTIC = {**EXPORTER, "export_status": "no_plans"}
OVERSEAS = ("o_i1", "o_i2", "o_i3", "o_e1", "o_e2", "o_e3")


def with_answers(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = {**base, **changes}
    return {k: v for k, v in out.items() if v is not None}


def area_tuple(a: Any) -> tuple[Any, ...]:
    return (a.score, a.level, a.coverage, a.capability, a.environment, a.gap_split,
            a.external_gap_share, a.status)


# --- areas ------------------------------------------------------------------------------------


def test_exporter_areas() -> None:
    a = assess(FIXTURE, EXPORTER)
    # financing, all answered applicable questions (f_e2 don't know), weights 2/1/1/1/2:
    #   (2×50 + 100 + 50 + 75 + 2×50) / 7 = 425/7 = 60.71 → 60.7; coverage 7/8 = 0.875
    #   capability (2×50 + 100 + 50)/4 = 62.5; environment: 2 of 3 answered → null
    #   gap split: external 25 + 2×50 = 125 of 2×50 + 0 + 50 + 125 = 275 → 0.455, mixed
    assert area_tuple(a.areas["financing"]) == (
        60.7, "established", 0.875, 62.5, None, "mixed", 0.455, "scored")
    # digital: (2×100 + 25 + 0 + 50 + 50 + 100)/7 = 425/7 = 60.7; capability
    #   (200 + 25 + 0 + 50)/5 = 55.0; environment (50 + 100)/2 = 75.0
    #   gap split: external 50 + 0 of internal 0 + 75 + 100 + 50 + 50 = 275 → 0.182
    assert area_tuple(a.areas["digital_technology"]) == (
        60.7, "established", 1.0, 55.0, 75.0, "mostly_internal", 0.182, "scored")
    # overseas (direct exporter: all six apply): 300/6 = 50.0; capability 125/3 = 41.7;
    #   environment 175/3 = 58.3; external gap 75 + 0 + 50 = 125 of 300 → 0.417, mixed
    assert area_tuple(a.areas["overseas_markets"]) == (
        50.0, "developing", 1.0, 41.7, 58.3, "mixed", 0.417, "scored")
    # overall: (60.7 + 60.7 + 50.0)/3 = 57.13 → 57.1
    assert (a.overall_score, a.overall_level) == (57.1, "developing")
    # the reason for not applying is asked only of firms that did not apply
    assert a.ignored == () and a.not_applicable == ("fin_no_apply_reason",)


def test_external_answers_now_move_the_score() -> None:
    low_env = assess(FIXTURE, with_answers(EXPORTER, d_e1="0", d_e2="0"))
    dig = low_env.areas["digital_technology"]
    # (200 + 25 + 0 + 50 + 0 + 0)/7 = 275/7 = 39.3; capability unchanged; environment 0
    # external gap 200 of 200 + 225 = 425 → 0.471, mixed
    assert area_tuple(dig) == (39.3, "emerging", 1.0, 55.0, 0.0, "mixed", 0.471, "scored")


def test_domestic_firm_without_export_plans() -> None:
    a = assess(FIXTURE, DOMESTIC)
    ovs = a.areas["overseas_markets"]
    assert area_tuple(ovs) == (None, None, 0.0, None, None, None, None, "not_applicable")
    # overall = mean of the two applicable areas: (60.7 + 60.7)/2 = 60.7
    assert (a.overall_score, a.overall_level) == (60.7, "established")
    # its overseas answers are ignored, not scored, and said so
    assert a.ignored == OVERSEAS
    assert set(OVERSEAS) <= set(a.not_applicable)
    assert all(a.question_scores[q] is None for q in OVERSEAS)
    # and otherwise it is as if they had not been given
    left_out = assess(FIXTURE, {k: v for k, v in DOMESTIC.items() if k not in OVERSEAS})
    assert a == replace(left_out, ignored=OVERSEAS)


@pytest.mark.parametrize("status", ["no_plans", "supplies_exporters", None])
def test_overseas_needs_positive_evidence_of_export_activity(status: str | None) -> None:
    a = assess(FIXTURE, with_answers(EXPORTER, export_status=status))
    assert a.areas["overseas_markets"].status == "not_applicable"
    assert a.recommendation("cross_border_ecommerce").priority == "not_applicable"


def test_planning_exporter_with_full_preparation_can_lead() -> None:
    answers = with_answers(EXPORTER, export_status="considering", o_i1=None, o_e1=None,
                           o_i2="4", o_i3="4", o_e2="4", o_e3="4")
    ovs = assess(FIXTURE, answers).areas["overseas_markets"]
    # practice questions do not apply; the four preparation questions are all at 100
    assert area_tuple(ovs) == (100.0, "leading", 1.0, 100.0, 100.0, None, None, "scored")


def test_too_few_applicable_answers_is_insufficient_and_overall_null() -> None:
    answers = with_answers(EXPORTER, export_status="considering", o_i1=None, o_e1=None,
                           o_i3=None, o_e2=None, o_e3=None)
    a = assess(FIXTURE, answers)
    ovs = a.areas["overseas_markets"]
    # only o_i2 of the four applicable questions: 1 < 3 answered, 1/4 of the weight
    assert (ovs.score, ovs.status, ovs.coverage, ovs.gap_split) == (None, "insufficient",
                                                                    0.25, None)
    assert a.overall_score is None and a.overall_level is None


def test_overall_needs_overall_min_areas_applicable() -> None:
    raw = fixture_dict()
    raw["method"]["overall_min_areas"] = 3
    a = assess(build(raw), DOMESTIC)
    assert a.areas["financing"].score == 60.7 and a.overall_score is None


@pytest.mark.parametrize(
    ("changes", "split", "share"),
    [
        # financing gaps: internal f_i1 2×50 + f_i3 50 = 150; external f_e1 25 + f_e3 2×50
        # worsening f_e1 to 0: external 100 + 100 = 200 of 350 → 0.571, still mixed
        ({"f_e1": "0"}, "mixed", 0.571),
        # and f_e2 answered 0 too: external 300 of 450 → 0.667 → mostly external
        ({"f_e1": "0", "f_e2": "0"}, "mostly_external", 0.667),
        # internal all best: only external gaps → 1.0
        ({"f_i1": "4", "f_i3": "2"}, "mostly_external", 1.0),
        # external all best: 0.0 → mostly internal
        ({"f_e1": "4", "f_e2": "4", "f_e3": "2"}, "mostly_internal", 0.0),
        # every answer best: no gap, no split
        ({"f_i1": "4", "f_i3": "2", "f_e1": "4", "f_e2": "4", "f_e3": "2"}, None, None),
    ],
)
def test_gap_split(changes: dict[str, Any], split: str | None, share: float | None) -> None:
    fin = assess(FIXTURE, with_answers(EXPORTER, **changes)).areas["financing"]
    assert (fin.gap_split, fin.external_gap_share) == (split, share)


def test_gap_split_thresholds_come_from_the_data() -> None:
    raw = fixture_dict()
    raw["method"].update(gap_mostly_external=0.45, gap_mostly_internal=0.2)
    fin = assess(build(raw), EXPORTER).areas["financing"]
    assert (fin.gap_split, fin.external_gap_share) == ("mostly_external", 0.455)


# --- needs -------------------------------------------------------------------------------------


def test_exporter_needs_and_order() -> None:
    a = assess(FIXTURE, EXPORTER)
    # the same linked questions and answers as the 2026.1 example A, so the same needs:
    # cb 300/6 = 50.0; dt (50 + 75 + 0)/3 = 41.7; ip (100 + 0 + 25)/3 = 41.7 at 0.75 coverage;
    # fs 275/7 = 39.3; di (0 + 50 + 50 + 0)/5 = 20.0. dt and ip tie: same primary area
    # (digital 60.7), so the higher coverage (dt) first.
    assert [(r.id, r.need, r.priority, r.rank, r.tied) for r in a.recommendations] == [
        ("cross_border_ecommerce", 50.0, "medium", 1, False),
        ("digital_talent", 41.7, "medium", 2, True),
        ("ip_protection", 41.7, "medium", 2, True),
        ("financial_support", 39.3, "low", 4, False),
        ("digital_infrastructure", 20.0, "low", 5, False),
    ]


def test_domestic_needs_leave_out_what_does_not_apply() -> None:
    a = assess(FIXTURE, DOMESTIC)
    # ip: f_e2 don't know, d_i3 gap 100, d_e2 gap 0 (o_i3 does not apply) → 100/2 = 50.0,
    #     coverage 2/3; di: d_i1 2×0, d_i4 50, d_e1 50 (o_e2 does not apply) → 100/4 = 25.0
    # cb: none of its questions apply → not_applicable, last, without rank or steps
    assert [(r.id, r.need, r.priority, r.coverage, r.rank) for r in a.recommendations] == [
        ("ip_protection", 50.0, "medium", 0.667, 1),
        ("digital_talent", 41.7, "medium", 1.0, 2),
        ("financial_support", 39.3, "low", 0.875, 3),
        ("digital_infrastructure", 25.0, "low", 1.0, 4),
        ("cross_border_ecommerce", None, "not_applicable", 0.0, None),
    ]
    cb = a.recommendation("cross_border_ecommerce")
    assert (cb.drivers, cb.next_steps, cb.tied) == ((), (), False)


def test_unknown_comes_before_not_applicable() -> None:
    answers = with_answers(DOMESTIC, f_i3=None, d_i2=None, d_e2=None)
    ids = [(r.id, r.priority) for r in assess(FIXTURE, answers).recommendations]
    assert ids[-2:] == [("digital_talent", "unknown"), ("cross_border_ecommerce",
                                                        "not_applicable")]


# --- next steps --------------------------------------------------------------------------------


def steps_of(a: Any) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    return {r.id: [(s.id, s.because) for s in r.next_steps] for r in a.recommendations}


def test_exporter_next_steps_and_because() -> None:
    a = assess(FIXTURE, with_answers(EXPORTER, scheme_guarantee="aware_unsure_how",
                                     employees=12, industry="other", f_i3="0"))
    assert steps_of(a) == {
        # o_i1 "0" is in ["0", "1"]; cb_prepare needs "considering"; o_e2 4 and o_e3 2 ≠ "0"
        "cross_border_ecommerce": [("cb_platform", ("o_i1",))],
        # d_i2 "1"; and 12 people in "other" is small (10 ≤ staff < 100) with f_i3 "0"
        "digital_talent": [("dt_training", ("d_i2",)), ("dt_small", ("f_i3",))],
        # d_i3 "0"; d_e2 scores 100, not below 50
        "ip_protection": [("ip_register", ("d_i3",))],
        # the scheme row says "unsure how"; f_i1 scores 50, not below 50; no rejection; f_i2
        # is [a, b], not "none"
        "financial_support": [("fs_guarantee", ("scheme_guarantee",))],
        # d_i4 [x] ticks x; d_e1 scores 50, not below 50
        "digital_infrastructure": [],
    }


def test_next_steps_max_and_first_in_data_order() -> None:
    answers = with_answers(EXPORTER, scheme_guarantee="not_aware", f_i1="0", f_i2=["none"],
                           fin_applied="applied_rejected", f_e3="0")
    fs = assess(FIXTURE, answers).recommendation("financial_support")
    # all four hold; the first three in the order of the data
    assert [(s.id, s.because) for s in fs.next_steps] == [
        ("fs_guarantee", ("scheme_guarantee",)), ("fs_budget", ("f_i1",)),
        ("fs_collateral", ("fin_applied", "f_e3"))]
    raw = fixture_dict()
    raw["method"]["next_steps_max"] = 1
    fs = assess(build(raw), answers).recommendation("financial_support")
    assert [s.id for s in fs.next_steps] == ["fs_guarantee"]


def test_a_step_on_a_dont_know_answer_is_not_shown() -> None:
    # f_i1 "don't know": no score, so "score below 50" is not evidence
    fs = assess(FIXTURE, with_answers(EXPORTER, f_i1="dk")).recommendation("financial_support")
    assert "fs_budget" not in [s.id for s in fs.next_steps]


def test_a_step_reads_only_applicable_answers() -> None:
    # o_i1 "0" would call for cb_platform, but o_i1 does not apply to a planning exporter
    answers = with_answers(EXPORTER, export_status="considering")
    cb = assess(FIXTURE, answers).recommendation("cross_border_ecommerce")
    # cb_prepare: considering and o_i2 at 50 < 100
    assert [(s.id, s.because) for s in cb.next_steps] == [
        ("cb_prepare", ("export_status", "o_i2"))]


# --- credit constraint -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "cls"),
    [
        ({}, "unknown"),
        ({"fin_applied": "not_applied", "fin_no_apply_reason": "enough_funds"}, "no_need"),
        ({"fin_applied": "not_applied", "fin_no_apply_reason": "enough_funds",
          "fin_has_credit": "no"}, "no_need"),
        ({"fin_applied": "applied_rejected", "fin_has_credit": "no"}, "fully_constrained"),
        ({"fin_applied": "not_applied", "fin_no_apply_reason": "collateral",
          "fin_has_credit": "no"}, "fully_constrained"),
        ({"fin_applied": "applied_rejected", "fin_has_credit": "yes"}, "partially_constrained"),
        ({"fin_applied": "not_applied", "fin_no_apply_reason": "rates",
          "fin_has_credit": "yes"}, "partially_constrained"),
        ({"fin_applied": "applied_granted"}, "not_constrained"),
        ({"fin_applied": "applied_granted", "fin_has_credit": "no"}, "not_constrained"),
        ({"fin_applied": "pending", "fin_has_credit": "yes"}, "not_constrained"),
        ({"fin_applied": "pending"}, "unknown"),
        ({"fin_applied": "applied_rejected"}, "unknown"),        # whether it has credit: unknown
        # the reason is not asked of a firm that applied: an answer to it is ignored
        ({"fin_applied": "applied_rejected", "fin_no_apply_reason": "enough_funds",
          "fin_has_credit": "no"}, "fully_constrained"),
    ],
)
def test_credit_constraint_class(answers: dict[str, Any], cls: str) -> None:
    assert assess(FIXTURE, answers).indicators == {"credit_constraint": cls}


# --- validation, JSON ----------------------------------------------------------------------------


def test_validation_ignores_inapplicable_answers_but_not_unknown_ids() -> None:
    v = validate(FIXTURE, {**DOMESTIC, "fin_applied": "applied_granted",
                           "fin_no_apply_reason": "bogus"}, require=False)
    assert v.ok, v.messages()
    assert v.ignored == ("fin_no_apply_reason", *OVERSEAS)
    assert not set(v.ignored) & set(v.answers)
    v = validate(FIXTURE, {**DOMESTIC, "o_x9": "1"}, require=False)
    assert list(v.problems) == ["o_x9"]
    # a page: the routing reads earlier pages as given
    v = validate(FIXTURE, {"export_status": "considering", "o_i1": "3", "o_i2": "3"},
                 only=["o_i1", "o_i2"], require=False)
    assert (v.answers, v.ignored) == ({"o_i2": "3"}, ("o_i1",))


def test_required_inapplicable_questions_are_not_required() -> None:
    v = validate(FIXTURE, {"export_status": "no_plans"}, only=list(OVERSEAS))
    assert v.ok and v.answers == {}
    v = validate(FIXTURE, {"export_status": "considering"}, only=list(OVERSEAS))
    assert sorted(v.problems) == ["o_e2", "o_e3", "o_i2", "o_i3"]


def test_assess_without_check_still_ignores_and_reports() -> None:
    a = assess(FIXTURE, DOMESTIC, check=False)
    assert a.ignored == OVERSEAS and a == assess(FIXTURE, DOMESTIC)
    b = assess(FIXTURE, {"export_status": "no_plans"}, check=False, ignored=["o_i1"])
    assert b.ignored == ("o_i1",)


def test_assessment_json_2027_and_round_trip() -> None:
    answers = with_answers(DOMESTIC, fin_applied="applied_rejected", fin_has_credit="no",
                           scheme_guarantee="received")
    data = assessment_json(assess(FIXTURE, answers))
    assert data["overall"] == {"score": 60.7, "level": "established"}
    assert data["areas"]["overseas_markets"] == {
        "score": None, "level": None, "coverage": 0.0, "capability": None,
        "capability_coverage": 0.0, "environment": None, "environment_coverage": 0.0,
        "gap_split": None, "external_gap_share": None, "status": "not_applicable"}
    assert data["indicators"] == {"credit_constraint": "fully_constrained"}
    assert data["ignored"] == list(OVERSEAS)
    assert data["recommendations"][0] == {
        "id": "ip_protection", "need": 50.0, "priority": "medium", "rank": 1, "tied": False,
        "coverage": 0.667, "drivers": ["d_i3"], "actionable_drivers": ["d_i3"],
        "next_steps": [{"id": "ip_register", "because": ["d_i3"]}]}
    assert data["recommendations"][-1]["priority"] == "not_applicable"
    assert assessment_json(assessment_from_json(data)) == data


def test_results_stored_by_method_2026_still_read() -> None:
    stored = {
        "id": "t", "questionnaire_version": "2026.1", "method_version": "2026.1",
        "report_url": None, "overall": {"score": None, "level": None},
        "areas": {
            "financing": {"score": 62.5, "level": "established", "coverage": 1.0,
                          "environment": None, "environment_coverage": 0.75},
            "digital_technology": {"score": None, "level": None, "coverage": 0.2,
                                   "environment": 75.0},
            "overseas_markets": {"score": 41.7, "level": "developing", "coverage": 1.0,
                                 "environment": 58.3, "environment_coverage": 1.0},
        },
        "recommendations": [{"id": "ip_protection", "need": 41.7, "priority": "medium",
                             "rank": 2, "tied": True, "coverage": 0.75, "drivers": ["d_i3"],
                             "actionable_drivers": ["d_i3"]},
                            {"id": "digital_talent", "need": None, "priority": "unknown",
                             "drivers": []}],
        "benchmark": None,
    }
    a = assessment_from_json(stored)
    fin, dig = a.areas["financing"], a.areas["digital_technology"]
    assert (fin.score, fin.status, fin.capability, fin.gap_split) == (62.5, "scored", None, None)
    assert (dig.status, dig.environment_coverage) == ("insufficient", 0.0)
    assert a.recommendation("ip_protection").next_steps == ()
    assert a.recommendation("digital_talent").rank is None
    assert (a.indicators, a.ignored) == ({}, ())
    data = assessment_json(a)
    for aid, area in stored["areas"].items():
        for key, value in area.items():
            assert data["areas"][aid][key] == value


def test_one_option_question_gating_another_by_score() -> None:
    raw = fixture_dict()
    question_dict(raw, "d_e2")["applies_if"] = {"score_of": "d_i1", "at_least": 50}
    q = build(raw)
    # d_i1 "4" (100): d_e2 applies; d_i1 "1" (25): it does not, and its answer is ignored
    assert assess(q, EXPORTER).areas["digital_technology"].environment == 75.0
    low = assess(q, with_answers(EXPORTER, d_i1="1"))
    # d_e1 is then the only applicable external question: environment 50.0 from it alone;
    # score (2×25 + 25 + 0 + 50 + 50)/6 = 175/6 = 29.2
    dig = low.areas["digital_technology"]
    assert low.ignored == ("d_e2",) and (dig.environment, dig.score) == (50.0, 29.2)


def test_a_services_exporter_gets_service_steps_and_a_goods_maker_shipping_steps() -> None:
    """Shipping and labelling advice fits goods; a software firm considering exports is told to
    find pilot customers and check the rules for its service instead. The industry is context,
    never the reason shown for a step."""
    from survey.core.questionnaire import load_questionnaire
    from tests.helpers import best_answers

    q = load_questionnaire("2027.1")

    def steps(industry: str) -> dict[str, tuple[str, ...]]:
        answers = best_answers(industry=industry, export_status="considering",
                               ovs_rules_target="not_at_all")
        rec = assess(q, answers).recommendation("cross_border_ecommerce")
        return {s.id: s.because for s in rec.next_steps}

    software, maker = steps("software_it"), steps("manufacturing")
    assert "cb_first_clients" in software and "cb_first_market" not in software
    assert "cb_service_rules" in software and "cb_rules" not in software
    assert "cb_first_market" in maker and "cb_rules" in maker and "cb_first_clients" not in maker
    assert all("industry" not in because for because in (*software.values(), *maker.values()))
