"""Indicators beside the scores: the credit-constraint class (pure).

The class follows the World Bank Enterprise Surveys (Kuntchev et al., 2013): no need, not
constrained, partially or fully constrained. Which answers give which class is data — the
`[[indicators.credit_constraint]]` rules of the questionnaire, first match wins — so the
instrument and its classification change together, and a firm without the evidence for any
rule is honestly "unknown".
"""

from __future__ import annotations

from survey.core.conditions import Facts, holds
from survey.core.questionnaire.schema import Questionnaire

UNKNOWN = "unknown"


def credit_constraint(questionnaire: Questionnaire, facts: Facts) -> str:
    for rule in questionnaire.credit_rules:
        if holds(rule.when, facts):
            return rule.cls
    return UNKNOWN


def indicators(questionnaire: Questionnaire, facts: Facts) -> dict[str, str]:
    return {"credit_constraint": credit_constraint(questionnaire, facts)}
