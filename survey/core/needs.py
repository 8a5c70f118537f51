"""Needs for the five recommendations: need, priority, order, drivers and next steps (pure).

A need reads only the questions linked to a recommendation that apply to the firm, so a firm
that does not export is never told it needs cross-border e-commerce support on the strength
of questions it was not asked. Next steps are data with conditions; each shown step carries the
answered questions its condition read, so the report can say why it is there.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from survey.core.conditions import evaluate
from survey.core.points import rounded, share, weighted_mean
from survey.core.questionnaire.schema import Question, Questionnaire, Recommendation
from survey.core.results import AreaResult, NextStepResult, RecommendationResult
from survey.core.rounding import half_up
from survey.core.routing import AnswerFacts

# 2026.1's priorities; the stored counts and the stats API enumerate these.
PRIORITIES: tuple[str, ...] = ("high", "medium", "low", "unknown")
# Method 2027.1 adds one for a recommendation none of whose questions apply to the firm.
PRIORITIES_2027: tuple[str, ...] = (*PRIORITIES, "not_applicable")
KNOWN_PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
"""The priorities whose shares are among the firms with a known priority."""


def priority_for(questionnaire: Questionnaire, need: float | None) -> str:
    m = questionnaire.method
    if need is None:
        return "unknown"
    if need >= m.priority_high:
        return "high"
    if need >= m.priority_medium:
        return "medium"
    return "low"


@dataclass(frozen=True)
class _Draft:
    key: tuple[bool, bool, float, float, float, int]
    result: RecommendationResult


def next_steps(questionnaire: Questionnaire, rec: Recommendation,
               facts: AnswerFacts) -> tuple[NextStepResult, ...]:
    """The first `next_steps_max` steps whose `when` holds, each with its "because"."""
    shown: list[NextStepResult] = []
    for step in rec.steps:
        if len(shown) >= questionnaire.method.next_steps_max:
            break
        if step.when is None:
            shown.append(NextStepResult(step.id, ()))
            continue
        ok, read = evaluate(step.when, facts)
        if ok:
            because = tuple(qid for qid in read if facts.answer(qid) is not None)
            shown.append(NextStepResult(step.id, because))
    return tuple(shown)


def _draft(questionnaire: Questionnaire, rec: Recommendation, position: int,
           linked: tuple[Question, ...], scores: Mapping[str, float | None],
           applicable: Collection[str], areas: Mapping[str, AreaResult], facts: AnswerFacts,
           order: Mapping[str, int]) -> _Draft:
    method = questionnaire.method
    linked = tuple(q for q in linked if q.id in applicable)
    answered = [(q, s) for q in linked if (s := scores.get(q.id)) is not None]
    coverage = share(sum(q.weight for q, _ in answered), sum(q.weight for q in linked))
    need = None
    if answered and coverage >= method.need_min_weight_share:
        need = rounded(weighted_mean([(q.weight, 100.0 - s) for q, s in answered]))
    gaps = sorted(((q, 100.0 - s) for q, s in answered if s < 100.0),
                  key=lambda qg: (-qg[1], -qg[0].weight, order[qg[0].id]))
    drivers = tuple(q.id for q, _ in gaps[: method.drivers_max])
    actionable = tuple(q.id for q, _ in gaps if q.root_cause == "internal")
    inapplicable = not linked
    priority = "not_applicable" if inapplicable else priority_for(questionnaire, need)
    steps = () if inapplicable else next_steps(questionnaire, rec, facts)
    primary = areas[rec.primary_area].score
    key = (need is None, inapplicable, -(need or 0.0),
           primary if primary is not None else float("inf"), -coverage, position)
    return _Draft(key, RecommendationResult(
        id=rec.id, need=need, priority=priority, coverage=half_up(coverage, 3), rank=None,
        tied=False, drivers=drivers, actionable_drivers=actionable[: method.drivers_max],
        next_steps=steps))


def recommendations(
    questionnaire: Questionnaire,
    linked: Mapping[str, tuple[Question, ...]],
    scores: Mapping[str, float | None],
    applicable: Collection[str],
    areas: Mapping[str, AreaResult],
    facts: AnswerFacts,
) -> tuple[RecommendationResult, ...]:
    """All five, ordered by need (one decimal), the weaker primary area, coverage, report order.

    Unknown needs follow the known ones, and recommendations that do not apply come last;
    equal needs share a rank and are marked tied.
    """
    order = {qid: i for i, qid in enumerate(questionnaire.questions)}
    drafts = sorted(
        (_draft(questionnaire, rec, i, linked[rec.id], scores, applicable, areas, facts, order)
         for i, rec in enumerate(questionnaire.recommendations)),
        key=lambda d: d.key)
    needs = [d.result.need for d in drafts]
    out = []
    for d in drafts:
        need = d.result.need
        rank = None if need is None else 1 + sum(1 for n in needs if n is not None and n > need)
        tied = need is not None and needs.count(need) > 1
        out.append(replace(d.result, rank=rank, tied=tied))
    return tuple(out)
