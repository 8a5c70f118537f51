"""The item indicators' definitions (pure): who is in each numerator, denominator and apart,
and that every definition names answers its questionnaire really has."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from survey.core import item_indicators as ii
from survey.core.questionnaire import load_questionnaire
from survey.core.questionnaire.schema import CREDIT_CLASSES

Q = load_questionnaire()
INDICATORS = {i.id: i for i in ii.indicators(Q)}


def parts(indicator_id: str, answers: dict[str, Any] | None = None,
          **columns: Any) -> frozenset[str]:
    ind = INDICATORS[indicator_id]
    return ii.where(ind, ii.value_of(ind, answers or {}, columns))


NUM_DEN = frozenset({ii.NUMERATOR, ii.DENOMINATOR})
DEN = frozenset({ii.DENOMINATOR})
APART = frozenset({ii.APART})
NONE: frozenset[str] = frozenset()


def test_loan_refusal_among_applicants_with_a_decision() -> None:
    assert parts("loan_refused", {"fin_loan_outcome": "refused"}) == NUM_DEN
    assert parts("loan_refused", {"fin_loan_outcome": "granted_part"}) == DEN
    assert parts("loan_rationed", {"fin_loan_outcome": "granted_part"}) == NUM_DEN
    assert parts("loan_refused", {"fin_loan_outcome": "pending"}) == APART
    assert parts("loan_refused", {"fin_applied": "no"}) == NONE  # not asked


def test_discouraged_and_collateral_and_late_payment() -> None:
    assert parts("discouraged", {"fin_no_apply_reason": "collateral"}) == NUM_DEN
    assert parts("discouraged", {"fin_no_apply_reason": "enough_funds"}) == DEN
    assert parts("discouraged", {"fin_no_apply_reason": "other"}) == APART
    assert parts("collateral_burden", {"fin_collateral_burden": "could_not_provide"}) == NUM_DEN
    assert parts("collateral_burden", {"fin_collateral_burden": "provided_easily"}) == DEN
    assert parts("collateral_burden", {"fin_collateral_burden": "dont_know"}) == APART
    assert parts("late_payment", {"fin_overdue_share": "p10_30"}) == NUM_DEN
    assert parts("late_payment", {"fin_overdue_share": "lt10"}) == DEN
    assert parts("late_payment", {"fin_overdue_share": "nothing_owed"}) == NONE


def test_credit_classes_are_among_firms_with_a_class() -> None:
    assert parts("credit_fully_constrained", credit_constraint="fully_constrained") == NUM_DEN
    assert parts("credit_fully_constrained", credit_constraint="no_need") == DEN
    assert parts("credit_fully_constrained", credit_constraint="unknown") == APART
    assert parts("credit_fully_constrained", credit_constraint=None) == NONE  # method 2026.1


def test_the_gap_split_per_area() -> None:
    ind = "gap_digital_technology_mostly_external"
    assert parts(ind, digital_technology_gap="mostly_external") == NUM_DEN
    assert parts(ind, digital_technology_gap="mixed") == DEN
    assert parts(ind, digital_technology_gap=None) == NONE
    assert "Digital" in INDICATORS[ind].label.en


def test_scheme_funnel() -> None:
    def stage(stage: str, value: str) -> frozenset[str]:
        return parts(f"scheme_guarantee.{stage}", {"scheme_guarantee": value})
    assert stage("aware", "not_aware") == DEN
    assert stage("aware", "aware_not_needed") == NUM_DEN
    assert stage("applied", "not_aware") == NONE  # not aware: not in "among aware"
    assert stage("applied", "applied_pending") == NUM_DEN
    assert stage("received", "applied_pending") == APART
    assert stage("received", "applied_rejected") == DEN
    assert stage("useful", "received_useful") == NUM_DEN
    assert stage("unsure_how", "aware_unsure_how") == NUM_DEN
    assert stage("unsure_how", "applied_rejected") == NONE
    schemes = [q.id for q in Q.questions.values() if q.grid == ii.SCHEME_GRID]
    assert len(schemes) >= 10
    assert all(f"{s}.{name}" in INDICATORS for s in schemes for name, *_ in ii.SCHEME_STAGES)
    assert {g.id for g in ii.groups(Q)} >= set(schemes)


def test_multi_select_channels() -> None:
    assert parts("channel_own_site", {"ovs_channels_12m": ["marketplace", "own_site"]}) == NUM_DEN
    assert parts("channel_own_site", {"ovs_channels_12m": ["offline_only"]}) == DEN
    assert parts("channel_own_site", {"ovs_channels_12m": []}) == NONE
    assert parts("channel_own_site", {}) == NONE


def test_every_definition_names_real_answers() -> None:
    """A typo in an option code would silently count nobody: every code is the question's,
    the numerator is inside the denominator, and apart is outside it."""
    columns = {"credit_constraint": set(CREDIT_CLASSES)}
    for ind in INDICATORS.values():
        if ind.column:
            allowed = columns.get(ind.column, {"mostly_external", "mixed", "mostly_internal"})
        else:
            allowed = {o.value for o in Q.questions[ind.source].options}
        assert set(ind.numerator) <= allowed, ind.id
        assert set(ind.denominator) | set(ind.apart) <= allowed, ind.id
        if not ind.multi:
            assert set(ind.numerator) <= set(ind.denominator), ind.id
        assert not set(ind.apart) & set(ind.denominator), ind.id
        assert ind.label.en and ind.label.zh and ind.among.en and ind.among.zh, ind.id
    assert len(set(INDICATORS)) == len(ii.indicators(Q))
    assert {i.group for i in INDICATORS.values()} <= {g.id for g in ii.groups(Q)}


@given(st.sampled_from(sorted(INDICATORS)), st.one_of(st.none(), st.text(max_size=12),
                                                       st.lists(st.text(max_size=12))))
def test_a_firm_is_never_both_apart_and_counted(indicator_id: str, value: Any) -> None:
    found = ii.where(INDICATORS[indicator_id], value)
    assert found in (NONE, DEN, NUM_DEN, APART)


def test_count_adds_up_firms() -> None:
    inds = [INDICATORS["loan_refused"]]
    firms = [({"fin_loan_outcome": v}, {}) for v in ("refused", "granted_full", "pending")]
    assert ii.count(inds, firms) == {"loan_refused": {"numerator": 1, "denominator": 2,
                                                      "apart": 1}}
