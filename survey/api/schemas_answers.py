"""The JSON Schema of an assessment's answers, generated from the live questionnaire.

One property per question (its options, number range or text length) and the questionnaire's
routing as `if`/`then` rules, so a client learns from the description alone which answers a
question needs and which it ignores because the question does not apply.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from survey.core.conditions import (
    All,
    Answered,
    AnswerIn,
    AnswerNotIn,
    AnyOf,
    Condition,
    Not,
    NumberCompare,
)
from survey.core.questionnaire import Question, Questionnaire, load_questionnaire

Schema = dict[str, Any]


def answer_schema(q: Question) -> Schema:
    """What one question accepts, as JSON Schema; null (unanswered) only where optional.

    Exact enough that every schema-valid set of answers is accepted — the fuzzer holds us to
    that — including the rule that an exclusive option ("none of these", "don't know") stands
    alone in a multi-select."""
    optional = not q.required or q.applies_if is not None
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
        return {"anyOf": [schema, *BLANK[q.type]]}
    return schema


BLANK: dict[str, list[Schema]] = {
    "single": [{"type": "null"}, {"const": ""}, {"const": []}],
    "multi": [{"type": "null"}, {"const": ""}, {"const": []}],
    "number": [{"type": "null"}],
    "text": [{"type": "null"}],
}
"""What an optional question accepts as "not answered", beside an answer."""


def _real(q: Question) -> list[str]:
    """The options that answer: not "don't know" nor "not applicable" (e.g. "nothing to
    protect"), which read as unanswered in a condition."""
    return [o.value for o in q.options if not o.is_skip]


def _has(q: Question, values: list[str]) -> Schema:
    """The answer to `q` is one of `values` (single) or ticks one of them (multi)."""
    picked: Schema = ({"type": "array", "contains": {"enum": values}} if q.type == "multi"
                      else {"enum": values})
    return {"required": [q.id], "properties": {q.id: picked}}


def _answered(q: Question) -> Schema:
    """The question has a real answer: a real option, or any number or text."""
    if q.options:
        return _has(q, _real(q))
    return {"required": [q.id], "properties": {q.id: {"not": {"enum": [None, ""]}}}}


def condition_schema(c: Condition, questionnaire: Questionnaire) -> Schema | None:
    """A condition of the questionnaire's language as JSON Schema over the answers object, or
    None when it reads what JSON Schema cannot (a question's score, the derived profile)."""
    questions = questionnaire.questions
    if isinstance(c, All | AnyOf):
        parts = [condition_schema(item, questionnaire) for item in c.items]
        if any(p is None for p in parts):
            return None
        return {"allOf" if isinstance(c, All) else "anyOf": parts}
    if isinstance(c, Not):
        inner = condition_schema(c.item, questionnaire)
        return None if inner is None else {"not": inner}
    if isinstance(c, AnswerIn):
        return _has(questions[c.question], list(c.values))
    if isinstance(c, AnswerNotIn):
        q = questions[c.question]
        others = [v for v in _real(q) if v not in c.values]
        if q.type != "multi":
            return _has(q, others)
        return {"allOf": [_answered(q), {"not": _has(q, list(c.values))}]}
    if isinstance(c, Answered):
        answered = _answered(questions[c.question])
        return answered if c.answered else {"not": answered}
    if isinstance(c, NumberCompare):
        bound = "minimum" if c.op == "ge" else "exclusiveMaximum"
        return {"required": [c.question],
                "properties": {c.question: {"type": "number", bound: c.value}}}
    return None


def _routed_rule(q: Question, questionnaire: Questionnaire) -> Schema | None:
    """While its `applies_if` holds, a routed question takes its answer as any question does
    (and must have one when required); otherwise whatever is sent for it is ignored."""
    assert q.applies_if is not None
    condition = condition_schema(q.applies_if, questionnaire)
    if condition is None:
        return None
    strict = answer_schema(replace(q, applies_if=None, show_if=None))
    then: Schema = {"properties": {q.id: strict}}
    if q.required:
        then["required"] = [q.id]
    return {"if": condition, "then": then}


def answers_schema() -> Schema:
    """Answers as JSON Schema. A routed question is checked, and required, inside one rule
    per distinct condition (`if` it holds `then` …): one rule per question made a schema too
    large for generators to work with (27 of them in questionnaire 2027.1)."""
    q = load_questionnaire()
    required = [qid for qid, question in q.questions.items()
                if question.required and question.applies_if is None]
    properties: Schema = {}
    grouped: dict[str, Schema] = {}
    for qid, question in q.questions.items():
        rule = _routed_rule(question, q) if question.applies_if is not None else None
        if rule is None:
            properties[qid] = answer_schema(question)
            continue
        properties[qid] = {"description": ("Asked only when its `applies_if` holds; "
                                           "ignored otherwise (listed under `ignored`).")}
        key = json.dumps(rule["if"], sort_keys=True)
        then = grouped.setdefault(key, {"if": rule["if"], "then": {"properties": {}}})["then"]
        then["properties"].update(rule["then"]["properties"])
        then["required"] = [*then.get("required", []), *rule["then"].get("required", [])]
    rules = list(grouped.values())
    schema: Schema = {
        "type": "object",
        "description": ("Answers keyed by question id: a string (single), a list of strings "
                        "(multi), a number, or a string (text). Required questions must be "
                        "answered; a question with `applies_if` only when its condition holds "
                        "— otherwise its answer, whatever it is, is ignored."),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if rules:
        schema["allOf"] = rules
    return schema
