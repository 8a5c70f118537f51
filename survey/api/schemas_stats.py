"""The JSON Schema of GET /api/v1/stats: the shape `survey.queries.summary_stats` documents.

Kept apart from `openapi.py` because it mirrors another module's contract; the schemathesis
run checks real responses against it, so a change of shape there fails a test here.
"""

from __future__ import annotations

from typing import Any

from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.scoring import PRIORITIES

Schema = dict[str, Any]

COUNT: Schema = {"type": ["integer", "null"], "minimum": 0}
INTERVAL: Schema = {"type": ["array", "null"], "items": {"type": "number"},
                    "minItems": 2, "maxItems": 2}

MEAN: Schema = {
    "type": "object",
    "description": "A mean with its 95 % interval; every field null when suppressed.",
    "required": ["n", "mean", "ci", "low_precision"],
    "properties": {"n": COUNT, "mean": {"type": ["number", "null"]}, "ci": INTERVAL,
                   "low_precision": {"type": ["boolean", "null"]}},
}
SHARE: Schema = {
    "type": "object",
    "description": "A count and its share (a fraction) with a Wilson 95 % interval.",
    "required": ["count", "share", "ci"],
    "properties": {"count": COUNT,
                   "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                   "ci": INTERVAL},
}
AREA: Schema = {
    "type": "object",
    "description": ("Among the SMEs the area applies to (method 2027.1: overseas markets does "
                    "not apply to firms with no export activity or plans). `suppressed`: "
                    "fewer than PRIVACY_MIN_GROUP have this score, every number null."),
    "required": ["n", "mean", "ci", "low_precision", "environment", "levels"],
    "properties": {**MEAN["properties"], "suppressed": {"type": "boolean"},
                   "applicable": COUNT, "not_applicable": COUNT,
                   "capability": MEAN, "environment": MEAN,
                   "levels": {"type": "object", "additionalProperties": SHARE,
                              "description": "Share of scored SMEs at or above each level."}},
}
RECOMMENDATION_DEMAND: Schema = {
    "type": "object",
    "description": ("`n` SMEs the recommendation applies to; `not_applicable` more SMEs it "
                    "does not apply to (method 2027.1). High, medium and low are shares of "
                    "the `known` SMEs whose priority is known; `unknown` is a share of the `n`. "
                    "`suppressed` when `known` is under PRIVACY_MIN_GROUP."),
    "required": ["n", *PRIORITIES],
    "properties": {"n": COUNT, "not_applicable": COUNT, "known": COUNT,
                   "suppressed": {"type": "boolean"},
                   **{p: SHARE for p in PRIORITIES}},
}
CLASS_SHARES: Schema = {
    "type": "object",
    "required": ["n", "suppressed", "classes"],
    "properties": {
        "key": {"type": ["string", "null"]},
        "n": COUNT,
        "suppressed": {"type": "boolean"},
        "low_precision": {"type": ["boolean", "null"]},
        "classes": {"type": "object", "required": list(CREDIT_CLASSES),
                    "properties": {c: SHARE for c in CREDIT_CLASSES},
                    "additionalProperties": False},
    },
}
CREDIT_CONSTRAINT: Schema = {
    "type": "object",
    "description": ("Credit-constraint classes (World Bank Enterprise Surveys) among the `n` "
                    "SMEs that have one (method 2027.1), overall and `by_size`; "
                    "`unclassified` SMEs (scored by method 2026.1) are in no share."),
    "required": [*CLASS_SHARES["required"], "unclassified", "by_size"],
    "properties": {**CLASS_SHARES["properties"], "unclassified": COUNT,
                   "by_size": {"type": "array", "items": CLASS_SHARES}},
}
GROUP: Schema = {
    "type": "object",
    "required": ["key", "n", "suppressed", "overall", "areas", "high_priority"],
    "properties": {
        "key": {"type": ["string", "integer", "null"]},
        "n": COUNT,
        "suppressed": {"type": "boolean"},
        "low_precision": {"type": ["boolean", "null"]},
        "overall": MEAN,
        "areas": {"type": "object", "properties": {a: MEAN for a in AREAS}},
        "high_priority": {"type": "object", "properties": {r: SHARE for r in RECOMMENDATIONS}},
    },
}

STATS_SCHEMA: Schema = {
    "type": "object",
    "description": ("Aggregates over the filtered, submitted assessments. A group smaller "
                    "than PRIVACY_MIN_GROUP (or one that would reveal such a group) has "
                    "`suppressed: true` and null numbers; when the whole selection is that "
                    "small, `suppressed` is true at the top and only n and demo_n are given."),
    "required": ["n", "demo_n", "min_group", "suppressed", "filters", "overall", "areas",
                 "recommendations", "segments"],
    "properties": {
        "n": {"type": "integer", "minimum": 0},
        "demo_n": {"type": "integer", "minimum": 0},
        "min_group": {"type": "integer"},
        "suppressed": {"type": "boolean"},
        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
        "starters": {"type": "object", "properties": {
            "available": {"type": "boolean"}, "drafts": COUNT, "submitted": COUNT,
            "dropout_among_starters": {"oneOf": [SHARE, {"type": "null"}]}}},
        "median_duration_seconds": {"type": ["number", "null"]},
        "median_duration_estimated": {"type": "boolean"},
        "overall": MEAN,
        "areas": {"type": "object", "properties": {a: AREA for a in AREAS},
                  "additionalProperties": False},
        "recommendations": {"type": "object",
                            "properties": {r: RECOMMENDATION_DEMAND for r in RECOMMENDATIONS},
                            "additionalProperties": False},
        "credit_constraint": CREDIT_CONSTRAINT,
        "segments": {"type": "object", "additionalProperties": {"type": "array",
                                                                "items": GROUP}},
    },
}
