"""The JSON Schema of GET /api/v1/indicators: the shape `survey.queries.indicators.table_json`
writes.

Kept apart from `openapi.py` like the stats schema; the schemathesis run and
tests/api/test_openapi.py check real responses against it.
"""

from __future__ import annotations

from typing import Any

from survey.core.item_indicators import BY_DIMENSIONS

Schema = dict[str, Any]

_COUNT: Schema = {"type": ["integer", "null"], "minimum": 0}
_KEY: Schema = {"type": ["string", "integer", "null"]}

CELL: Schema = {
    "type": "object",
    "description": ("One indicator in one segment (`key` \"all\" for the total, null for "
                    "\"not stated\"): `count` of `n` firms in the denominator, the `share` "
                    "(a fraction) with its Wilson 95 % `interval`, and `apart` — firms asked "
                    "whose answer is in no denominator (\"don't know\", \"still waiting\"). "
                    "Suppressed (own n under PRIVACY_MIN_GROUP, or protecting another cell, "
                    "or the relaxation rule): every number null."),
    "required": ["key", "n", "count", "share", "interval", "apart", "suppressed",
                 "low_precision"],
    "properties": {
        "key": _KEY, "n": _COUNT, "count": _COUNT,
        "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "interval": {"type": ["array", "null"], "items": {"type": "number"},
                     "minItems": 2, "maxItems": 2},
        "apart": _COUNT, "suppressed": {"type": "boolean"},
        "low_precision": {"type": ["boolean", "null"]},
    },
}

_CODES: Schema = {"type": "array", "items": {"type": "string"}}

INDICATOR: Schema = {
    "type": "object",
    "description": ("One indicator: what it counts (`label`) among whom (`among`), from which "
                    "answer (`source`: a question id, or \"column:<name>\" for a stored "
                    "classification), and which answer codes make the numerator, the "
                    "denominator (null for a multi-select: every firm that answered) and "
                    "those reported apart."),
    "required": ["id", "group", "label", "among", "source", "multi", "numerator",
                 "denominator", "apart", "total", "by_segment"],
    "properties": {
        "id": {"type": "string"}, "group": {"type": "string"}, "label": {"type": "string"},
        "among": {"type": "string"}, "source": {"type": "string"},
        "multi": {"type": "boolean"}, "numerator": _CODES,
        "denominator": {"type": ["array", "null"], "items": {"type": "string"}},
        "apart": _CODES, "total": CELL, "by_segment": {"type": "array", "items": CELL},
    },
}

INDICATORS_SCHEMA: Schema = {
    "type": "object",
    "required": ["n", "by", "min_group", "filters", "segments", "groups", "indicators"],
    "properties": {
        "n": {"type": "integer", "minimum": 0},
        "by": {"enum": list(BY_DIMENSIONS)},
        "min_group": {"type": "integer"},
        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
        "segments": {"type": "array", "items": _KEY},
        "groups": {"type": "array", "items": {
            "type": "object", "required": ["id", "title"],
            "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}},
        "indicators": {"type": "array", "items": INDICATOR},
    },
}
