"""The scoring method: one SME's answers in, area scores, indicators and needs out.

Pure by design — no Flask, no SQLAlchemy, no clock, no database — so the web app, the API, the
CLI and `rescore` give the same result for the same answers, and the method can be tested
exhaustively. Every threshold comes from the questionnaire's `[method]` table; the method is
documented in `docs/methodology.md`, which is generated from the same data.

Two methods are implemented, chosen by the questionnaire's `method_version`, so a stored
assessment can always be reproduced as it was scored: 2026.1 scores an area over its internal
questions; 2027.1 over its applicable internal and external questions alike, with capability
(internal), environment (external) and the gap split beside it, `not_applicable` areas and
needs, and next steps and the credit-constraint class from conditions in the data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from survey.core.answers import Answers, InvalidAnswers, validate
from survey.core.indicators import indicators
from survey.core.needs import PRIORITIES, PRIORITIES_2027, priority_for, recommendations
from survey.core.points import question_score, rounded, share, weighted_mean
from survey.core.questionnaire.schema import AREAS, Question, Questionnaire
from survey.core.results import (
    AreaResult,
    NextStepResult,
    RecommendationResult,
    ScoredAssessment,
    assessment_from_json,
    assessment_json,
)
from survey.core.rounding import half_up
from survey.core.routing import AnswerFacts, route

__all__ = [
    "PRIORITIES", "PRIORITIES_2027", "AreaResult", "ScoredAssessment", "NextStepResult",
    "RecommendationResult", "assess", "assessment_from_json", "assessment_json",
    "priority_for", "question_score", "rounded",
]


@dataclass(frozen=True)
class _Group:
    score: float | None
    coverage: float
    answered: int


def _subscore(questionnaire: Questionnaire, questions: Sequence[Question],
              scores: Mapping[str, float | None]) -> _Group:
    """Weighted mean of the answered questions, or None when too few were answered.

    "Too few" is fewer than `min_answered` questions (or all of them, when the group has fewer)
    or less than `min_weight_share` of the weight.
    """
    method = questionnaire.method
    answered = [(q.weight, s) for q in questions if (s := scores.get(q.id)) is not None]
    coverage = share(sum(w for w, _ in answered), sum(q.weight for q in questions))
    enough = (
        answered
        and len(answered) >= min(method.min_answered, len(questions))
        and coverage >= method.min_weight_share
    )
    return _Group(rounded(weighted_mean(answered)) if enough else None, half_up(coverage, 3),
                  len(answered))


@dataclass(frozen=True)
class _Plan:
    """Which questions feed what: derived once per questionnaire, not once per assessment."""

    by_area: Mapping[str, tuple[Question, ...]]
    linked: Mapping[str, tuple[Question, ...]]


def _plan(questionnaire: Questionnaire) -> _Plan:
    cached: _Plan | None = questionnaire.__dict__.get("_scoring_plan")
    if cached is None:
        scored = questionnaire.scored_questions
        cached = _Plan(
            by_area={a: tuple(q for q in scored if q.area == a) for a in AREAS},
            linked={r.id: tuple(q for q in scored if r.id in q.recommendations)
                    for r in questionnaire.recommendations},
        )
        object.__setattr__(questionnaire, "_scoring_plan", cached)
    return cached


def _gap_split(questionnaire: Questionnaire, questions: Sequence[Question],
               scores: Mapping[str, float | None]) -> tuple[str | None, float | None]:
    """Σ_ext w·(100 − s) / Σ_all w·(100 − s) over the answered questions, and its label."""
    gaps = [(q, q.weight * (100.0 - s)) for q in questions if (s := scores.get(q.id)) is not None]
    total = sum(g for _, g in gaps)
    if total <= 0:
        return None, None
    external = share(sum(g for q, g in gaps if q.root_cause == "external"), total)
    m = questionnaire.method
    if external >= m.gap_mostly_external:
        return "mostly_external", half_up(external, 3)
    if external <= m.gap_mostly_internal:
        return "mostly_internal", half_up(external, 3)
    return "mixed", half_up(external, 3)


def _area(questionnaire: Questionnaire, area: str, scores: Mapping[str, float | None],
          applicable: Collection[str]) -> AreaResult:
    questions = [q for q in _plan(questionnaire).by_area[area] if q.id in applicable]
    if not questions:
        return AreaResult(area, None, None, 0.0, None, 0.0, 0, 0, status="not_applicable")
    roots = questionnaire.method.score_roots
    main = _subscore(questionnaire, [q for q in questions if q.root_cause in roots], scores)
    cap = _subscore(questionnaire, [q for q in questions if q.root_cause == "internal"], scores)
    env = _subscore(questionnaire, [q for q in questions if q.root_cause == "external"], scores)
    split, external_share = (None, None) if main.score is None else _gap_split(
        questionnaire, questions, scores)
    level = questionnaire.level_for(main.score)
    return AreaResult(
        area, main.score, level.id if level else None, main.coverage, env.score, env.coverage,
        main.answered, env.answered, capability=cap.score, capability_coverage=cap.coverage,
        capability_answered=cap.answered, gap_split=split, external_gap_share=external_share,
        status="insufficient" if main.score is None else "scored",
    )


def _overall(questionnaire: Questionnaire, areas: Mapping[str, AreaResult]) -> float | None:
    """Mean of the applicable areas' scores: null unless all are scored and enough apply."""
    applicable = [a.score for a in areas.values() if a.status != "not_applicable"]
    if len(applicable) < questionnaire.method.overall_min_areas:
        return None
    known = [s for s in applicable if s is not None]
    return rounded(sum(known) / len(known)) if len(known) == len(applicable) else None


def _merge_ignored(questionnaire: Questionnaire, *groups: Sequence[str]) -> tuple[str, ...]:
    found = {qid for group in groups for qid in group}
    return tuple(qid for qid in questionnaire.questions if qid in found)


def assess(questionnaire: Questionnaire, answers: Answers, *, check: bool = True,
           ignored: Sequence[str] = ()) -> ScoredAssessment:
    """Score one SME. With `check` (the default), invalid answers raise `InvalidAnswers`.

    Required questions are not enforced here: scoring a partial set of answers is legitimate
    (the method turns too few answers into `null`), enforcing completeness is the form's job.
    Answers to questions that do not apply are left out and listed in `ignored`, together with
    any the caller's own validation already set aside (`ignored=`).
    """
    if check:
        v = validate(questionnaire, answers, require=False)
        if not v.ok:
            raise InvalidAnswers(v.problems)
        answers, ignored = v.answers, (*ignored, *v.ignored)
    routed = route(questionnaire, answers)
    applicable = set(questionnaire.questions) - set(routed.not_applicable)
    scores = {q.id: question_score(q, routed.answers.get(q.id))
              for q in questionnaire.scored_questions}
    areas = {area: _area(questionnaire, area, scores, applicable) for area in AREAS}
    overall = _overall(questionnaire, areas)
    overall_level = questionnaire.level_for(overall)
    facts = AnswerFacts(routed.answers, questionnaire.questions)
    recs = recommendations(questionnaire, _plan(questionnaire).linked, scores, applicable,
                           areas, facts)
    return ScoredAssessment(
        questionnaire_version=questionnaire.version,
        method_version=questionnaire.method_version,
        overall_score=overall,
        overall_level=overall_level.id if overall_level else None,
        areas=areas,
        recommendations=recs,
        question_scores=scores,
        indicators=indicators(questionnaire, facts),
        ignored=_merge_ignored(questionnaire, ignored, routed.ignored),
        not_applicable=routed.not_applicable,
    )

