"""Known groups on the real 2027.1 questionnaire (issue 9): realistic firms that must come out
the way an analyst expects, or the method (or the data) is wrong.

Each firm starts from one middling profile and changes only what defines its group, so a
difference in the result is the group's doing.
"""

from __future__ import annotations

from typing import Any

import pytest

from survey.core.questionnaire import available_versions, load_questionnaire
from survey.core.questionnaire.schema import Question, Questionnaire
from survey.core.rounding import half_up
from survey.core.scoring import ScoredAssessment, assess

pytestmark = pytest.mark.skipif("2027.1" not in available_versions(),
                                reason="questionnaire 2027.1 not written yet")


def q27() -> Questionnaire:
    return load_questionnaire("2027.1")


def _middle(q: Question) -> Any:
    """The real option nearest half marks (for multi: options up to half the full credit)."""
    real = [o for o in q.options if not o.is_skip and not o.exclusive]
    if q.type == "multi":
        picked, total = [], 0.0
        for o in real:
            if total + (o.points or 0) <= q.max_points / 2:
                picked.append(o.value)
                total += o.points or 0
        return picked or [real[0].value]
    return min(real, key=lambda o: abs((o.points or 0) / q.max_points - 0.5)).value


def _best(q: Question) -> Any:
    real = [o for o in q.options if not o.is_skip and not o.exclusive]
    if q.type == "multi":
        return [o.value for o in real if (o.points or 0) > 0]
    return max(real, key=lambda o: o.points or 0).value


PROFILE: dict[str, Any] = {
    "industry": "manufacturing", "employees": 45, "revenue_band": "rev_2000_3000",
    "province": "jiangsu", "years_operating": 9, "ownership": "private",
    "firm_recognition": ["none"], "respondent_role": "owner", "export_status": "exports_direct",
    "fin_demand": "working_capital", "fin_applied": "yes",
    "fin_current_finance": ["business_account", "bank_loan"],
    "ovs_export_share_12m": "p5_20", "ovs_export_years": "y2_5",
    "ovs_channels_12m": ["b2b_platform"],
}


def firm(**changes: Any) -> dict[str, Any]:
    """The middling firm, with `changes` (None removes an answer)."""
    q = q27()
    answers = {**{x.id: _middle(x) for x in q.scored_questions}, **PROFILE, **changes}
    return {k: v for k, v in answers.items() if v is not None}


def best_in(prefix: str, **changes: Any) -> dict[str, Any]:
    q = q27()
    return {x.id: _best(x) for x in q.scored_questions if x.id.startswith(prefix)} | changes


def result(answers: dict[str, Any]) -> ScoredAssessment:
    return assess(q27(), answers)


def test_refused_scores_lower_on_financing_than_granted_and_is_constrained() -> None:
    granted = result(firm(fin_loan_outcome="granted_full"))
    refused = result(firm(fin_loan_outcome="refused", fin_current_finance=["business_account"]))
    assert refused.areas["financing"].score < granted.areas["financing"].score  # type: ignore[operator]
    assert (granted.indicators["credit_constraint"], refused.indicators["credit_constraint"]) == (
        "not_constrained", "fully_constrained")
    fs_granted = granted.recommendation("financial_support").need
    assert refused.recommendation("financial_support").need > fs_granted  # type: ignore[operator]


def test_a_firm_needing_no_loan_is_not_constrained_and_scores_above_a_discouraged_one() -> None:
    no_need = result(firm(fin_demand="no_own_funds", fin_applied="no",
                          fin_no_apply_reason="enough_funds", fin_current_finance=[
                              "business_account"], fin_finance_obstacle="none"))
    discouraged = result(firm(fin_applied="no", fin_no_apply_reason="collateral",
                              fin_current_finance=["business_account"],
                              fin_finance_obstacle="major"))
    assert no_need.indicators["credit_constraint"] == "no_need"
    assert discouraged.indicators["credit_constraint"] == "fully_constrained"
    assert no_need.areas["financing"].score > discouraged.areas["financing"].score  # type: ignore[operator]


def test_domestic_firm_without_export_plans() -> None:
    a = result(firm(export_status="no_plans"))
    assert a.areas["overseas_markets"].status == "not_applicable"
    fin, dig = a.areas["financing"].score, a.areas["digital_technology"].score
    assert fin is not None and dig is not None
    assert a.overall_score == half_up((fin + dig) / 2, 1)  # 55.05 → 55.1, not round()'s 55.0
    cb = a.recommendation("cross_border_ecommerce")
    assert (cb.priority, cb.need, cb.next_steps) == ("not_applicable", None, ())
    assert a.recommendations[0].id != "cross_border_ecommerce"
    assert set(a.ignored) >= {"ovs_export_share_12m", "ovs_export_years", "ovs_channels_12m"}


def test_a_planning_exporter_with_full_preparation_can_lead() -> None:
    a = result(firm(export_status="considering", **best_in("ovs_"), **best_in("scheme_")))
    ovs = a.areas["overseas_markets"]
    assert (ovs.status, ovs.level) == ("scored", "leading")


def test_an_offline_exporter_is_not_marked_down_for_selling_offline() -> None:
    """Selling abroad offline is no gap: channels are unscored, and what presupposes online
    sales (overseas warehousing for them) is not asked, so a well-prepared offline exporter
    leads and has a low cross-border need."""
    offline = result(firm(ovs_channels_12m=["offline_only"], **best_in("ovs_"),
                          **best_in("scheme_")))
    assert offline.areas["overseas_markets"].level == "leading"
    assert offline.recommendation("cross_border_ecommerce").priority == "low"
    assert "ovs_warehousing_obstacle" in offline.not_applicable


def test_a_cross_border_seller_held_back_by_logistics() -> None:
    a = result(firm(ovs_channels_12m=["marketplace"], ovs_logistics_obstacle="very_severe",
                    ovs_warehousing_obstacle="major", ovs_payments_obstacle="minor"))
    cb, ip = a.recommendation("cross_border_ecommerce"), a.recommendation("ip_protection")
    assert cb.priority in ("medium", "high")
    assert cb.need > ip.need  # type: ignore[operator]
    assert "ovs_logistics_obstacle" in cb.drivers
    assert "cb_logistics" in [s.id for s in cb.next_steps]


def test_good_local_infrastructure_means_a_low_infrastructure_need() -> None:
    good = {qid: _best(q27().question(qid)) for qid in q27().questions
            if qid.startswith("infra_")}
    a = result(firm(**good))
    di = a.recommendation("digital_infrastructure")
    assert di.priority == "low"
    assert not [s.id for s in di.next_steps if s.id in ("di_report_gap", "di_better_price")]
