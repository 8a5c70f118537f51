"""Which programmes of the directory a firm is eligible for, and why (pure, stdlib only).

A programme's eligibility is a condition in the same language as the next steps
(`core.conditions`), read through the same facts (`core.routing.AnswerFacts`: answers, question
scores, derived profile values), so "you qualify" can never mean something else than "this step
is for you". A programme is shown only when it is active, open on the day, and its condition
holds; the reasons are the leaves that decided it, so the report can word them for the owner
the way it words a next step's "because you answered …".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.conditions import (
    All,
    AnswerIn,
    AnswerNotIn,
    AnyOf,
    Condition,
    ConditionError,
    Facts,
    Leaf,
    Not,
    NumberCompare,
    ProfileIn,
    leaf_holds,
    leaves,
    parse_condition,
)
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS, Questionnaire

PROVIDER_KINDS: tuple[str, ...] = ("member_company", "public_body", "chamber")


@dataclass(frozen=True)
class ProgrammeRule:
    """What matching needs of one programme: no texts, so the rule is testable alone."""

    id: int
    recommendations: tuple[str, ...]
    condition: Condition | None
    active: bool = True
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Match:
    """A programme the firm is eligible for, shown under `recommendation`.

    `questions` are the answers that decided the match; `profile` the derived values (size
    class, region, sector) that did, as (key, value) pairs.
    """

    programme_id: int
    recommendation: str
    questions: tuple[str, ...]
    profile: tuple[tuple[str, str], ...]

    @property
    def specificity(self) -> int:
        return len(self.questions) + len(self.profile)


def is_open(rule: ProgrammeRule, today: dt.date) -> bool:
    return (rule.active and (rule.valid_from is None or rule.valid_from <= today)
            and (rule.valid_to is None or today <= rule.valid_to))


def _decide(condition: Condition, facts: Facts, out: list[Leaf | ProfileIn],
            negated: bool = False) -> bool:
    """`conditions.evaluate` that also keeps the profile leaves that decided (outside a `not`,
    since "you are not a large firm" is no reason an owner recognises)."""
    if isinstance(condition, All | AnyOf):
        decisive = isinstance(condition, AnyOf)
        tried: list[Leaf | ProfileIn] = []
        for item in condition.items:
            own: list[Leaf | ProfileIn] = []
            if _decide(item, facts, own, negated) == decisive:
                out.extend(own)
                return decisive
            tried.extend(own)
        out.extend(tried)
        return not decisive
    if isinstance(condition, Not):
        return not _decide(condition.item, facts, out, not negated)
    if not (negated and isinstance(condition, ProfileIn)):
        out.append(condition)
    return leaf_holds(condition, facts)


def reasons(condition: Condition | None, facts: Facts
            ) -> tuple[bool, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Whether the condition holds, the questions and the profile values that decided it."""
    if condition is None:
        return True, (), ()
    decided: list[Leaf | ProfileIn] = []
    held = _decide(condition, facts, decided)
    questions = tuple(dict.fromkeys(leaf.question for leaf in decided
                                    if not isinstance(leaf, ProfileIn)))
    profile: list[tuple[str, str]] = []
    for leaf in decided:
        if isinstance(leaf, ProfileIn):
            value = facts.profile(leaf.key)
            if value in leaf.values and (leaf.key, value) not in profile:
                profile.append((leaf.key, value))
    return held, questions, tuple(profile)


def match(rules: Sequence[ProgrammeRule], facts: Facts, today: dt.date,
          order: Sequence[str]) -> list[Match]:
    """The programmes the firm is eligible for, best first.

    Each is placed under the first recommendation it addresses in `order` (the firm's own
    order in its report), so the most needed recommendation carries its programmes first;
    within one recommendation the programme whose conditions say more about this firm (more
    deciding answers and profile values) comes first, then the directory's order.
    """
    position = {rec: i for i, rec in enumerate(order)}
    found: list[tuple[int, int, int, Match]] = []
    for rule in rules:
        if not is_open(rule, today):
            continue
        placed = [r for r in rule.recommendations if r in position]
        if not placed:
            continue
        held, questions, profile = reasons(rule.condition, facts)
        if not held:
            continue
        rec = min(placed, key=position.__getitem__)
        m = Match(rule.id, rec, questions, profile)
        found.append((position[rec], -m.specificity, rule.id, m))
    return [m for *_key, m in sorted(found, key=lambda t: t[:3])]


def parse_eligibility(raw: Mapping[str, Any] | None, q: Questionnaire | None = None,
                      where: str = "eligibility") -> Condition | None:
    """The stored table as a condition (None: every firm), checked against the questionnaire
    when given: a question it names must exist and an option it lists must be one of that
    question's, so a typo fails the import instead of never matching."""
    if raw is None or raw == {}:
        return None
    condition = parse_condition(raw, where)
    if q is not None:
        problems = check_against(condition, q)
        if problems:
            raise ConditionError(f"{where}: " + "; ".join(problems))
    return condition


def check_against(condition: Condition, q: Questionnaire) -> list[str]:
    problems = []
    for leaf in leaves(condition):
        if isinstance(leaf, ProfileIn):
            continue
        question = q.questions.get(leaf.question)
        if question is None:
            problems.append(f"unknown question {leaf.question!r}")
            continue
        if isinstance(leaf, AnswerIn | AnswerNotIn):
            known = {o.value for o in question.options or ()}
            unknown = [v for v in leaf.values if v not in known]
            if unknown:
                problems.append(f"{leaf.question} has no option {', '.join(unknown)}")
        elif isinstance(leaf, NumberCompare) and question.type != "number":
            problems.append(f"{leaf.question} is not a number question")
    return problems


def check_targets(recommendations: Sequence[str], areas: Sequence[str]) -> list[str]:
    """A programme addresses at least one known recommendation, and only known areas."""
    problems = [f"unknown recommendation {r!r}" for r in recommendations
                if r not in RECOMMENDATIONS]
    problems += [f"unknown area {a!r}" for a in areas if a not in AREAS]
    if not recommendations:
        problems.append("a programme addresses at least one recommendation")
    return problems
