"""Which questions apply to a firm, and the facts its conditions read (pure).

Applicability is routed, never chosen (DESIGN.md §2): a question applies when its `applies_if`
holds on the answers to earlier questions. Validation, scoring, the next steps and the
sensitivity sampler all ask the same question the same way through this module, so a question
is never shown by the form but scored as inapplicable, or the reverse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.core.conditions import holds
from survey.core.points import is_skip, question_score
from survey.core.profile import derived_profile, sector_of
from survey.core.questionnaire.schema import Question, Questionnaire


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


class AnswerFacts:
    """The `conditions.Facts` of one firm, read from its answers.

    Only real answers count: an unanswered or don't-know question reads as None. Without the
    questions (`questions=None`) answers are read as given and no score is known. Answers,
    scores and the derived profile are worked out when first read and again after `changed()`,
    which whoever adds to the answers must call (routing and validation add them one question
    at a time).
    """

    def __init__(self, answers: Mapping[str, Any],
                 questions: Mapping[str, Question] | None) -> None:
        self._answers = answers
        self._questions = questions
        self._profile: Mapping[str, Any] | None = None
        self._read: dict[str, Any] = {}
        self._scores: dict[str, float | None] = {}

    def changed(self) -> None:
        """The answers changed: forget what was read from them."""
        self._profile = None
        self._read.clear()
        self._scores.clear()

    def answer(self, question: str) -> Any:
        # Scoring one firm reads the same few answers thousands of times (every next step's
        # condition, every link), so each is worked out once until `changed()`.
        try:
            return self._read[question]
        except KeyError:
            pass
        value = self._answers.get(question)
        if _blank(value):
            value = None
        elif self._questions is not None:
            q = self._questions.get(question)
            if q is None or is_skip(q, value):
                value = None
        self._read[question] = value
        return value

    def score(self, question: str) -> float | None:
        try:
            return self._scores[question]
        except KeyError:
            pass
        q = None if self._questions is None else self._questions.get(question)
        score = None if q is None else question_score(q, self.answer(question))
        self._scores[question] = score
        return score

    def profile(self, key: str) -> str | None:
        if self._profile is None:
            # `sector` is read by conditions only; it is not a stored profile column.
            self._profile = derived_profile(self._answers)
            industry = self._answers.get("industry")
            self._profile["sector"] = sector_of(industry if isinstance(industry, str) else None)
        value = self._profile.get(key)
        return value if isinstance(value, str) else None


def applies(q: Question, facts: AnswerFacts) -> bool:
    return holds(q.applies_if, facts)


@dataclass(frozen=True)
class Routed:
    """Answers split by applicability.

    `answers` keeps the answers to applicable questions; `not_applicable` lists every question
    that does not apply, `ignored` those of them that were answered anyway (questionnaire order).
    """

    answers: dict[str, Any]
    not_applicable: tuple[str, ...]
    ignored: tuple[str, ...]


def route(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Routed:
    """Walk the questionnaire in order, keeping the answers of the questions that apply."""
    kept: dict[str, Any] = {}
    facts = AnswerFacts(kept, questionnaire.questions)
    not_applicable: list[str] = []
    ignored: list[str] = []
    for qid, q in questionnaire.questions.items():
        value = answers.get(qid)
        if q.applies_if is not None and not applies(q, facts):
            not_applicable.append(qid)
            if not _blank(value):
                ignored.append(qid)
            continue
        if not _blank(value):
            kept[qid] = value
            facts.changed()
    return Routed(kept, tuple(not_applicable), tuple(ignored))
