"""The JSON Schemas of an assessment result (DESIGN §4), for both method versions.

Every field of method 2027.1 is described, and a result stored under method 2026.1 (without
capability, status, gap split, indicators or next steps) still validates.
"""

from __future__ import annotations

from typing import Any

from survey.api.schemas_answers import answers_schema
from survey.core.questionnaire import AREAS, LANGUAGES, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.results import AREA_STATUSES, GAP_SPLITS
from survey.core.scoring import PRIORITIES_2027

Schema = dict[str, Any]

SCORE: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 100}


def assessment_schemas() -> dict[str, Schema]:
    level = {"type": ["string", "null"]}
    share = {"type": "number", "minimum": 0, "maximum": 1}
    area = {
        "type": "object", "required": ["score", "level", "coverage", "environment"],
        "description": ("Method 2027.1: `score` over the applicable questions of the area, "
                        "internal and external alike, with `capability` (internal) and "
                        "`environment` (external) beside it, the gap split and the status "
                        "(`not_applicable`: no question of the area applies, every number "
                        "null). Method 2026.1 results: `score` over internal questions only; "
                        "fields it did not have are absent or null."),
        "properties": {"score": SCORE, "level": level, "coverage": share,
                       "capability": SCORE, "capability_coverage": share,
                       "environment": SCORE, "environment_coverage": share,
                       "gap_split": {"enum": [*GAP_SPLITS, None], "description": (
                           "Where the area's weighted gap (100 − score) comes from: external "
                           "questions ≥ 60 % mostly_external, ≤ 40 % mostly_internal, else "
                           "mixed; null when not scored or no gap.")},
                       "external_gap_share": {"type": ["number", "null"], "minimum": 0,
                                              "maximum": 1},
                       "status": {"enum": list(AREA_STATUSES)}},
    }
    next_step = {
        "type": "object", "required": ["id", "because"],
        "properties": {"id": {"type": "string"},
                       "because": {"type": "array", "items": {"type": "string"},
                                   "description": "The answered questions that called for "
                                                  "the step."}},
    }
    recommendation = {
        "type": "object", "required": ["id", "need", "priority", "drivers"],
        "properties": {
            "id": {"enum": list(RECOMMENDATIONS)}, "need": SCORE,
            "priority": {"enum": list(PRIORITIES_2027), "description": (
                "`not_applicable` (method 2027.1): no question linked to it applies to the "
                "firm.")},
            "rank": {"type": ["integer", "null"]},
            "tied": {"type": "boolean"},
            "coverage": share,
            "drivers": {"type": "array", "items": {"type": "string"}},
            "actionable_drivers": {"type": "array", "items": {"type": "string"}},
            "next_steps": {"type": "array", "items": next_step},
        },
    }
    benchmark = {
        "type": ["object", "null"],
        "description": "The SME among peers of the same method version: per score, the "
                       "percentile rank p (mid-rank: the SME is at the p-th percentile of the "
                       "peers with that score, p % of them lower with ties counted as half), "
                       "the peers' median and the number of peers with that score; a score "
                       "with fewer peers than the minimum is null. Null until the peer group "
                       "is large enough.",
        "properties": {"group": {"type": "string"}, "n": {"type": "integer", "minimum": 0},
                       "percentiles": {"type": "object",
                                       "additionalProperties": {"type": ["number", "null"]}},
                       "medians": {"type": "object",
                                   "additionalProperties": {"type": ["number", "null"]}},
                       "peers": {"type": "object",
                                 "additionalProperties": {"type": "integer", "minimum": 0}}},
    }
    return {
        "Assessment": {
            "type": "object",
            "required": ["id", "questionnaire_version", "method_version", "report_url",
                         "overall", "areas", "recommendations", "benchmark"],
            "properties": {
                "id": {"type": "string", "description": "The respondent's private token."},
                "questionnaire_version": {"type": "string"},
                "method_version": {"type": "string"},
                "report_url": {"type": "string", "format": "uri"},
                "overall": {"type": "object", "required": ["score", "level"],
                            "properties": {"score": SCORE, "level": level}},
                "areas": {"type": "object", "required": list(AREAS),
                          "properties": {a: area for a in AREAS}},
                "indicators": {
                    "type": "object",
                    "description": ("Method 2027.1: `credit_constraint`, the World Bank "
                                    "Enterprise Surveys class; empty for 2026.1 results."),
                    "properties": {"credit_constraint": {"enum": list(CREDIT_CLASSES)}},
                    "additionalProperties": {"type": "string"}},
                "recommendations": {"type": "array", "items": recommendation,
                                    "minItems": len(RECOMMENDATIONS),
                                    "maxItems": len(RECOMMENDATIONS)},
                "ignored": {"type": "array", "items": {"type": "string"},
                            "description": ("Questions answered although they did not apply "
                                            "(their answers were neither stored nor scored).")},
                "benchmark": benchmark,
            },
        },
        "AssessmentRequest": {
            "type": "object", "required": ["answers"],
            "properties": {"answers": answers_schema(),
                           "language": {"enum": list(LANGUAGES), "default": "en"}},
        },
    }
