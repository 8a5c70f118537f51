"""Reading one question (and its options) from the data file, with its checks.

Split from the loader so each stays readable: the loader checks the file as a whole, this
module checks a single question against the data format (`docs/questionnaire-format.md`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from survey.core.questionnaire.checker import Checker
from survey.core.questionnaire.schema import (
    AREAS,
    OPTION_KINDS,
    QUESTION_TYPES,
    RECOMMENDATIONS,
    ROOT_CAUSES,
    Option,
    Question,
    ShowIf,
)

MAX_RECOMMENDATIONS_PER_QUESTION = 2


def parse_option(raw: Any, where: str, c: Checker) -> Option | None:
    if not isinstance(raw, dict):
        c.fail(where, f"an option must be a table {{value = …, label = …}}, got {raw!r:.60}")
        return None
    value = raw.get("value")
    if not isinstance(value, str) or not value:
        c.fail(where, "option without a string 'value'")
        return None
    label = c.text(raw.get("label"), f"{where} option {value}")
    kind = raw.get("kind")
    if kind is not None and kind not in OPTION_KINDS:
        c.fail(where, f"option {value}: unknown kind {kind!r}; known: {', '.join(OPTION_KINDS)}")
    points = c.number(raw.get("points"), f"{where} option {value}.points")
    if kind is not None and points is not None:
        c.fail(where, f"option {value}: a {kind} option carries no points")
    if points is not None and points < 0:
        c.fail(where, f"option {value}: points must not be negative")
    if label is None:
        return None
    return Option(value=value, label=label, points=points, kind=kind,
                  exclusive=bool(raw.get("exclusive", False)))


def parse_question(raw: Any, section: str, c: Checker) -> Question | None:
    if not isinstance(raw, dict):
        c.fail(f"section {section}", f"a question must be a table, got {raw!r:.60}")
        return None
    qid = str(raw.get("id", ""))
    where = f"question {qid or '?'}"
    if not qid.isidentifier() or qid != qid.lower():
        c.fail(where, "id must be snake_case")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        c.fail(where, f"unknown type {qtype!r}; known: {', '.join(QUESTION_TYPES)}")
        return None
    text = c.text(raw.get("text"), f"{where}.text")
    help_text = c.text(raw.get("help"), f"{where}.help", optional=True)
    options = [o for o in (parse_option(o, where, c) for o in raw.get("options", []))
               if o is not None]
    values = [o.value for o in options]
    for value, n in Counter(values).items():
        if n > 1:
            c.fail(where, f"duplicate option value {value!r}")
    area = raw.get("area")
    recs = tuple(raw.get("recommendations", ()))
    root = raw.get("root_cause")
    show_if = None
    if "show_if" in raw:
        si = raw["show_if"]
        if not isinstance(si, dict) or not isinstance(si.get("in"), list):
            c.fail(where, "show_if needs {question = '…', in = ['…']}")
        else:
            show_if = ShowIf(question=str(si.get("question")), values=tuple(map(str, si["in"])))

    if qtype in ("single", "multi") and len(options) < 2:
        c.fail(where, "a choice question needs at least two options")
    if qtype in ("number", "text") and options:
        c.fail(where, f"a {qtype} question has no options")

    if area is not None:
        if area not in AREAS:
            c.fail(where, f"unknown area {area!r}; known: {', '.join(AREAS)}")
        if qtype not in ("single", "multi"):
            c.fail(where, "only single and multi questions can be scored")
        if root not in ROOT_CAUSES:
            c.fail(where, f"root_cause must be one of {', '.join(ROOT_CAUSES)}, got {root!r}")
        if not 1 <= len(recs) <= MAX_RECOMMENDATIONS_PER_QUESTION:
            c.fail(where, f"a scored question names 1 to {MAX_RECOMMENDATIONS_PER_QUESTION} "
                          "recommendations")
        for r in recs:
            if r not in RECOMMENDATIONS:
                c.fail(where, f"unknown recommendation {r!r}")
        if show_if is not None:
            c.fail(where, "show_if is only for unscored follow-ups")
        scored = [o for o in options if not o.is_skip]
        if any(o.points is None for o in scored):
            c.fail(where, "every option of a scored question needs points (or a kind)")
        if not any(o.points == 0 for o in scored):
            c.fail(where, "a scored question needs an option worth 0 points")
        if not any((o.points or 0) > 0 for o in scored):
            c.fail(where, "a scored question needs an option worth more than 0 points")
        for o in options:
            if o.exclusive and o.points:
                c.fail(where, f"option {o.value}: an exclusive option of a scored question is "
                              "worth 0 points")
    else:
        if recs or root is not None or "weight" in raw or "full_credit" in raw:
            c.fail(where, "recommendations, root_cause, weight and full_credit need an area")
        if any(o.points is not None for o in options):
            c.fail(where, "an unscored question's options carry no points")

    weight = c.number(raw.get("weight"), f"{where}.weight", 1.0) or 0.0
    if area is not None and weight <= 0:
        c.fail(where, "weight must be positive")
    full_credit = c.number(raw.get("full_credit"), f"{where}.full_credit")
    if qtype == "multi" and area is not None:
        total = sum(o.points or 0 for o in options if not o.exclusive)
        if full_credit is None or full_credit <= 0:
            c.fail(where, "a scored multi-select question needs a positive full_credit")
        elif full_credit > total:
            c.fail(where, f"full_credit {full_credit:g} is unreachable: the options add up "
                          f"to {total:g}")
    elif full_credit is not None:
        c.fail(where, "full_credit is only for scored multi-select questions")
    if any(o.exclusive for o in options) and qtype != "multi":
        c.fail(where, "only multi-select options can be exclusive")

    lo = c.number(raw.get("min"), f"{where}.min")
    hi = c.number(raw.get("max"), f"{where}.max")
    if qtype == "number" and lo is not None and hi is not None and lo > hi:
        c.fail(where, "min is above max")
    if "integer" in raw and (qtype != "number" or not isinstance(raw["integer"], bool)):
        c.fail(where, "integer = true|false is only for number questions")
    max_length = raw.get("max_length")
    if qtype == "text":
        max_length = int(max_length or 1000)
        if max_length <= 0:
            c.fail(where, "max_length must be positive")
    if text is None:
        return None
    return Question(
        id=qid, type=qtype, text=text, section=section, help=help_text,
        required=bool(raw.get("required", True)), area=area, weight=weight,
        root_cause=root, recommendations=recs, full_credit=full_credit,
        min=lo, max=hi, max_length=max_length, show_if=show_if, options=tuple(options),
        integer=bool(raw.get("integer", False)),
    )
