"""An assessment as values, and as the public JSON of DESIGN.md §4 (pure).

The JSON is a contract: fields may be added, existing ones keep their meaning. Method 2027.1
added capability, the gap split, area status, indicators, next steps and ignored answers; a
result stored by method 2026.1 lacks them and still reads back (`assessment_from_json`), with
the new fields empty rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

AREA_STATUSES: tuple[str, ...] = ("scored", "insufficient", "not_applicable")
GAP_SPLITS: tuple[str, ...] = ("mostly_external", "mixed", "mostly_internal")


@dataclass(frozen=True)
class AreaResult:
    """One challenge area. `score` is over the questions of `Method.score_roots`."""

    id: str
    score: float | None
    level: str | None
    coverage: float
    environment: float | None
    environment_coverage: float
    answered: int
    environment_answered: int
    capability: float | None = None
    capability_coverage: float = 0.0
    capability_answered: int = 0
    gap_split: str | None = None
    external_gap_share: float | None = None
    status: str = "scored"


@dataclass(frozen=True)
class NextStepResult:
    """A next step shown to the firm, and the answered questions that called for it."""

    id: str
    because: tuple[str, ...]


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
    next_steps: tuple[NextStepResult, ...] = ()


@dataclass(frozen=True)
class ScoredAssessment:
    questionnaire_version: str
    method_version: str
    overall_score: float | None
    overall_level: str | None
    areas: Mapping[str, AreaResult]
    recommendations: tuple[RecommendationResult, ...]
    question_scores: Mapping[str, float | None]
    indicators: Mapping[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()

    def recommendation(self, rec_id: str) -> RecommendationResult:
        return next(r for r in self.recommendations if r.id == rec_id)


def _area_json(area: AreaResult) -> dict[str, Any]:
    return {
        "score": area.score,
        "level": area.level,
        "coverage": area.coverage,
        "capability": area.capability,
        "capability_coverage": area.capability_coverage,
        "environment": area.environment,
        "environment_coverage": area.environment_coverage,
        "gap_split": area.gap_split,
        "external_gap_share": area.external_gap_share,
        "status": area.status,
    }


def _recommendation_json(r: RecommendationResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "need": r.need,
        "priority": r.priority,
        "rank": r.rank,
        "tied": r.tied,
        "coverage": r.coverage,
        "drivers": list(r.drivers),
        "actionable_drivers": list(r.actionable_drivers),
        "next_steps": [{"id": s.id, "because": list(s.because)} for s in r.next_steps],
    }


def assessment_json(
    a: ScoredAssessment,
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
        "areas": {area.id: _area_json(area) for area in a.areas.values()},
        "indicators": dict(a.indicators),
        "recommendations": [_recommendation_json(r) for r in a.recommendations],
        "ignored": list(a.ignored),
        "benchmark": dict(benchmark) if benchmark is not None else None,
    }


def _area_from_json(aid: str, v: Mapping[str, Any]) -> AreaResult:
    status = v.get("status") or ("scored" if v.get("score") is not None else "insufficient")
    return AreaResult(
        aid, v["score"], v["level"], v["coverage"], v["environment"],
        v.get("environment_coverage", 0.0), 0, 0,
        capability=v.get("capability"), capability_coverage=v.get("capability_coverage", 0.0),
        gap_split=v.get("gap_split"), external_gap_share=v.get("external_gap_share"),
        status=status,
    )


def _recommendation_from_json(r: Mapping[str, Any]) -> RecommendationResult:
    steps = tuple(NextStepResult(s["id"], tuple(s.get("because", ())))
                  for s in r.get("next_steps", ()) if isinstance(s, Mapping))
    return RecommendationResult(
        r["id"], r["need"], r["priority"], r.get("coverage", 0.0), r.get("rank"),
        r.get("tied", False), tuple(r["drivers"]), tuple(r.get("actionable_drivers", ())),
        steps,
    )


def assessment_from_json(data: Mapping[str, Any]) -> ScoredAssessment:
    """Rebuild an assessment from its stored JSON (as scored then, not as scored now).

    Reads results of method 2026.1 (no capability, status, indicators or next steps: those
    read as empty, and an area's status follows from whether it had a score) and of 2027.1.
    """
    return ScoredAssessment(
        data["questionnaire_version"], data["method_version"],
        data["overall"]["score"], data["overall"]["level"],
        {aid: _area_from_json(aid, v) for aid, v in data["areas"].items()},
        tuple(_recommendation_from_json(r) for r in data["recommendations"]),
        {},
        indicators=dict(data.get("indicators") or {}),
        ignored=tuple(data.get("ignored") or ()),
    )
