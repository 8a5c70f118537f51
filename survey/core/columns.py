"""The flat aggregation columns stored beside each assessment's full JSON result (pure).

Every dashboard number is a GROUP BY over these indexed columns, so the web submit, the API,
`rescore` and the demo seed must all write them the same way: from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey.core.profile import derived_profile
from survey.core.questionnaire.schema import RECOMMENDATIONS
from survey.core.scoring import ScoredAssessment, assessment_json

PROFILE_COLUMNS: tuple[str, ...] = (
    "industry", "employees", "revenue", "revenue_band", "assets_band", "size_class", "province",
    "region", "ownership", "export_status",
)


def scored_columns(scored: ScoredAssessment) -> dict[str, Any]:
    """The flat aggregation columns of an assessment row."""
    cols: dict[str, Any] = {
        "overall_score": scored.overall_score,
        "overall_level": scored.overall_level,
        "method_version": scored.method_version,
        "questionnaire_version": scored.questionnaire_version,
        "result": assessment_json(scored),
    }
    for area in scored.areas.values():
        cols[f"{area.id}_score"] = area.score
        cols[f"{area.id}_env"] = area.environment
        cols[f"{area.id}_capability"] = area.capability
        cols[f"{area.id}_status"] = area.status
        cols[f"{area.id}_gap"] = area.gap_split
    cols["credit_constraint"] = scored.indicators.get("credit_constraint")
    for rec in scored.recommendations:
        cols[f"need_{rec.id}"] = rec.need
        cols[f"priority_{rec.id}"] = rec.priority
    assert set(RECOMMENDATIONS) <= {r.id for r in scored.recommendations}
    return cols


def profile_columns(answers: Mapping[str, Any]) -> dict[str, str | None]:
    """The profile columns of an assessment row, every one present (None when not asked): the
    2026.1 employee band or the 2027.1 head count (as text, e.g. "35"), the bands, the size
    class and region derived from them."""
    profile = derived_profile(answers)
    out: dict[str, str | None] = {}
    for key in PROFILE_COLUMNS:
        value = profile.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = None if value is None else str(value)
    return out
