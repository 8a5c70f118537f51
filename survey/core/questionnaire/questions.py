"""Reading one question (and its options) from the data file, with its checks.

Split from the loader so each stays readable: the loader checks the file as a whole, this
module checks a single question against the data format (`docs/questionnaire-format.md`).
Each part of a question — header, options, routing, links, scoring, number and text limits,
presentation — has its own small reader, so a new key means a new function, not a new branch
in a long one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from survey.core.conditions import AnswerIn, Condition
from survey.core.questionnaire.checker import Checker
from survey.core.questionnaire.schema import (
    AREAS,
    OPTION_KINDS,
    QUESTION_TYPES,
    RECOMMENDATIONS,
    ROOT_CAUSES,
    WIDGETS,
    Link,
    Option,
    Question,
    QuestionType,
    ShowIf,
)

MAX_RECOMMENDATIONS_PER_QUESTION = 2
SCORED_ONLY_KEYS = ("root_cause", "weight", "full_credit")


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


@dataclass(frozen=True)
class _Routing:
    applies_if: Condition | None
    show_if: ShowIf | None
    key: str | None


def _header(raw: Any, section: str, c: Checker) -> tuple[str, str, QuestionType] | None:
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
    return qid, where, qtype


def _options(raw: dict[str, Any], qtype: str, where: str, c: Checker) -> list[Option]:
    options = [o for o in (parse_option(o, where, c) for o in raw.get("options", []))
               if o is not None]
    for value, n in Counter(o.value for o in options).items():
        if n > 1:
            c.fail(where, f"duplicate option value {value!r}")
    if qtype in ("single", "multi") and len(options) < 2:
        c.fail(where, "a choice question needs at least two options")
    if qtype in ("number", "text") and options:
        c.fail(where, f"a {qtype} question has no options")
    if any(o.exclusive for o in options) and qtype != "multi":
        c.fail(where, "only multi-select options can be exclusive")
    return options


def _routing(raw: dict[str, Any], where: str, c: Checker) -> _Routing:
    """`applies_if`, or its 2026.1 name `show_if`: the same condition either way."""
    keys = [k for k in ("applies_if", "show_if") if k in raw]
    if not keys:
        return _Routing(None, None, None)
    if len(keys) > 1:
        c.fail(where, "use applies_if or show_if, not both")
    key = keys[0]
    condition = c.condition(raw[key], f"{where}: {key}")
    show_if = (ShowIf(condition.question, condition.values)
               if isinstance(condition, AnswerIn) else None)
    return _Routing(condition, show_if, key)


def _links(raw: dict[str, Any], where: str, c: Checker) -> tuple[Link, ...]:
    """`links = [{to, why}]`, or 2026.1's `recommendations = [ids]` (links without a why)."""
    if "links" in raw and "recommendations" in raw:
        c.fail(where, "use links or recommendations, not both")
    links: list[Link] = []
    if "links" in raw:
        items = raw["links"]
        if not isinstance(items, list):
            c.fail(where, "links must be a list of {to = …, why = {en = …, zh = …}}")
            items = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("to"), str):
                c.fail(where, f"links[{i}] must be a table {{to = …, why = …}}")
                continue
            unknown = set(item) - {"to", "why"}
            if unknown:
                c.fail(where, f"links[{i}]: unknown keys {sorted(unknown)}")
            why = c.text(item.get("why"), f"{where} link to {item['to']}.why", optional=True)
            links.append(Link(to=item["to"], why=why))
    else:
        recs = raw.get("recommendations", [])
        if not isinstance(recs, list) or not all(isinstance(r, str) for r in recs):
            c.fail(where, "recommendations must be a list of recommendation ids")
            recs = []
        links = [Link(to=r) for r in recs]
    for target, n in Counter(link.to for link in links).items():
        if n > 1:
            c.fail(where, f"links to {target!r} twice")
    return tuple(links)


def _check_scored(raw: dict[str, Any], qtype: str, options: list[Option],
                  links: tuple[Link, ...], routing: _Routing, where: str, c: Checker) -> None:
    area = raw.get("area")
    if area not in AREAS:
        c.fail(where, f"unknown area {area!r}; known: {', '.join(AREAS)}")
    if qtype not in ("single", "multi"):
        c.fail(where, "only single and multi questions can be scored")
    root = raw.get("root_cause")
    if root not in ROOT_CAUSES:
        c.fail(where, f"root_cause must be one of {', '.join(ROOT_CAUSES)}, got {root!r}")
    # 2027.1 (links with a why): a question links only where a recommendation's lever could
    # change the answer, so the firm's own adoption may link to none and count only in its
    # area; a 2026.1 question names one or two recommendations.
    least = 0 if "links" in raw else 1
    if not least <= len(links) <= MAX_RECOMMENDATIONS_PER_QUESTION:
        c.fail(where, f"a scored question names {least} to "
                      f"{MAX_RECOMMENDATIONS_PER_QUESTION} recommendations")
    for link in links:
        if link.to not in RECOMMENDATIONS:
            c.fail(where, f"unknown recommendation {link.to!r}")
    if routing.key == "show_if":
        c.fail(where, "show_if is only for unscored follow-ups; use applies_if")
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


def _check_unscored(raw: dict[str, Any], options: list[Option], links: tuple[Link, ...],
                    where: str, c: Checker) -> None:
    if links or any(k in raw for k in SCORED_ONLY_KEYS):
        c.fail(where, "recommendations, root_cause, weight and full_credit need an area")
    if any(o.points is not None for o in options):
        c.fail(where, "an unscored question's options carry no points")


def _weight(raw: dict[str, Any], scored: bool, where: str, c: Checker) -> float:
    weight = c.number(raw.get("weight"), f"{where}.weight", 1.0) or 0.0
    if scored and weight <= 0:
        c.fail(where, "weight must be positive")
    return weight


def _full_credit(raw: dict[str, Any], qtype: str, scored: bool, options: list[Option],
                 where: str, c: Checker) -> float | None:
    full_credit = c.number(raw.get("full_credit"), f"{where}.full_credit")
    if qtype == "multi" and scored:
        total = sum(o.points or 0 for o in options if not o.exclusive)
        if full_credit is None or full_credit <= 0:
            c.fail(where, "a scored multi-select question needs a positive full_credit")
        elif full_credit > total:
            c.fail(where, f"full_credit {full_credit:g} is unreachable: the options add up "
                          f"to {total:g}")
    elif full_credit is not None:
        c.fail(where, "full_credit is only for scored multi-select questions")
    return full_credit


def _limits(raw: dict[str, Any], qtype: str, where: str,
            c: Checker) -> tuple[float | None, float | None, int | None]:
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
    return lo, hi, max_length


def _presentation(raw: dict[str, Any], qtype: str, where: str,
                  c: Checker) -> tuple[str | None, str | None]:
    grid, widget = raw.get("grid"), raw.get("widget")
    if grid is not None and (not isinstance(grid, str) or not grid.isidentifier()):
        c.fail(where, "grid must be a snake_case id")
        grid = None
    if grid is not None and qtype != "single":
        c.fail(where, "only single questions can be rows of a grid")
    if widget is not None:
        if widget not in WIDGETS:
            c.fail(where, f"unknown widget {widget!r}; known: {', '.join(WIDGETS)}")
            widget = None
        elif qtype != "single":
            c.fail(where, f"widget {widget!r} is only for single questions")
    return grid, widget


def parse_question(raw: Any, section: str, c: Checker) -> Question | None:
    header = _header(raw, section, c)
    if header is None:
        return None
    qid, where, qtype = header
    text = c.text(raw.get("text"), f"{where}.text")
    help_text = c.text(raw.get("help"), f"{where}.help", optional=True)
    options = _options(raw, qtype, where, c)
    routing = _routing(raw, where, c)
    links = _links(raw, where, c)
    scored = raw.get("area") is not None
    if scored:
        _check_scored(raw, qtype, options, links, routing, where, c)
    else:
        _check_unscored(raw, options, links, where, c)
    weight = _weight(raw, scored, where, c)
    full_credit = _full_credit(raw, qtype, scored, options, where, c)
    lo, hi, max_length = _limits(raw, qtype, where, c)
    grid, widget = _presentation(raw, qtype, where, c)
    if text is None:
        return None
    return Question(
        id=qid, type=qtype, text=text, section=section, help=help_text,
        required=bool(raw.get("required", True)), area=raw.get("area"), weight=weight,
        root_cause=raw.get("root_cause"), recommendations=tuple(lk.to for lk in links),
        full_credit=full_credit, min=lo, max=hi, max_length=max_length,
        show_if=routing.show_if, options=tuple(options), integer=bool(raw.get("integer", False)),
        applies_if=routing.applies_if, links=links, grid=grid, widget=widget,
    )
