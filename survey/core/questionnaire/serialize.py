"""The questionnaire as the public JSON of DESIGN.md §4 (CLI and API give the same)."""

from __future__ import annotations

from typing import Any

from survey.core.conditions import to_data
from survey.core.questionnaire.schema import Option, Question, Questionnaire, Recommendation


def _option_json(o: Option, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": o.value, "label": o.label.get(lang)}
    if o.points is not None:
        out["points"] = o.points
    if o.kind is not None:
        out["kind"] = o.kind
    if o.exclusive:
        out["exclusive"] = True
    return out


def question_json(q: Question, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "text": q.text.get(lang),
        "help": q.help.get(lang) if q.help else None,
        "type": q.type,
        "required": q.required,
        "area": q.area,
        "weight": q.weight if q.scored else None,
        "recommendations": list(q.recommendations),
        "root_cause": q.root_cause,
    }
    if q.full_credit is not None:
        out["full_credit"] = q.full_credit
    if q.type == "number":
        out["min"] = q.min
        out["max"] = q.max
        out["integer"] = q.integer
    if q.type == "text":
        out["max_length"] = q.max_length
    if q.show_if is not None:
        out["show_if"] = {"question": q.show_if.question, "in": list(q.show_if.values)}
    if q.applies_if is not None:
        out["applies_if"] = to_data(q.applies_if)
    if any(link.why is not None for link in q.links):
        out["links"] = [{"to": link.to, "why": link.why.get(lang) if link.why else None}
                        for link in q.links]
    if q.grid is not None:
        out["grid"] = q.grid
    if q.widget is not None:
        out["widget"] = q.widget
    if q.options:
        out["options"] = [_option_json(o, lang) for o in q.options]
    return out


def _recommendation_json(r: Recommendation, lang: str) -> dict[str, Any]:
    """`next_steps` stays the list of texts; `steps` adds each step's id and condition."""
    out: dict[str, Any] = {
        "id": r.id, "title": r.title.get(lang), "description": r.description.get(lang),
        "primary_area": r.primary_area, "next_steps": [s.get(lang) for s in r.next_steps],
    }
    if r.meaning is not None:
        out["meaning"] = r.meaning.get(lang)
    if r.headline is not None:
        out["headline"] = r.headline.get(lang)
    if any(step.when is not None for step in r.steps):
        out["steps"] = [{"id": step.id,
                         "title": step.title.get(lang) if step.title else None,
                         "text": step.text.get(lang),
                         "when": to_data(step.when) if step.when else None}
                        for step in r.steps]
    return out


def questionnaire_json(q: Questionnaire, lang: str = "en") -> dict[str, Any]:
    return {
        "version": q.version,
        "method_version": q.method_version,
        "language": lang,
        "areas": [{"id": a.id, "title": a.title.get(lang),
                   "description": a.description.get(lang)} for a in q.areas],
        "recommendations": [_recommendation_json(r, lang) for r in q.recommendations],
        "levels": [{"id": lv.id, "title": lv.title.get(lang), "min": lv.min} for lv in q.levels],
        "sections": [
            {"id": s.id, "title": s.title.get(lang),
             "intro": s.intro.get(lang) if s.intro else None,
             "questions": [question_json(qq, lang) for qq in s.questions]}
            for s in q.sections
        ],
    }
