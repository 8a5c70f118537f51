"""Answers generated from a questionnaire itself, for property tests of any version.

Answers are drawn for every question, applicable or not: routing must drop what does not apply,
and the properties must hold whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from survey.core.questionnaire.schema import Question, Questionnaire


def scored_options(q: Question) -> list[str]:
    return [o.value for o in q.options if not o.is_skip and not o.exclusive]


def skip_options(q: Question) -> list[str]:
    return [o.value for o in q.options if o.is_skip]


def points_of(q: Question, answer: Any) -> float:
    values = answer if isinstance(answer, list) else [answer]
    return sum((q.option(v).points or 0.0) for v in values)  # type: ignore[union-attr]


def answer_for(q: Question, kind: str = "any") -> st.SearchStrategy[Any]:
    """An answer: real options only (kind="scored"), or also skips and exclusives."""
    if q.type == "number":
        lo = int(q.min if q.min is not None else 0)
        hi = int(min(q.max if q.max is not None else lo + 1000, lo + 1000))
        return st.integers(lo, hi)
    if q.type == "text":
        return st.just("text")
    choices = scored_options(q)
    if q.type == "multi":
        real: st.SearchStrategy[Any] = st.lists(st.sampled_from(choices), min_size=1,
                                                unique=True)
        others: list[Any] = [[o.value] for o in q.options if o.is_skip or o.exclusive]
    else:
        real = st.sampled_from(choices)
        others = skip_options(q)
    if kind == "scored" or not others:
        return real
    return st.one_of(real, st.sampled_from(others))


def answer_sets(q: Questionnaire, *, sparse: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to the choice and number questions, any of them possibly left out."""
    strategies = {qq.id: answer_for(qq) for qq in q.questions.values() if qq.type != "text"}
    if not sparse:
        return st.fixed_dictionaries({}, optional=strategies)
    return st.sets(st.sampled_from(sorted(strategies)), max_size=len(strategies) // 3).flatmap(
        lambda ids: st.fixed_dictionaries({qid: strategies[qid] for qid in sorted(ids)}))


def best_answer(q: Question) -> Any:
    if q.type == "multi":
        return scored_options(q)
    return max(scored_options(q), key=lambda v: q.option(v).points or 0.0)  # type: ignore[union-attr]


def worst_answer(q: Question) -> Any:
    zero = next(o for o in q.options if o.points == 0 and not o.is_skip)
    return [zero.value] if q.type == "multi" else zero.value


def all_best(q: Questionnaire, unscored_best: Mapping[str, Any]) -> dict[str, Any]:
    """Every scored question at its best option, and the unscored ones as the test says."""
    out = {qq.id: best_answer(qq) for qq in q.scored_questions}
    out.update(unscored_best)
    return out
