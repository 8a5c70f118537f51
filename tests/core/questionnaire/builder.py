"""A small questionnaire for hand-worked tests, built as data so that it passes the real rules.

The loader insists on a realistic questionnaire (30–45 questions, at least six scored questions
per area with two of each root cause, every recommendation fed by three questions). Rather than
loosen those rules for tests, this fixture meets them with the fewest scored questions and
simple points, so every expected number in tests/test_scoring.py can be worked out by hand.

Scored questions (weight, max points or full credit, recommendations):

  financing, internal      f_i1 w2 single 0/1/2/4 (+ don't know)     financial_support
                           f_i2 w1 multi a2 b2 c1, full credit 3, none (exclusive), don't know
                                                                      financial_support
                           f_i3 w1 single 0/1/2 (+ not applicable)    financial_support,
                                                                      digital_talent
  financing, external      f_e1 w1 single 0–4                         financial_support
                           f_e2 w1 single 0–4 (+ don't know)          financial_support,
                                                                      ip_protection
                           f_e3 w2 single 0/1/2                       financial_support
  digital, internal        d_i1 w2 single 0–4                         digital_infrastructure
                           d_i2 w1 single 0–4                         digital_talent
                           d_i3 w1 single 0–4                         ip_protection
                           d_i4 w1 multi x1 y1 z1, full credit 2, none (exclusive)
                                                                      digital_infrastructure
  digital, external        d_e1 w1 single 0–4                         digital_infrastructure
                           d_e2 w1 single 0–4                         ip_protection,
                                                                      digital_talent
  overseas, internal       o_i1, o_i2 w1 single 0–4                   cross_border_ecommerce
                           o_i3 w1 single 0–4                         cross_border_ecommerce,
                                                                      ip_protection
  overseas, external       o_e1 w1 single 0–4                         cross_border_ecommerce
                           o_e2 w1 single 0–4                         cross_border_ecommerce,
                                                                      digital_infrastructure
                           o_e3 w1 single 0–4 (+ don't know)          cross_border_ecommerce

Single questions on a 0–4 scale have options "0" … "4"; f_i1 has "0", "1", "2", "4"; f_i3 and
f_e3 have "0", "1", "2". Twelve unscored profile questions (a number, a text, a follow-up with
`show_if` and padding) bring the total to the minimum of 30.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from survey.core.questionnaire import Questionnaire, QuestionnaireError, parse
from survey.core.questionnaire.loader import load_file
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS

LEVELS = [("beginner", 0), ("emerging", 20), ("developing", 40), ("established", 60),
          ("leading", 80)]
PRIMARY = {
    "digital_infrastructure": "digital_technology",
    "financial_support": "financing",
    "ip_protection": "digital_technology",
    "digital_talent": "digital_technology",
    "cross_border_ecommerce": "overseas_markets",
}


def text(en: str) -> dict[str, str]:
    return {"en": en, "zh": f"中文：{en}"}


def scale(points: list[int], *, dont_know: bool = False, na: bool = False) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = [
        {"value": str(p), "points": p, "label": text(f"{p} points")} for p in points
    ]
    if dont_know:
        options.append({"value": "dk", "kind": "dont_know", "label": text("Don't know")})
    if na:
        options.append({"value": "na", "kind": "not_applicable", "label": text("Not applicable")})
    return options


def _scored(qid: str, area: str, root: str, recs: list[str], options: list[dict[str, Any]],
            *, weight: float = 1.0, qtype: str = "single",
            full_credit: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": qid, "type": qtype, "area": area, "root_cause": root, "recommendations": recs,
        "weight": weight, "text": text(f"Question {qid}?"), "options": options,
    }
    if full_credit is not None:
        out["full_credit"] = full_credit
    return out


def multi_options(points: dict[str, int], *, dont_know: bool = False) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = [
        {"value": v, "points": p, "label": text(f"Option {v}")} for v, p in points.items()
    ]
    options.append({"value": "none", "points": 0, "exclusive": True, "label": text("None")})
    if dont_know:
        options.append({"value": "dk", "kind": "dont_know", "label": text("Don't know")})
    return options


def _profile() -> list[dict[str, Any]]:
    yes_no = [{"value": "yes", "label": text("Yes")}, {"value": "no", "label": text("No")}]
    questions: list[dict[str, Any]] = [
        {"id": "p_export", "type": "single", "text": text("Do you export?"), "options": yes_no},
        {"id": "p_export_since", "type": "single", "text": text("Since when?"),
         "show_if": {"question": "p_export", "in": ["yes"]},
         "options": [{"value": "old", "label": text("Long ago")},
                     {"value": "new", "label": text("Recently")}]},
        {"id": "p_channels", "type": "multi", "required": False, "text": text("Channels?"),
         "options": [{"value": "web", "label": text("Web")},
                     {"value": "shop", "label": text("Shop")},
                     {"value": "none", "exclusive": True, "label": text("None")}]},
        {"id": "p_years", "type": "number", "min": 0, "max": 200, "text": text("Years?")},
        {"id": "p_note", "type": "text", "required": False, "max_length": 20,
         "text": text("Anything else?")},
    ]
    questions += [
        {"id": f"p_pad{i}", "type": "single", "required": False, "text": text(f"Padding {i}?"),
         "options": yes_no}
        for i in range(1, 8)
    ]
    return questions


def _areas() -> list[dict[str, Any]]:
    return [
        {"id": a, "title": text(a), "description": text(f"About {a}"),
         "readings": {lid: text(f"{a} is {lid}") for lid, _ in LEVELS}}
        for a in AREAS
    ]


def fixture_dict() -> dict[str, Any]:
    """A fresh, valid questionnaire as parsed TOML; tests may change it before `parse()`."""
    s04 = [0, 1, 2, 3, 4]
    fin, dig, ovs = AREAS
    fs, ip, dt, di, cb = ("financial_support", "ip_protection", "digital_talent",
                          "digital_infrastructure", "cross_border_ecommerce")
    financing = [
        _scored("f_i1", fin, "internal", [fs], scale([0, 1, 2, 4], dont_know=True), weight=2),
        _scored("f_i2", fin, "internal", [fs],
                multi_options({"a": 2, "b": 2, "c": 1}, dont_know=True), qtype="multi",
                full_credit=3),
        _scored("f_i3", fin, "internal", [fs, dt], scale([0, 1, 2], na=True)),
        _scored("f_e1", fin, "external", [fs], scale(s04)),
        _scored("f_e2", fin, "external", [fs, ip], scale(s04, dont_know=True)),
        _scored("f_e3", fin, "external", [fs], scale([0, 1, 2]), weight=2),
    ]
    digital = [
        _scored("d_i1", dig, "internal", [di], scale(s04), weight=2),
        _scored("d_i2", dig, "internal", [dt], scale(s04)),
        _scored("d_i3", dig, "internal", [ip], scale(s04)),
        _scored("d_i4", dig, "internal", [di], multi_options({"x": 1, "y": 1, "z": 1}),
                qtype="multi", full_credit=2),
        _scored("d_e1", dig, "external", [di], scale(s04)),
        _scored("d_e2", dig, "external", [ip, dt], scale(s04)),
    ]
    overseas = [
        _scored("o_i1", ovs, "internal", [cb], scale(s04)),
        _scored("o_i2", ovs, "internal", [cb], scale(s04)),
        _scored("o_i3", ovs, "internal", [cb, ip], scale(s04)),
        _scored("o_e1", ovs, "external", [cb], scale(s04)),
        _scored("o_e2", ovs, "external", [cb, di], scale(s04)),
        _scored("o_e3", ovs, "external", [cb], scale(s04, dont_know=True)),
    ]
    return {
        "version": "test.1",
        "method_version": "2026.1",
        "method": {"min_answered": 3, "min_weight_share": 0.5, "need_min_weight_share": 0.5,
                   "priority_high": 60, "priority_medium": 40, "drivers_max": 3},
        "levels": [{"id": lid, "min": lo, "title": text(lid.title())} for lid, lo in LEVELS],
        "areas": _areas(),
        "recommendations": [
            {"id": r, "primary_area": PRIMARY[r], "title": text(f"Recommendation {r}"),
             "description": text(f"Why {r}"),
             "next_steps": [text(f"{r} step 1"), text(f"{r} step 2")]}
            for r in RECOMMENDATIONS
        ],
        "sections": [
            {"id": "profile", "title": text("Profile"), "questions": _profile()},
            {"id": fin, "title": text("Financing"), "questions": financing},
            {"id": dig, "title": text("Digital"), "questions": digital},
            {"id": ovs, "title": text("Overseas"), "questions": overseas},
        ],
    }


def question_dict(raw: dict[str, Any], qid: str) -> dict[str, Any]:
    """The (mutable) question `qid` inside a fixture dict."""
    for section in raw["sections"]:
        for q in section["questions"]:
            if q["id"] == qid:
                return q  # type: ignore[no-any-return]
    raise KeyError(qid)


def build(raw: dict[str, Any] | None = None) -> Questionnaire:
    return parse(copy.deepcopy(raw) if raw is not None else fixture_dict(), source="fixture")


FIXTURE: Questionnaire = build()


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are valid TOML escapes
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_inline(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def to_toml(raw: dict[str, Any]) -> str:
    """The fixture as a TOML file: one `key = inline value` line per top-level key."""
    return "".join(f"{key} = {_inline(value)}\n" for key, value in raw.items())


# Example A: a middling firm. Question scores (points / max × 100):
#   f_i1 "2" → 2/4 = 50      f_i2 [a, b] → min(2+2, 3)/3 = 100 (capped)    f_i3 "1" → 1/2 = 50
#   f_e1 "3" → 75            f_e2 don't know → none                         f_e3 "1" → 1/2 = 50
#   d_i1 "4" → 100           d_i2 "1" → 25    d_i3 "0" → 0    d_i4 [x] → 1/2 = 50
#   d_e1 "2" → 50            d_e2 "4" → 100
#   o_i1 "0" → 0             o_i2 "2" → 50    o_i3 "3" → 75
#   o_e1 "1" → 25            o_e2 "4" → 100   o_e3 "2" → 50
EXAMPLE_A: dict[str, Any] = {
    "f_i1": "2", "f_i2": ["a", "b"], "f_i3": "1", "f_e1": "3", "f_e2": "dk", "f_e3": "1",
    "d_i1": "4", "d_i2": "1", "d_i3": "0", "d_i4": ["x"], "d_e1": "2", "d_e2": "4",
    "o_i1": "0", "o_i2": "2", "o_i3": "3", "o_e1": "1", "o_e2": "4", "o_e3": "2",
}

BEST: dict[str, Any] = {
    "f_i1": "4", "f_i2": ["a", "b", "c"], "f_i3": "2", "f_e1": "4", "f_e2": "4", "f_e3": "2",
    "d_i1": "4", "d_i2": "4", "d_i3": "4", "d_i4": ["x", "y", "z"], "d_e1": "4", "d_e2": "4",
    "o_i1": "4", "o_i2": "4", "o_i3": "4", "o_e1": "4", "o_e2": "4", "o_e3": "4",
}


def with_answers(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of `base` with answers changed; None removes an answer."""
    out = {**base, **changes}
    return {k: v for k, v in out.items() if v is not None}


def load_broken(raw: dict[str, Any], path: Path) -> QuestionnaireError:
    """Write `raw` to `path` and load it, which must fail: the error, for its messages."""
    path.write_text(to_toml(raw), encoding="utf-8")
    try:
        load_file(path)
    except QuestionnaireError as err:
        assert str(err).startswith(f"{path}: ")
        return err
    raise AssertionError(f"{path} loaded though it is broken")
