"""What the questionnaire pages need to know about a draft: which pages and questions it is
shown, how far it has got, and how one page is laid out.

Kept apart from the views so the rules (which page comes next, what counts as done, which
question is shown) have one home and can be tested without a request.

Routing (DESIGN.md §2) is decided by the pure core (`survey.core.routing`); this module only
splits each `applies_if` by *where* it can be decided:

- leaves that read questions on earlier pages, question scores or the derived profile are
  decided here, on the server, from the stored answers: a question they rule out is not
  rendered, and a page none of whose questions apply is skipped;
- leaves that read a question on the same page cannot be decided before the respondent
  answers it: they are left in the condition, which is rendered as JSON for
  `static/js/survey.js` to evaluate live. Without JavaScript such a question is shown, and
  `answers.validate` ignores its answer if it does not apply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from survey.core.answers import validate
from survey.core.conditions import (
    All,
    AnyOf,
    Condition,
    Not,
    ProfileIn,
    ScoreCompare,
    holds,
    to_data,
)
from survey.core.questionnaire.schema import Question, Questionnaire, Section, Text
from survey.core.routing import AnswerFacts, route

REVIEW = "review"

Residual = Condition | bool
"""What is left of a condition once the server has decided what it can: True or False, or
a condition on questions of the page it is shown on."""


def residual(condition: Condition | None, on_page: frozenset[str], facts: AnswerFacts
             ) -> Residual:
    """Decide every leaf that reads off the page; keep the leaves on the page's questions."""
    if condition is None:
        return True
    if isinstance(condition, All | AnyOf):
        decides = isinstance(condition, AnyOf)  # a True decides `any`, a False decides `all`
        kept: list[Condition] = []
        for item in condition.items:
            part = residual(item, on_page, facts)
            if part is decides:
                return decides
            if not isinstance(part, bool):
                kept.append(part)
        if not kept:
            return not decides
        if len(kept) == 1:
            return kept[0]
        return All(tuple(kept)) if isinstance(condition, All) else AnyOf(tuple(kept))
    if isinstance(condition, Not):
        part = residual(condition.item, on_page, facts)
        return (not part) if isinstance(part, bool) else Not(part)
    if isinstance(condition, ProfileIn | ScoreCompare) or condition.question not in on_page:
        return holds(condition, facts)
    return condition


def _facts(q: Questionnaire, answers: Mapping[str, Any]) -> AnswerFacts:
    """The facts conditions read: the stored answers of the questions that apply."""
    return AnswerFacts(route(q, answers).answers, q.questions)


def shown_questions(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Residual]:
    """Every question that is rendered on its page, with what its page decides live (True:
    nothing, it applies)."""
    facts = _facts(q, answers)
    out: dict[str, Residual] = {}
    for section in q.sections:
        on_page = frozenset(qq.id for qq in section.questions)
        for question in section.questions:
            found = residual(question.applies_if, on_page, facts)
            if found is not False:
                out[question.id] = found
    return out


def visible_sections(q: Questionnaire, answers: Mapping[str, Any]) -> tuple[Section, ...]:
    """The pages with at least one question to show (a firm with no export activity or plans
    never sees the overseas page)."""
    shown = shown_questions(q, answers)
    return tuple(s for s in q.sections if any(qq.id in shown for qq in s.questions))


# --- one page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A question on the page, with its live condition as JSON (None: it always applies)."""

    question: Question
    condition: str | None
    kind: Literal["question"] = "question"


@dataclass(frozen=True)
class Grid:
    """Consecutive rows with the same options, shown as one fieldset. Its legend is the help
    of its first row in the data (the instruction the rows share)."""

    id: str
    legend: Text | None
    rows: tuple[Shown, ...]
    kind: Literal["grid"] = "grid"

    @property
    def options(self) -> Sequence[Any]:
        return self.rows[0].question.options

    @property
    def first(self) -> Question:
        return self.rows[0].question


def _shown(question: Question, found: Residual) -> Shown:
    live = None if isinstance(found, bool) else json.dumps(
        to_data(found), ensure_ascii=False, separators=(",", ":"))
    return Shown(question, live)


def page_items(q: Questionnaire, section: Section, answers: Mapping[str, Any]
               ) -> list[Shown | Grid]:
    """The page as rendered: questions and grids, in order, without those ruled out."""
    shown = shown_questions(q, answers)
    items: list[Shown | Grid] = []
    legends: dict[str, Text | None] = {}
    for question in section.questions:
        if question.grid is not None:
            legends.setdefault(question.grid, question.help)
        if question.id not in shown:
            continue
        row = _shown(question, shown[question.id])
        last = items[-1] if items else None
        if question.grid is None:
            items.append(row)
        elif isinstance(last, Grid) and last.id == question.grid:
            items[-1] = Grid(last.id, last.legend, (*last.rows, row))
        else:
            items.append(Grid(question.grid, legends[question.grid], (row,)))
    return items


def grid_row_help(grid: Grid, question: Question) -> Text | None:
    """A row's own help: none for the row whose help is the grid's legend."""
    return None if question.help == grid.legend else question.help


# --- where the respondent is ---------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    index: int  # 1-based position of the current page among the pages shown
    total: int
    percent: int  # applicable required questions answered
    done: frozenset[str]
    sections: tuple[Section, ...]  # the pages to expect, in order


def section_by_id(q: Questionnaire, section_id: str) -> Section | None:
    return next((s for s in q.sections if s.id == section_id), None)


def neighbours(q: Questionnaire, section: Section, answers: Mapping[str, Any]
               ) -> tuple[str | None, str]:
    """(previous page shown or None, next page shown or 'review'), given the answers."""
    shown = {s.id for s in visible_sections(q, answers)}
    i = q.section_index(section.id)
    prev = next((s.id for s in reversed(q.sections[:i]) if s.id in shown), None)
    nxt = next((s.id for s in q.sections[i + 1:] if s.id in shown), REVIEW)
    return prev, nxt


def complete_sections(q: Questionnaire, answers: Mapping[str, Any]) -> frozenset[str]:
    """Sections whose applicable required questions all have valid answers."""
    done = set()
    for s in q.sections:
        v = validate(q, answers, only=[qq.id for qq in s.questions])
        if v.ok:
            done.add(s.id)
    return frozenset(done)


def first_incomplete(q: Questionnaire, answers: Mapping[str, Any]) -> str | None:
    done = complete_sections(q, answers)
    return next((s.id for s in visible_sections(q, answers) if s.id not in done), None)


def _maybe(condition: Condition, facts: AnswerFacts, pending: frozenset[str]) -> bool | None:
    """A condition in three values: None while it reads a question not yet reached."""
    if isinstance(condition, All | AnyOf):
        found = [_maybe(item, facts, pending) for item in condition.items]
        decides = isinstance(condition, AnyOf)
        if decides in found:
            return decides
        return None if None in found else not decides
    if isinstance(condition, Not):
        inner = _maybe(condition.item, facts, pending)
        return None if inner is None else not inner
    if isinstance(condition, ProfileIn):
        return None if pending and facts.profile(condition.key) is None else holds(
            condition, facts)
    return None if condition.question in pending else holds(condition, facts)


def expected_sections(q: Questionnaire, answers: Mapping[str, Any],
                      done: frozenset[str] | None = None) -> tuple[Section, ...]:
    """The pages the respondent can expect: those shown, and those ahead that the answers so
    far do not rule out (the overseas page counts until the export status says no plans), so
    the page count does not grow on the way."""
    done = complete_sections(q, answers) if done is None else done
    pending = frozenset(qq.id for s in q.sections if s.id not in done for qq in s.questions
                        if qq.id not in answers)
    facts = _facts(q, answers)
    return tuple(s for s in q.sections if any(
        qq.applies_if is None or _maybe(qq.applies_if, facts, pending) is not False
        for qq in s.questions))


def progress(q: Questionnaire, current: str, answers: Mapping[str, Any]) -> Progress:
    """Pages to expect and done, and the share of the applicable required questions
    answered."""
    shown = {s.id for s in visible_sections(q, answers)}
    done = frozenset(s for s in complete_sections(q, answers) if s in shown)
    sections = expected_sections(q, answers, done)
    routed = route(q, answers)
    required = [qq.id for qq in q.questions.values()
                if qq.required and qq.id not in routed.not_applicable]
    answered = sum(1 for qid in required if qid in routed.answers)
    percent = 100 * answered // len(required) if required else 100
    ids = [s.id for s in sections]
    index = len(ids) if current == REVIEW or current not in ids else ids.index(current) + 1
    return Progress(index=index, total=len(ids), percent=percent, done=done, sections=sections)


def applicable_questions(q: Questionnaire, section: Section, answers: Mapping[str, Any]
                         ) -> list[Question]:
    """A page's questions that apply to the firm, as the review lists them."""
    routed = route(q, answers)
    return [qq for qq in section.questions if qq.id not in routed.not_applicable]


def question_numbers(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str]:
    """Numbers shown beside questions: 1, 2, 3 … across the questions shown. A grid takes one
    number (every row carries it). A question its page shows or hides live (a follow-up of an
    answer on the same page) takes the number of the question before it and a letter (10a,
    10b), so hiding it leaves no gap in the count; a question the server rules out (every
    export question, for a firm with no export plans) is not counted at all."""
    shown = shown_questions(q, answers)
    numbers: dict[str, str] = {}
    n = 0
    base: str | None = None
    letters = 0
    previous: Question | None = None
    for question in q.questions.values():
        if question.id not in shown:
            continue
        if question.grid is not None and previous is not None and previous.grid == question.grid:
            numbers[question.id] = numbers[previous.id]
        elif shown[question.id] is not True and base is not None and letters < 26:
            letters += 1
            numbers[question.id] = base + "abcdefghijklmnopqrstuvwxyz"[letters - 1]
        else:
            n += 1
            base = numbers[question.id] = str(n)
            letters = 0
        previous = question
    return numbers
