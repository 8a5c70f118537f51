"""The scoring method: one SME's answers in, readiness, environment and needs out.

Pure by design — no Flask, no SQLAlchemy, no clock, no database — so the web app, the API, the
CLI and `rescore` give the same result for the same answers, and the method can be tested
exhaustively. Every threshold comes from the questionnaire's `[method]` table; the method is
documented in `docs/methodology.md`, which is generated from the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.core.answers import Answers, InvalidAnswers, validate
from survey.core.questionnaire.schema import AREAS, Question, Questionnaire

PRIORITIES: tuple[str, ...] = ("high", "medium", "low", "unknown")


def rounded(x: float | None) -> float | None:
    """Scores are kept to one decimal; every comparison uses the rounded value."""
    return None if x is None else round(x + 0.0, 1)


@dataclass(frozen=True)
class AreaResult:
    id: str
    score: float | None
    level: str | None
    coverage: float
    environment: float | None
    environment_coverage: float
    answered: int
    environment_answered: int


@dataclass(frozen=True)
class RecommendationResult:
    id: str
    need: float | None
    priority: str
    coverage: float
    rank: int | None
    tied: bool
    drivers: tuple[str, ...]
    actionable_drivers: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    questionnaire_version: str
    method_version: str
    overall_score: float | None
    overall_level: str | None
    areas: Mapping[str, AreaResult]
    recommendations: tuple[RecommendationResult, ...]
    question_scores: Mapping[str, float | None]

    def recommendation(self, rec_id: str) -> RecommendationResult:
        return next(r for r in self.recommendations if r.id == rec_id)


def question_score(q: Question, answer: Any) -> float | None:
    """0–100 for an answered scored question; None when unanswered, "don't know" or n/a."""
    if answer is None or not q.scored:
        return None
    chosen = answer if isinstance(answer, list) else [answer]
    options = [q.option(v) for v in chosen]
    if not options or any(o is None or o.is_skip for o in options):
        return None
    points = sum(o.points or 0.0 for o in options if o is not None)
    top = q.max_points
    if top <= 0:
        return None
    return min(points, top) / top * 100.0


def _share(part: float, whole: float) -> float:
    """part / whole, cleaned of float noise so that exactly half (0.7 + 0.1 of 1.6) is 0.5."""
    return round(part / whole, 9) if whole > 0 else 0.0


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if total > 0 else None


def _subscore(
    questionnaire: Questionnaire, questions: list[Question], scores: Mapping[str, float | None]
) -> tuple[float | None, float, int]:
    """Weighted mean of the answered questions, or None when too few were answered.

    "Too few" is fewer than `min_answered` questions (or all of them, when the area has fewer)
    or less than `min_weight_share` of the weight.
    """
    method = questionnaire.method
    answered = [(q.weight, s) for q in questions if (s := scores.get(q.id)) is not None]
    total_weight = sum(q.weight for q in questions)
    coverage = _share(sum(w for w, _ in answered), total_weight)
    enough = (
        len(answered) >= min(method.min_answered, len(questions))
        and coverage >= method.min_weight_share
        and answered
    )
    return (rounded(_weighted(answered)) if enough else None), round(coverage, 3), len(answered)


@dataclass(frozen=True)
class _Plan:
    """Which questions feed what: derived once per questionnaire, not once per assessment."""

    internal: Mapping[str, tuple[Question, ...]]
    external: Mapping[str, tuple[Question, ...]]
    linked: Mapping[str, tuple[Question, ...]]
    position: Mapping[str, int]


def _plan(questionnaire: Questionnaire) -> _Plan:
    cached: _Plan | None = questionnaire.__dict__.get("_scoring_plan")
    if cached is None:
        scored = questionnaire.scored_questions
        cached = _Plan(
            internal={a: tuple(q for q in scored if q.area == a and q.root_cause == "internal")
                      for a in AREAS},
            external={a: tuple(q for q in scored if q.area == a and q.root_cause == "external")
                      for a in AREAS},
            linked={r.id: tuple(q for q in scored if r.id in q.recommendations)
                    for r in questionnaire.recommendations},
            position={qid: i for i, qid in enumerate(questionnaire.questions)},
        )
        object.__setattr__(questionnaire, "_scoring_plan", cached)
    return cached


def assess(questionnaire: Questionnaire, answers: Answers, *, check: bool = True) -> Assessment:
    """Score one SME. With `check` (the default), invalid answers raise `InvalidAnswers`.

    Required questions are not enforced here: scoring a partial set of answers is legitimate
    (the method turns too few answers into `null`), enforcing completeness is the form's job.
    """
    if check:
        v = validate(questionnaire, answers, require=False)
        if not v.ok:
            raise InvalidAnswers(v.problems)
        answers = v.answers
    scores = {q.id: question_score(q, answers.get(q.id)) for q in questionnaire.scored_questions}

    plan = _plan(questionnaire)
    areas: dict[str, AreaResult] = {}
    for area in AREAS:
        score, cov, n = _subscore(questionnaire, list(plan.internal[area]), scores)
        env, env_cov, env_n = _subscore(questionnaire, list(plan.external[area]), scores)
        level = questionnaire.level_for(score)
        areas[area] = AreaResult(area, score, level.id if level else None, cov, env, env_cov,
                                 n, env_n)

    area_scores = [a.score for a in areas.values()]
    overall = (rounded(sum(area_scores) / len(area_scores))  # type: ignore[arg-type]
               if all(s is not None for s in area_scores) else None)
    overall_level = questionnaire.level_for(overall)

    recs = _recommendations(questionnaire, scores, areas)
    return Assessment(
        questionnaire_version=questionnaire.version,
        method_version=questionnaire.method_version,
        overall_score=overall,
        overall_level=overall_level.id if overall_level else None,
        areas=areas,
        recommendations=recs,
        question_scores=scores,
    )


def priority_for(questionnaire: Questionnaire, need: float | None) -> str:
    m = questionnaire.method
    if need is None:
        return "unknown"
    if need >= m.priority_high:
        return "high"
    if need >= m.priority_medium:
        return "medium"
    return "low"


def _recommendations(
    questionnaire: Questionnaire,
    scores: Mapping[str, float | None],
    areas: Mapping[str, AreaResult],
) -> tuple[RecommendationResult, ...]:
    method = questionnaire.method
    plan = _plan(questionnaire)
    drafts = []
    for position, rec in enumerate(questionnaire.recommendations):
        linked = plan.linked[rec.id]
        answered = [(q, s) for q in linked if (s := scores.get(q.id)) is not None]
        total = sum(q.weight for q in linked)
        coverage = _share(sum(q.weight for q, _ in answered), total)
        need = None
        if answered and coverage >= method.need_min_weight_share:
            need = rounded(_weighted([(q.weight, 100.0 - s) for q, s in answered]))
        gaps = sorted(
            ((q, 100.0 - s) for q, s in answered if s < 100.0),
            key=lambda qg: (-qg[1], -qg[0].weight, plan.position[qg[0].id]),
        )
        drivers = tuple(q.id for q, _ in gaps[: method.drivers_max])
        actionable = tuple(q.id for q, _ in gaps if q.root_cause == "internal")
        primary = areas[rec.primary_area].score
        key = (
            need is None,
            -(need or 0.0),
            primary if primary is not None else float("inf"),
            -coverage,
            position,
        )
        drafts.append((key, rec.id, need, round(coverage, 3), drivers,
                       actionable[: method.drivers_max]))
    drafts.sort(key=lambda d: d[0])
    needs = [d[2] for d in drafts]
    results = []
    for _, rec_id, need, coverage, drivers, actionable in drafts:
        rank = None if need is None else 1 + sum(1 for n in needs if n is not None and n > need)
        tied = need is not None and sum(1 for n in needs if n == need) > 1
        results.append(RecommendationResult(
            id=rec_id, need=need, priority=priority_for(questionnaire, need), coverage=coverage,
            rank=rank, tied=tied, drivers=drivers, actionable_drivers=actionable,
        ))
    return tuple(results)


def assessment_json(
    a: Assessment,
    *,
    id: str | None = None,
    report_url: str | None = None,
    benchmark: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The public assessment JSON of DESIGN.md §4. Fields may be added, never changed."""
    return {
        "id": id,
        "questionnaire_version": a.questionnaire_version,
        "method_version": a.method_version,
        "report_url": report_url,
        "overall": {"score": a.overall_score, "level": a.overall_level},
        "areas": {
            area.id: {
                "score": area.score,
                "level": area.level,
                "coverage": area.coverage,
                "environment": area.environment,
                "environment_coverage": area.environment_coverage,
            }
            for area in a.areas.values()
        },
        "recommendations": [
            {
                "id": r.id,
                "need": r.need,
                "priority": r.priority,
                "rank": r.rank,
                "tied": r.tied,
                "coverage": r.coverage,
                "drivers": list(r.drivers),
                "actionable_drivers": list(r.actionable_drivers),
            }
            for r in a.recommendations
        ],
        "benchmark": dict(benchmark) if benchmark is not None else None,
    }


def assessment_from_json(data: Mapping[str, Any]) -> Assessment:
    """Rebuild an assessment from its stored JSON (as scored then, not as scored now)."""
    areas = {
        aid: AreaResult(aid, v["score"], v["level"], v["coverage"], v["environment"],
                        v.get("environment_coverage", 0.0), 0, 0)
        for aid, v in data["areas"].items()
    }
    recs = tuple(
        RecommendationResult(r["id"], r["need"], r["priority"], r.get("coverage", 0.0),
                             r.get("rank"), r.get("tied", False), tuple(r["drivers"]),
                             tuple(r.get("actionable_drivers", ())))
        for r in data["recommendations"]
    )
    return Assessment(data["questionnaire_version"], data["method_version"],
                      data["overall"]["score"], data["overall"]["level"], areas, recs, {})
