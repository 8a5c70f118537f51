"""The firm's own answers as reasons, worded as it read them: "because you answered …".

The report's next steps and its matched programmes both explain themselves this way, so one
wording serves both (and a negative condition reads as the answer *not* chosen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.core.conditions import All, AnswerIn, AnswerNotIn, AnyOf, Condition, Not
from survey.core.questionnaire import Question, Questionnaire


@dataclass(frozen=True)
class Because:
    """An answer that called for a next step: the question and the answer as the firm read
    them. `negative`: the step holds because the firm did *not* choose `answer` (a `not_in`
    condition), which is worded so, never as if its other answers were the reason."""

    question: str
    answer: str
    negative: bool = False


def answer_label(question: Question, value: Any, lang: str) -> str:
    """An answer as the respondent read it: option labels, or the number or text typed."""
    values = value if isinstance(value, list) else [value]
    labels = []
    for v in values:
        option = question.option(str(v)) if question.options else None
        labels.append(option.label.get(lang) if option else
                      (f"{v:g}" if isinstance(v, float) else str(v)))
    return ("；" if lang == "zh" else "; ").join(labels)


def because(q: Questionnaire, qids: tuple[str, ...], answers: dict[str, Any], lang: str,
             when: Condition | None = None) -> list[Because]:
    """The answered questions among `qids`, as the firm read them. With a step's condition
    (`when`), a question it reads only negatively is worded as the answer *not* chosen."""
    out = []
    for qid in qids:
        if qid not in q.questions or answers.get(qid) is None:
            continue
        question = q.question(qid)
        negated = _negated(when, qid)
        shown = list(negated) if negated else answers[qid]
        out.append(Because(question.text.get(lang), answer_label(question, shown, lang),
                           bool(negated)))
    return out


def _negated(condition: Condition | None, qid: str, negated: bool = False
             ) -> tuple[str, ...] | None:
    """The values the condition requires `qid` *not* to have, if it reads `qid` only so."""
    if condition is None:
        return None
    if isinstance(condition, All | AnyOf):
        found = [_negated(item, qid, negated) for item in condition.items]
        hits = [f for f in found if f is not None]
        return hits[0] if hits else None
    if isinstance(condition, Not):
        return _negated(condition.item, qid, not negated)
    if isinstance(condition, AnswerNotIn) and condition.question == qid and not negated:
        return condition.values
    if isinstance(condition, AnswerIn) and condition.question == qid and negated:
        return condition.values
    return None


