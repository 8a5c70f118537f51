"""Checks that need the whole questionnaire: conditions, links, grids, next steps, rules.

A condition written in the data names questions by id; whether those exist, come early enough
and have the options named can only be checked once every question is read. The same holds for
grids (consecutive rows with equal options) and for the 2027.1 rules that a link says why and a
next step says when. Every problem names where it sits, like the rest of the loader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from survey.core.conditions import (
    NO_FACTS,
    AnswerIn,
    AnswerNotIn,
    Condition,
    NumberCompare,
    ProfileIn,
    ScoreCompare,
    holds,
    leaves,
)
from survey.core.questionnaire.checker import Checker
from survey.core.questionnaire.schema import CreditRule, Question, Recommendation, Section


def check_condition(condition: Condition, owner: str, label: str,
                    questions: Mapping[str, Question], c: Checker, *,
                    before: str | None = None) -> None:
    """Every leaf names an existing question (an earlier one, with `before`) and real options.

    `owner` is where the condition sits ("question x"), `label` its key ("applies_if").
    """
    order = {qid: i for i, qid in enumerate(questions)}
    for leaf in leaves(condition):
        if isinstance(leaf, ProfileIn):
            continue
        target = questions.get(leaf.question)
        if target is None or (before is not None and order[leaf.question] >= order[before]):
            kind = "an earlier question" if before is not None else "a question"
            c.fail(owner, f"{label} names {leaf.question!r}, which is not {kind}")
            continue
        problem = _leaf_problem(leaf, target)
        if problem:
            c.fail(owner, f"{label} {problem}")


def _leaf_problem(leaf: Condition, target: Question) -> str | None:
    if isinstance(leaf, AnswerIn | AnswerNotIn):
        if target.type not in ("single", "multi"):
            return f"reads options of {target.id!r}, which is a {target.type} question"
        unknown = [v for v in leaf.values if target.option(v) is None]
        if unknown:
            return f"names unknown options {unknown} of {target.id!r}"
        skips = [v for v in leaf.values if (o := target.option(v)) is not None and o.is_skip]
        if skips:
            return (f"names {skips} of {target.id!r}: a don't-know answer makes every "
                    "condition on the question false, so this can never match")
    if isinstance(leaf, NumberCompare) and target.type != "number":
        return f"compares {target.id!r} with a number, but it is a {target.type} question"
    if isinstance(leaf, ScoreCompare) and not target.scored:
        return f"reads the score of {target.id!r}, which is not scored"
    return None


def check_routing(questions: Mapping[str, Question], keys: Mapping[str, str],
                  c: Checker) -> None:
    """`keys` holds the key each condition was written under (`applies_if` or `show_if`)."""
    for q in questions.values():
        if q.applies_if is not None:
            check_condition(q.applies_if, f"question {q.id}", keys.get(q.id, "applies_if"),
                            questions, c, before=q.id)


def check_links(questions: Mapping[str, Question], need_why: bool, c: Checker) -> None:
    if not need_why:
        return
    for q in questions.values():
        for link in q.links:
            if link.why is None:
                c.fail(f"question {q.id}", f"link to {link.to} needs a `why` (method 2027.1): "
                                           "the lever of that recommendation that could change "
                                           "this answer")


def check_grids(sections: Sequence[Section], c: Checker) -> None:
    """A grid is consecutive single questions of one section with the same options."""
    seen: set[str] = set()
    for section in sections:
        previous: Question | None = None
        for q in section.questions:
            if q.grid is not None and (previous is None or previous.grid != q.grid):
                if q.grid in seen:
                    c.fail(f"question {q.id}", f"grid {q.grid!r} is split: its rows must be "
                                               "consecutive questions of one section")
                seen.add(q.grid)
            elif q.grid is not None and previous is not None and \
                    _option_key(q) != _option_key(previous):
                c.fail(f"question {q.id}", f"grid {q.grid!r}: every row needs the same options "
                                           f"as {previous.id!r}")
            previous = q


def _option_key(q: Question) -> tuple[tuple[str, str, str, float | None, str | None], ...]:
    return tuple((o.value, o.label.en, o.label.zh, o.points, o.kind) for o in q.options)


def grid_units(sections: Sequence[Section]) -> int:
    """Questions as a respondent meets them: a grid counts once."""
    units = 0
    for section in sections:
        previous: str | None = None
        for q in section.questions:
            if q.grid is None or q.grid != previous:
                units += 1
            previous = q.grid
    return units


def check_steps(recommendations: Sequence[Recommendation], questions: Mapping[str, Question],
                need_when: bool, c: Checker) -> None:
    ids = Counter(step.id for rec in recommendations for step in rec.steps)
    for rec in recommendations:
        for step in rec.steps:
            owner = f"recommendation {rec.id} next step {step.id}"
            if ids[step.id] > 1:
                c.fail(owner, "duplicate next-step id")
            if step.when is None:
                if need_when:
                    c.fail(owner, "needs a `when` (method 2027.1): a step is shown only when "
                                  "the answers show the firm does not do it yet")
                continue
            check_condition(step.when, owner, "when", questions, c)
            if holds(step.when, NO_FACTS):
                c.fail(owner, "its `when` holds with no answers at all; a step needs positive "
                              "evidence that the firm does not do it yet")


def check_credit_rules(rules: Sequence[CreditRule], questions: Mapping[str, Question],
                       required: bool, c: Checker) -> None:
    if required and not rules:
        c.fail("indicators.credit_constraint", "method 2027.1 needs the credit-constraint rules")
    for rule_id, n in Counter(r.id for r in rules).items():
        if n > 1:
            c.fail(f"indicators.credit_constraint {rule_id}", "duplicate rule id")
    for rule in rules:
        owner = f"indicators.credit_constraint {rule.id}"
        check_condition(rule.when, owner, "when", questions, c)
        if holds(rule.when, NO_FACTS):
            c.fail(owner, "its `when` holds with no answers at all; a firm without evidence "
                          "is 'unknown'")
