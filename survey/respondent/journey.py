"""What the questionnaire pages need to know about a draft: its sections and progress.

Kept apart from the views so the rules (which page comes next, what counts as done) have one
home and can be tested without a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.core.answers import validate
from survey.core.conditions import questions_of
from survey.core.questionnaire.schema import Questionnaire, Section

REVIEW = "review"


@dataclass(frozen=True)
class Progress:
    index: int  # 1-based position of the current page among the sections
    total: int
    percent: int
    done: frozenset[str]


def section_by_id(q: Questionnaire, section_id: str) -> Section | None:
    return next((s for s in q.sections if s.id == section_id), None)


def neighbours(q: Questionnaire, section: Section) -> tuple[str | None, str]:
    """(previous section id or None, next section id or 'review')."""
    i = q.section_index(section.id)
    prev = q.sections[i - 1].id if i > 0 else None
    nxt = q.sections[i + 1].id if i + 1 < len(q.sections) else REVIEW
    return prev, nxt


def complete_sections(q: Questionnaire, answers: Mapping[str, Any]) -> frozenset[str]:
    """Sections whose required questions all have valid answers."""
    done = set()
    for s in q.sections:
        v = validate(q, answers, only=[qq.id for qq in s.questions])
        if v.ok:
            done.add(s.id)
    return frozenset(done)


def first_incomplete(q: Questionnaire, answers: Mapping[str, Any]) -> str | None:
    done = complete_sections(q, answers)
    return next((s.id for s in q.sections if s.id not in done), None)


def progress(q: Questionnaire, current: str, answers: Mapping[str, Any]) -> Progress:
    done = complete_sections(q, answers)
    total = len(q.sections)
    index = total if current == REVIEW else q.section_index(current) + 1
    return Progress(index=index, total=total, percent=round(100 * len(done) / total), done=done)


def question_numbers(q: Questionnaire) -> dict[str, str]:
    """Numbers shown beside questions: 1, 2, 3 … across pages. A follow-up — a question that
    applies only on the answer to the question right before it (or shares that trigger with
    the follow-up before it) — takes its trigger's number and a letter (10a, 10b), so hiding it
    leaves no gap in the count; a question routed on an earlier answer elsewhere (every export
    question on the export status) is numbered as usual."""
    numbers: dict[str, str] = {}
    n = 0
    previous: str | None = None
    parent_of_previous: str | None = None
    letters: dict[str, int] = {}
    for question in q.questions.values():
        read = questions_of(question.applies_if) if question.applies_if else ()
        parent = read[0] if len(read) == 1 else None
        follows = parent is not None and parent in numbers and parent in (
            previous, parent_of_previous) and letters.get(parent, 0) < 26
        if follows and parent is not None:
            letters[parent] = letters.get(parent, 0) + 1
            numbers[question.id] = numbers[parent] + "abcdefghijklmnopqrstuvwxyz"[
                letters[parent] - 1]
            parent_of_previous = parent
        else:
            n += 1
            numbers[question.id] = str(n)
            parent_of_previous = None
        previous = question.id
    return numbers
