"""The OpenAPI 3.1 description of /api/v1, generated in code from the live questionnaire.

Generated, not hand-written YAML, so it cannot drift from the code: the request schema for
answers lists the current questionnaire's question ids, option values and number ranges, the
enumerations of areas, recommendations and levels come from the same constants the scorer
uses, and the tests validate the document and fuzz the API from it (schemathesis).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from survey.api.idempotency import MAX_KEY_LENGTH
from survey.api.schemas_stats import STATS_SCHEMA
from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.questionnaire import (
    AREAS,
    LANGUAGES,
    RECOMMENDATIONS,
    Question,
    load_questionnaire,
)
from survey.core.questionnaire.schema import OPTION_KINDS, QUESTION_TYPES, ROOT_CAUSES
from survey.core.scoring import PRIORITIES
from survey.queries.filters import DEMO_CHOICES, EXPORT_STATUSES, MONTH

Schema = dict[str, Any]

NULLABLE_NUMBER: Schema = {"type": ["number", "null"]}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
SCORE: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 100}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Schema, description: str, headers: dict[str, Any] | None = None) -> Schema:
    out: Schema = {"description": description,
                   "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _error(description: str, headers: dict[str, Any] | None = None) -> Schema:
    return _json(_ref("Error"), description, headers)


def answer_schema(q: Question) -> Schema:
    """What one question accepts, as JSON Schema; null (unanswered) only where optional.

    Exact enough that every schema-valid set of answers is accepted — the fuzzer holds us to
    that — including the rule that an exclusive option ("none of these", "don't know") stands
    alone in a multi-select."""
    optional = not q.required or q.show_if is not None
    values = [o.value for o in q.options]
    schema: Schema
    if q.type == "single":
        schema = {"type": "string", "enum": values}
    elif q.type == "multi":
        alone = [o.value for o in q.options if o.exclusive or o.is_skip]
        schema = {"type": "array", "items": {"type": "string", "enum": values},
                  "uniqueItems": True, "minItems": 1}
        if alone:
            schema["anyOf"] = [{"not": {"contains": {"enum": alone}}}, {"maxItems": 1}]
    elif q.type == "number":
        schema = {"type": "integer" if q.integer else "number"}
        if q.min is not None:
            schema["minimum"] = q.min
        if q.max is not None:
            schema["maximum"] = q.max
    else:
        schema = {"type": "string", "pattern": "\\S"}
        if q.max_length is not None:
            schema["maxLength"] = q.max_length
    if optional:
        return {"anyOf": [schema, {"type": "null"}, *([{"const": ""}, {"const": []}]
                                                      if q.type in ("single", "multi")
                                                      else [])]}
    return schema


def _follow_up_rule(q: Question) -> Schema:
    """A required follow-up must be answered when its `show_if` holds."""
    assert q.show_if is not None
    shown = list(q.show_if.values)
    trigger: Schema = {"anyOf": [{"enum": shown}, {"type": "array",
                                                   "contains": {"enum": shown}}]}
    return {"if": {"properties": {q.show_if.question: trigger},
                   "required": [q.show_if.question]},
            "then": {"properties": {q.id: {"not": {"enum": [None, "", []]}}},
                     "required": [q.id]}}


def answers_schema() -> Schema:
    q = load_questionnaire()
    required = [qid for qid, question in q.questions.items()
                if question.required and question.show_if is None]
    rules = [_follow_up_rule(question) for question in q.questions.values()
             if question.required and question.show_if is not None]
    schema: Schema = {
        "type": "object",
        "description": ("Answers keyed by question id: a string (single), a list of strings "
                        "(multi), a number, or a string (text). Required questions must be "
                        "answered; a follow-up with `show_if` only when its condition holds "
                        "(and is ignored otherwise)."),
        "properties": {qid: answer_schema(question) for qid, question in q.questions.items()},
        "required": required,
        "additionalProperties": False,
    }
    if rules:
        schema["allOf"] = rules
    return schema


def _questionnaire_schemas() -> dict[str, Schema]:
    option = {
        "type": "object", "required": ["value", "label"],
        "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                       "points": {"type": "number"}, "kind": {"enum": list(OPTION_KINDS)},
                       "exclusive": {"type": "boolean"}},
    }
    question = {
        "type": "object",
        "required": ["id", "text", "type", "required", "area", "recommendations",
                     "root_cause"],
        "properties": {
            "id": {"type": "string"}, "text": {"type": "string"}, "help": NULLABLE_STRING,
            "type": {"enum": list(QUESTION_TYPES)}, "required": {"type": "boolean"},
            "area": {"enum": [*AREAS, None]}, "weight": NULLABLE_NUMBER,
            "recommendations": {"type": "array", "items": {"enum": list(RECOMMENDATIONS)}},
            "root_cause": {"enum": [*ROOT_CAUSES, None]},
            "full_credit": {"type": "number"}, "min": NULLABLE_NUMBER, "max": NULLABLE_NUMBER,
            "integer": {"type": "boolean"},
            "max_length": {"type": ["integer", "null"]},
            "show_if": {"type": "object", "properties": {
                "question": {"type": "string"},
                "in": {"type": "array", "items": {"type": "string"}}}},
            "options": {"type": "array", "items": _ref("Option")},
        },
    }
    titled = {"type": "object", "required": ["id", "title"],
              "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}
    return {
        "Option": option,
        "Question": question,
        "Questionnaire": {
            "type": "object",
            "required": ["version", "method_version", "language", "areas", "recommendations",
                         "levels", "sections"],
            "properties": {
                "version": {"type": "string"}, "method_version": {"type": "string"},
                "language": {"enum": list(LANGUAGES)},
                "areas": {"type": "array", "items": titled},
                "recommendations": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id", "title", "description", "primary_area", "next_steps"],
                    "properties": {
                        "id": {"enum": list(RECOMMENDATIONS)}, "title": {"type": "string"},
                        "description": {"type": "string"},
                        "primary_area": {"enum": list(AREAS)},
                        "next_steps": {"type": "array", "items": {"type": "string"}}}}},
                "levels": {"type": "array", "items": {
                    "type": "object", "required": ["id", "title", "min"],
                    "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                   "min": {"type": "number"}}}},
                "sections": {"type": "array", "items": {
                    "type": "object", "required": ["id", "title", "questions"],
                    "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                   "intro": NULLABLE_STRING,
                                   "questions": {"type": "array",
                                                 "items": _ref("Question")}}}},
            },
        },
    }


def _assessment_schemas() -> dict[str, Schema]:
    level = {"type": ["string", "null"]}
    area = {
        "type": "object", "required": ["score", "level", "coverage", "environment"],
        "properties": {"score": SCORE, "level": level,
                       "coverage": {"type": "number", "minimum": 0, "maximum": 1},
                       "environment": SCORE,
                       "environment_coverage": {"type": "number", "minimum": 0, "maximum": 1}},
    }
    recommendation = {
        "type": "object", "required": ["id", "need", "priority", "drivers"],
        "properties": {
            "id": {"enum": list(RECOMMENDATIONS)}, "need": SCORE,
            "priority": {"enum": list(PRIORITIES)}, "rank": {"type": ["integer", "null"]},
            "tied": {"type": "boolean"},
            "coverage": {"type": "number", "minimum": 0, "maximum": 1},
            "drivers": {"type": "array", "items": {"type": "string"}},
            "actionable_drivers": {"type": "array", "items": {"type": "string"}},
        },
    }
    benchmark = {
        "type": ["object", "null"],
        "description": "Percentiles among peers; null until the peer group is large enough.",
        "properties": {"group": {"type": "string"}, "n": {"type": "integer", "minimum": 0},
                       "percentiles": {"type": "object",
                                       "additionalProperties": {"type": ["number", "null"]}}},
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
                "recommendations": {"type": "array", "items": recommendation,
                                    "minItems": len(RECOMMENDATIONS),
                                    "maxItems": len(RECOMMENDATIONS)},
                "benchmark": benchmark,
            },
        },
        "AssessmentRequest": {
            "type": "object", "required": ["answers"],
            "properties": {"answers": answers_schema(),
                           "language": {"enum": list(LANGUAGES), "default": "en"}},
        },
    }


def _error_schemas() -> dict[str, Schema]:
    return {
        "Error": {
            "type": "object", "required": ["error", "status"],
            "properties": {
                "error": {"type": "string", "description": "A short human message."},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {"type": "object",
                           "description": "Messages keyed by question id (422 only).",
                           "additionalProperties": {"type": "array",
                                                    "items": {"type": "string"}}},
                "invalid": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying.",
                               "schema": {"type": "string"}}}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": ("Makes a retry safe (draft-ietf-httpapi-idempotency-key-header): the same "
                    "key and body return the first result and store nothing new; the same key "
                    "with another body is 422; a request still in flight with it is 409. "
                    "1–255 printable ASCII characters, optionally as a quoted string; keys "
                    "expire after 24 hours."),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
               "pattern": "^[\\x20-\\x7e]+$"},
}


def _paths() -> dict[str, Any]:
    question = load_questionnaire().questions.get("industry")
    industries = [o.value for o in question.options] if question else []
    stats_params = [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in (
            ("wave", {"type": "integer", "minimum": 1, "maximum": 999_999_999}),
            ("industry", {"enum": list(industries)}),
            ("size", {"enum": list(SIZE_CLASSES)}),
            ("region", {"enum": list(REGIONS)}),
            ("export", {"enum": list(EXPORT_STATUSES)}),
            ("month_from", {"type": "string", "pattern": MONTH.pattern}),
            ("month_to", {"type": "string", "pattern": MONTH.pattern}),
            ("demo", {"enum": list(DEMO_CHOICES)}),
        )
    ]
    return {
        "/questionnaire": {"get": {
            "operationId": "getQuestionnaire", "summary": "The current questionnaire",
            "parameters": [{"name": "lang", "in": "query", "required": False,
                            "schema": {"enum": list(LANGUAGES), "default": "en"}}],
            "responses": {
                "200": _json(_ref("Questionnaire"), "The questionnaire in one language.",
                             {"ETag": {"schema": {"type": "string"}}}),
                "304": {"description": "Not modified (If-None-Match matched the ETag)."},
                "400": _error("Unknown language."),
            },
        }},
        "/assessments": {"post": {
            "operationId": "createAssessment",
            "summary": "Score and store a complete set of answers",
            "security": [{}, {"bearerAuth": []}],
            "parameters": [IDEMPOTENCY_KEY],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("AssessmentRequest")}}},
            "responses": {
                "201": _json(_ref("Assessment"), "Stored and scored.", {
                    "Location": {"schema": {"type": "string"},
                                 "description": "The URL of the stored assessment."},
                    "Idempotent-Replayed": {"schema": {"enum": ["true"]},
                                            "description": "Present on a replayed result."}}),
                "400": _error("Malformed JSON or a malformed Idempotency-Key."),
                "401": _error("An invalid or revoked API token was sent."),
                "409": _error("A request with this Idempotency-Key is still in flight."),
                "413": _error("The body is larger than the limit."),
                "415": _error("The body is not application/json."),
                "422": _error("Answers missing or invalid, keyed by question id; or the "
                              "Idempotency-Key was used with another body."),
                "429": _error("Too many submissions; see Retry-After.", RETRY_AFTER),
            },
        }},
        "/assessments/{id}": {"get": {
            "operationId": "getAssessment", "summary": "A stored assessment, as scored then",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string", "minLength": 1},
                            "description": "The respondent's private token."}],
            "responses": {
                "200": _json(_ref("Assessment"), "The stored assessment."),
                "404": _error("No assessment with this id."),
            },
        }},
        "/stats": {"get": {
            "operationId": "getStats",
            "summary": "Aggregate statistics for staff, with small groups suppressed",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}],
            "parameters": stats_params,
            "responses": {
                "200": _json(_ref("Stats"), "Counts, readiness by area and recommendation "
                                            "demand, with n and 95 % intervals."),
                "400": _error("A filter has a value that is not allowed."),
                "401": _error("No valid sign-in or API token."),
                "403": _error("Signed in without a staff role."),
                "404": _error("The wave filter names a wave that does not exist."),
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "getOpenAPI", "summary": "This description",
            "responses": {"200": {"description": "OpenAPI 3.1 document.",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}},
        }},
    }


@lru_cache(maxsize=4)
def _document(version: str) -> dict[str, Any]:
    schemas: dict[str, Schema] = {}
    schemas.update(_questionnaire_schemas())
    schemas.update(_assessment_schemas())
    schemas.update(_error_schemas())
    schemas["Stats"] = STATS_SCHEMA
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SME Digital Readiness Survey API",
            "version": "1",
            "description": ("Fetch the questionnaire, submit answers and read scored "
                            f"assessments (questionnaire {version}); staff read aggregate "
                            "statistics. Every error is JSON."),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A staff API token (issued at /staff/tokens)."},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                                  "description": "A signed-in staff member's session."},
            },
        },
    }


def openapi_document() -> dict[str, Any]:
    return _document(load_questionnaire().version)
