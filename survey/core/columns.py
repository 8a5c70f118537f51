"""The flat aggregation columns stored beside each assessment's full JSON result (pure).

Every dashboard number is a GROUP BY over these indexed columns, so the web submit, the API,
`rescore` and the demo seed must all write them the same way: from here.
"""

from __future__ import annotations

from typing import Any

from survey.core.questionnaire.schema import RECOMMENDATIONS
from survey.core.scoring import Assessment, assessment_json


def scored_columns(scored: Assessment) -> dict[str, Any]:
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
    for rec in scored.recommendations:
        cols[f"need_{rec.id}"] = rec.need
        cols[f"priority_{rec.id}"] = rec.priority
    assert set(RECOMMENDATIONS) <= {r.id for r in scored.recommendations}
    return cols
