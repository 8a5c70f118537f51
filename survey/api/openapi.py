"""The OpenAPI 3.1 description of /api/v1, generated in code from the live questionnaire.

Generated, not hand-written YAML, so it cannot drift from the code: the request schema for
answers lists the current questionnaire's question ids, option values and number ranges, the
enumerations of areas, recommendations and levels come from the same constants the scorer
uses, and the tests validate the document and fuzz the API from it (schemathesis).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from survey.api.idempotency import MAX_KEY_LENGTH, MIN_KEY_LENGTH
from survey.api.schemas_assessment import assessment_schemas
from survey.api.schemas_indicators import INDICATORS_SCHEMA
from survey.api.schemas_stats import STATS_SCHEMA
from survey.core.item_indicators import BY_DIMENSIONS
from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.questionnaire import (
    AREAS,
    LANGUAGES,
    RECOMMENDATIONS,
    load_questionnaire,
)
from survey.core.questionnaire.schema import (
    OPTION_KINDS,
    QUESTION_TYPES,
    ROOT_CAUSES,
    WIDGETS,
)
from survey.queries.filters import DEMO_CHOICES, DEMO_DEFAULT, EXPORT_STATUSES, MONTH

Schema = dict[str, Any]

NULLABLE_NUMBER: Schema = {"type": ["number", "null"]}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}


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


def _closed(properties: Schema) -> Schema:
    """An object with exactly these properties."""
    return {"type": "object", "required": list(properties), "properties": properties,
            "additionalProperties": False}


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
                "in": {"type": "array", "items": {"type": "string"}}},
                "description": ("The 2026.1 form of a simple `applies_if` (one choice "
                                "question, one list of values), kept for older clients.")},
            "applies_if": _ref("Condition"),
            "links": {"type": "array", "description": (
                "The recommendations this answer is evidence for, each with why its policy "
                "lever could change the answer (questionnaire 2027.1 on)."),
                "items": {"type": "object", "required": ["to", "why"], "properties": {
                    "to": {"enum": list(RECOMMENDATIONS)}, "why": NULLABLE_STRING}}},
            "grid": {"type": "string", "description": (
                "Consecutive questions with the same grid id and options are shown as one "
                "grid, one row per question.")},
            "widget": {"enum": list(WIDGETS)},
            "options": {"type": "array", "items": _ref("Option")},
        },
    }
    strings = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    leaf = {"type": "string"}
    condition = {
        "description": ("A condition on earlier answers (questionnaire 2027.1's condition "
                        "language): a leaf on one question, its score or the derived profile, "
                        "or all / any / not of conditions. An unanswered, don't-know or "
                        "inapplicable question makes every leaf on it false, except "
                        "`answered: false`."),
        "anyOf": [
            _closed({"all": {"type": "array", "items": _ref("Condition")}}),
            _closed({"any": {"type": "array", "items": _ref("Condition")}}),
            _closed({"not": _ref("Condition")}),
            _closed({"question": leaf, "in": strings}),
            _closed({"question": leaf, "not_in": strings}),
            _closed({"question": leaf, "answered": {"type": "boolean"}}),
            _closed({"question": leaf, "ge": {"type": "number"}}),
            _closed({"question": leaf, "lt": {"type": "number"}}),
            _closed({"score_of": leaf, "below": {"type": "number"}}),
            _closed({"score_of": leaf, "at_least": {"type": "number"}}),
            _closed({"profile": leaf, "in": strings}),
        ],
    }
    titled = {"type": "object", "required": ["id", "title"],
              "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}
    return {
        "Condition": condition,
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
                        "next_steps": {"type": "array", "items": {"type": "string"}},
                        "steps": {"type": "array", "description": (
                            "Each next step with its id and the condition under which a "
                            "report shows it (null: always); `next_steps` holds their texts."),
                            "items": {"type": "object", "required": ["id", "text", "when"],
                                      "properties": {
                                          "id": {"type": "string"},
                                          "title": {"type": ["string", "null"],
                                                    "description": "The step in a few words."},
                                          "text": {"type": "string"},
                                          "when": {"anyOf": [_ref("Condition"),
                                                             {"type": "null"}]}}}}}}},
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
                    "with another body is 422; a request still in flight with it waits for it; "
                    "a request whose submission has since been deleted is 410. "
                    "1–255 printable ASCII characters, optionally as a quoted string. Keys "
                    "are scoped to the caller's API token; without a token they are scoped "
                    "to its address, which many people can share, so an anonymous caller's "
                    f"key must be random and at least {MIN_KEY_LENGTH} characters (a UUID is "
                    "best), else 400. Keys expire after 24 hours."),
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
            ("demo", {"enum": list(DEMO_CHOICES), "default": DEMO_DEFAULT}),
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
                "409": _error("The result stored with this Idempotency-Key is no longer there."),
                "410": _error("The submission made with this Idempotency-Key was deleted."),
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
        "/indicators": {"get": {
            "operationId": "getIndicators",
            "summary": "Item-level indicators by segment, each with n, interval and suppression",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}],
            "parameters": [
                *stats_params,
                {"name": "by", "in": "query", "required": False,
                 "schema": {"enum": list(BY_DIMENSIONS), "default": "size"},
                 "description": "The segment dimension."},
                {"name": "lang", "in": "query", "required": False,
                 "schema": {"enum": list(LANGUAGES), "default": "en"},
                 "description": "The language of labels; codes are never localised."},
            ],
            "responses": {
                "200": _json(_ref("Indicators"), "Every indicator's definition and its share "
                                                 "in the total and each segment. Demo rows "
                                                 "are left out unless `demo` is given."),
                "400": _error("A filter, `by` or `lang` has a value that is not allowed."),
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
    schemas.update(assessment_schemas())
    schemas.update(_error_schemas())
    schemas["Stats"] = STATS_SCHEMA
    schemas["Indicators"] = INDICATORS_SCHEMA
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SME Digital Readiness Survey API",
            "version": "1",
            "description": ("Fetch the questionnaire, submit answers and read scored "
                            f"assessments (questionnaire {version}); staff read aggregate "
                            "statistics and item-level indicators. Every error is JSON."),
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
