"""Complete, valid answer sets for tests, built from the questionnaire data itself."""

from __future__ import annotations

from typing import Any

from survey.core.answers import is_shown
from survey.core.questionnaire import Question, Questionnaire, load_questionnaire


def _pick(q: Question, best: bool) -> Any:
    if q.type == "number":
        return q.max if best and q.max is not None else (q.min or 0)
    if q.type == "text":
        return "Example answer"
    real = [o for o in q.options if not o.kind]
    if q.type == "multi":
        if not q.scored:
            return [real[0].value]
        if best:
            return [o.value for o in real if not o.exclusive and (o.points or 0) > 0]
        zero = [o for o in real if o.exclusive] or [o for o in real if o.points == 0]
        return [zero[0].value]
    if not q.scored:
        return real[0].value
    ordered = sorted(real, key=lambda o: o.points or 0)
    return (ordered[-1] if best else ordered[0]).value


def answers(best: bool = True, questionnaire: Questionnaire | None = None,
            **overrides: Any) -> dict[str, Any]:
    """All-best (or all-worst) answers to every question that is shown."""
    q = questionnaire or load_questionnaire()
    out: dict[str, Any] = {}
    for question in q.questions.values():
        if question.id in overrides:
            if overrides[question.id] is not None:
                out[question.id] = overrides[question.id]
            continue
        if is_shown(question, out):
            out[question.id] = _pick(question, best)
    return out


def form_data_for(section_questions: list[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the browser would post them for one page."""
    data: dict[str, Any] = {}
    for q in section_questions:
        if q.id in answers:
            value = answers[q.id]
            data[q.id] = value if isinstance(value, list) else str(value)
    return data
