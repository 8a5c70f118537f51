"""Checking one SME's answers against the questionnaire (pure: no Flask, no SQLAlchemy).

Validation reports every problem at once, keyed by question id, so a form can show each message
next to its field and the API can answer `422 {"errors": {question_id: [messages]}}`. Messages
are English templates marked with `N_` for the translation catalogue; the web layer translates
the template and fills in the parameters, the API and the CLI use the English text.
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.core.questionnaire.schema import Question, Questionnaire
from survey.core.routing import AnswerFacts, applies

AnswerValue = str | float | int | list[str]
Answers = Mapping[str, Any]

ANSWERS_KEY = "answers"


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here."""
    return message


REQUIRED = N_("This question is required.")
UNKNOWN_QUESTION = N_("Unknown question.")
UNKNOWN_OPTION = N_("“%(value)s” is not one of the options.")
EXPECT_CHOICE = N_("Choose one of the options.")
EXPECT_LIST = N_("Expected a list of options.")
DUPLICATE_OPTION = N_("An option was chosen twice.")
EXCLUSIVE_MIXED = N_("“%(label)s” cannot be combined with other options.")
EXPECT_NUMBER = N_("Enter the number in digits, for example 35.")
EXPECT_WHOLE_NUMBER = N_("Enter a whole number.")
TOO_SMALL = N_("Enter a number of at least %(min)s.")
TOO_LARGE = N_("Enter a number of at most %(max)s.")
EXPECT_TEXT = N_("Expected text.")
TOO_LONG = N_("Use at most %(max)s characters.")
NOT_AN_OBJECT = N_("Answers must be an object keyed by question id.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one answer: an English template and its parameters."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % dict(self.params) if self.params else self.template


@dataclass(frozen=True)
class Validation:
    """Clean answers, problems per question, and the answers ignored as inapplicable.

    An answer to a question that does not apply is neither stored nor scored, but it is not
    an error either (a client may send a whole form): it is reported in `ignored`.
    """

    answers: dict[str, AnswerValue]
    problems: dict[str, list[Problem]]
    ignored: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self) -> dict[str, list[str]]:
        return {qid: [p.message for p in ps] for qid, ps in self.problems.items()}


class InvalidAnswers(ValueError):
    def __init__(self, problems: dict[str, list[Problem]]) -> None:
        self.problems = problems
        lines = "; ".join(f"{qid}: {' '.join(p.message for p in ps)}"
                          for qid, ps in problems.items())
        super().__init__(f"invalid answers: {lines}")

    def messages(self) -> dict[str, list[str]]:
        return {qid: [p.message for p in ps] for qid, ps in self.problems.items()}


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _clean_one(q: Question, raw: Any) -> tuple[AnswerValue | None, list[Problem]]:
    """The normalised answer (None when blank) and the problems with it."""
    if raw is None:
        return None, []
    if q.type == "single":
        if not isinstance(raw, str):
            return None, [Problem(EXPECT_CHOICE)]
        if raw == "":
            return None, []
        if q.option(raw) is None:
            return None, [Problem(UNKNOWN_OPTION, {"value": raw[:80]})]
        return raw, []
    if q.type == "multi":
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            return None, [Problem(EXPECT_LIST)]
        if not raw:
            return None, []
        problems: list[Problem] = []
        unknown = [v for v in raw if q.option(v) is None]
        problems += [Problem(UNKNOWN_OPTION, {"value": v[:80]}) for v in unknown[:5]]
        if len(set(raw)) != len(raw):
            problems.append(Problem(DUPLICATE_OPTION))
        if len(raw) > 1:
            for v in dict.fromkeys(raw):
                opt = q.option(v)
                if opt is not None and (opt.exclusive or opt.is_skip):
                    problems.append(Problem(EXCLUSIVE_MIXED, {"label": opt.label.en}))
        if problems:
            return None, problems
        order = {o.value: i for i, o in enumerate(q.options)}
        return sorted(raw, key=order.__getitem__), []
    if q.type == "number":
        # Python compares int and float exactly, so a huge JSON integer is only compared,
        # never converted to float (which would overflow).
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, [Problem(EXPECT_NUMBER)]
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, [Problem(EXPECT_NUMBER)]
        if q.min is not None and raw < q.min:
            return None, [Problem(TOO_SMALL, {"min": _fmt(q.min)})]
        if q.max is not None and raw > q.max:
            return None, [Problem(TOO_LARGE, {"max": _fmt(q.max)})]
        if isinstance(raw, int):
            return raw, []
        if q.integer and not raw.is_integer():
            return None, [Problem(EXPECT_WHOLE_NUMBER)]
        return (int(raw) if raw.is_integer() else raw), []
    if not isinstance(raw, str):
        return None, [Problem(EXPECT_TEXT)]
    text = raw.strip()
    if q.max_length is not None and len(text) > q.max_length:
        return None, [Problem(TOO_LONG, {"max": q.max_length})]
    return (text or None), []


def is_shown(q: Question, answers: Mapping[str, Any],
             questionnaire: Questionnaire | None = None) -> bool:
    """Whether a question is asked, given the (clean) answers so far.

    Without the questionnaire, answers are read as given (enough for 2026.1's `show_if`); with
    it, don't-know answers, question scores and the derived profile are read as in scoring.
    """
    if q.applies_if is None:
        return True
    questions = questionnaire.questions if questionnaire is not None else None
    return applies(q, AnswerFacts(answers, questions))


def validate(
    questionnaire: Questionnaire,
    answers: Any,
    *,
    only: Iterable[str] | None = None,
    require: bool = True,
) -> Validation:
    """Check answers; with `only`, check and return just those questions (one page of the form).

    The answers given may include earlier pages: `applies_if` is resolved against them.

    Blank answers are dropped; answers to questions that do not apply are dropped unchecked
    (the respondent was never asked them, so they cannot be wrong) and listed in `ignored`;
    multi answers are put in questionnaire order, so equal answers are stored equally.
    """
    if not isinstance(answers, Mapping):
        return Validation({}, {ANSWERS_KEY: [Problem(NOT_AN_OBJECT)]})
    scope_set = set(only) if only is not None else set(questionnaire.questions)
    problems: dict[str, list[Problem]] = {}
    for key in answers:
        if key not in questionnaire.questions:
            problems[str(key)[:100]] = [Problem(UNKNOWN_QUESTION)]
    clean: dict[str, AnswerValue] = {}
    ignored: list[str] = []
    # A question's condition reads the clean answer of a question in scope (a hidden or invalid
    # one counts as unanswered), and the answer as given for earlier pages outside the scope.
    outside = {k: v for k, v in answers.items() if k not in scope_set}
    facts = AnswerFacts(ChainMap(clean, outside), questionnaire.questions)
    for qid in questionnaire.questions:
        if qid not in scope_set:
            continue
        q = questionnaire.questions[qid]
        if not applies(q, facts):
            if answers.get(qid) not in (None, "", []):
                ignored.append(qid)
            continue
        value, found = _clean_one(q, answers.get(qid))
        if found:
            problems[qid] = found
            continue
        if value is None:
            if require and q.required:
                problems[qid] = [Problem(REQUIRED)]
            continue
        clean[qid] = value
        facts.changed()
    return Validation(clean, problems, tuple(ignored))
