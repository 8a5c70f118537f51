"""The condition language of the questionnaire data (pure, stdlib only).

One small language serves `applies_if` (which questions a firm is asked), the `when` of next
steps (which advice its answers call for) and the credit-constraint rules (how its financing
answers classify it); the programme directory is meant to reuse it. Conditions are parsed once,
when the data file loads, into frozen objects, so a typo in the data fails the load instead of
silently never matching in a respondent's report.

This module knows nothing of questionnaires: whether a referenced question exists, comes
earlier or has the named options is checked by the loader, and evaluation reads the facts of one
firm through the small `Facts` protocol. That keeps the language reusable and its semantics in
one place: an unanswered, don't-know or inapplicable question makes every leaf on it false,
except `answered = false`, so a condition can only hold on positive evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

PROFILE_VALUES: Mapping[str, tuple[str, ...]] = {
    "size_class": ("micro", "small", "medium", "large"),
    "region": ("east", "central", "west", "northeast"),
    "sector": ("goods", "services"),
}
MAX_DEPTH = 8


@dataclass(frozen=True)
class AnswerIn:
    """Single: the answer is one of `values`; multi: any of them is ticked."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class AnswerNotIn:
    """Answered (not don't-know) and none of `values` chosen."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class NumberCompare:
    """A number answer compared with a bound: `ge` (≥) or `lt` (<)."""

    question: str
    op: Literal["ge", "lt"]
    value: float


@dataclass(frozen=True)
class Answered:
    """Whether the question has a real answer (`answered = false` also holds when skipped)."""

    question: str
    answered: bool


@dataclass(frozen=True)
class ScoreCompare:
    """The question's 0–100 score: `below` (<) or `at_least` (≥) a bound."""

    question: str
    op: Literal["below", "at_least"]
    value: float


@dataclass(frozen=True)
class ProfileIn:
    """A derived profile value (`size_class`, `region`, `sector`) is one of `values`."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Leaf = AnswerIn | AnswerNotIn | NumberCompare | Answered | ScoreCompare
Condition = Leaf | ProfileIn | All | AnyOf | Not


class Facts(Protocol):
    """What a condition may read about one firm.

    `answer` returns only real answers: None for an unanswered, don't-know or inapplicable
    question. `score` is the question's 0–100 score or None; `profile` a derived value or None.
    """

    def answer(self, question: str) -> Any: ...

    def score(self, question: str) -> float | None: ...

    def profile(self, key: str) -> str | None: ...


# --- parsing --------------------------------------------------------------------------------

_QUESTION_OPS = ("in", "not_in", "ge", "lt", "answered")
_SCORE_OPS = ("below", "at_least")


class ConditionError(ValueError):
    """A condition that does not follow the language; the message says where and why."""


def parse_condition(raw: Any, where: str = "condition") -> Condition:
    """The typed condition of a data-file table, or `ConditionError` naming what is wrong."""
    return _parse(raw, where, 0)


def _parse(raw: Any, where: str, depth: int) -> Condition:
    if depth > MAX_DEPTH:
        raise ConditionError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    if not isinstance(raw, Mapping) or not raw:
        raise ConditionError(f"{where}: a condition must be a table such as "
                             "{question = \"q\", in = [\"a\"]}, got " + f"{raw!r:.60}")
    keys = set(raw)
    if keys & {"all", "any"}:
        (key,) = _only(keys, {"all", "any"}, where)
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}: `{key}` needs a non-empty list of conditions")
        parsed = tuple(_parse(item, f"{where}.{key}[{i}]", depth + 1)
                       for i, item in enumerate(items))
        return All(parsed) if key == "all" else AnyOf(parsed)
    if "not" in keys:
        _only(keys, {"not"}, where)
        return Not(_parse(raw["not"], f"{where}.not", depth + 1))
    if "question" in keys:
        return _question_leaf(raw, where)
    if "score_of" in keys:
        return _score_leaf(raw, where)
    if "profile" in keys:
        return _profile_leaf(raw, where)
    raise ConditionError(f"{where}: unknown condition keys {sorted(keys)}; a condition names "
                         "`question`, `score_of`, `profile`, `all`, `any` or `not`")


def _only(keys: set[str], allowed: set[str], where: str) -> list[str]:
    extra = sorted(keys - allowed)
    if extra or len(keys) != 1:
        raise ConditionError(f"{where}: `{' / '.join(sorted(keys & allowed))}` cannot be "
                             f"combined with {extra or sorted(keys)}")
    return sorted(keys)


def _name(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ConditionError(f"{where}: `{key}` must name a question id")
    return value


def _operator(raw: Mapping[str, Any], head: str, ops: Sequence[str], where: str) -> str:
    found = [k for k in raw if k != head]
    unknown = [k for k in found if k not in ops]
    if unknown or len(found) != 1:
        raise ConditionError(f"{where}: `{head}` takes exactly one of {', '.join(ops)}; "
                             f"got {sorted(found)}")
    return found[0]


def _strings(value: Any, where: str, op: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v for v in value):
        raise ConditionError(f"{where}: `{op}` needs a non-empty list of option values")
    if len(set(value)) != len(value):
        raise ConditionError(f"{where}: `{op}` lists an option twice")
    return tuple(value)


def _bound(value: Any, where: str, op: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConditionError(f"{where}: `{op}` needs a number, got {value!r:.40}")
    return float(value)


def _question_leaf(raw: Mapping[str, Any], where: str) -> Leaf:
    qid = _name(raw, "question", where)
    op = _operator(raw, "question", _QUESTION_OPS, where)
    value = raw[op]
    if op == "in":
        return AnswerIn(qid, _strings(value, where, op))
    if op == "not_in":
        return AnswerNotIn(qid, _strings(value, where, op))
    if op == "answered":
        if not isinstance(value, bool):
            raise ConditionError(f"{where}: `answered` is true or false")
        return Answered(qid, value)
    return NumberCompare(qid, "ge" if op == "ge" else "lt", _bound(value, where, op))


def _score_leaf(raw: Mapping[str, Any], where: str) -> ScoreCompare:
    qid = _name(raw, "score_of", where)
    op = _operator(raw, "score_of", _SCORE_OPS, where)
    bound = _bound(raw[op], where, op)
    if not 0 <= bound <= 100:
        raise ConditionError(f"{where}: a score bound lies in [0, 100], got {bound:g}")
    return ScoreCompare(qid, "below" if op == "below" else "at_least", bound)


def _profile_leaf(raw: Mapping[str, Any], where: str) -> ProfileIn:
    key = str(raw.get("profile"))
    if key not in PROFILE_VALUES:
        raise ConditionError(f"{where}: unknown profile value {key!r}; known: "
                             f"{', '.join(PROFILE_VALUES)}")
    _operator(raw, "profile", ("in",), where)
    values = _strings(raw["in"], where, "in")
    unknown = [v for v in values if v not in PROFILE_VALUES[key]]
    if unknown:
        raise ConditionError(f"{where}: unknown {key} values {unknown}; known: "
                             f"{', '.join(PROFILE_VALUES[key])}")
    return ProfileIn(key, values)


# --- reading --------------------------------------------------------------------------------


def leaves(condition: Condition) -> Iterator[Leaf | ProfileIn]:
    """Every leaf, in the order written."""
    if isinstance(condition, All | AnyOf):
        for item in condition.items:
            yield from leaves(item)
    elif isinstance(condition, Not):
        yield from leaves(condition.item)
    else:
        yield condition


def questions_of(condition: Condition) -> tuple[str, ...]:
    """The question ids a condition can read, once each, in the order written."""
    ids = (leaf.question for leaf in leaves(condition) if not isinstance(leaf, ProfileIn))
    return tuple(dict.fromkeys(ids))


def to_data(condition: Condition) -> dict[str, Any]:
    """The condition as the plain table it was written as (for JSON and round trips)."""
    if isinstance(condition, All):
        return {"all": [to_data(c) for c in condition.items]}
    if isinstance(condition, AnyOf):
        return {"any": [to_data(c) for c in condition.items]}
    if isinstance(condition, Not):
        return {"not": to_data(condition.item)}
    if isinstance(condition, AnswerIn):
        return {"question": condition.question, "in": list(condition.values)}
    if isinstance(condition, AnswerNotIn):
        return {"question": condition.question, "not_in": list(condition.values)}
    if isinstance(condition, Answered):
        return {"question": condition.question, "answered": condition.answered}
    if isinstance(condition, NumberCompare | ScoreCompare):
        head = "question" if isinstance(condition, NumberCompare) else "score_of"
        return {head: condition.question, condition.op: condition.value}
    return {"profile": condition.key, "in": list(condition.values)}


# --- evaluation -----------------------------------------------------------------------------


def _chosen(answer: Any) -> list[str]:
    if isinstance(answer, list):
        return [v for v in answer if isinstance(v, str)]
    return [answer] if isinstance(answer, str) else []


def _leaf_holds(leaf: Leaf | ProfileIn, facts: Facts) -> bool:
    if isinstance(leaf, ProfileIn):
        return facts.profile(leaf.key) in leaf.values
    if isinstance(leaf, ScoreCompare):
        score = facts.score(leaf.question)
        if score is None:
            return False
        return score < leaf.value if leaf.op == "below" else score >= leaf.value
    answer = facts.answer(leaf.question)
    if isinstance(leaf, Answered):
        return (answer is not None) == leaf.answered
    if answer is None:
        return False
    if isinstance(leaf, AnswerIn):
        return any(v in leaf.values for v in _chosen(answer))
    if isinstance(leaf, AnswerNotIn):
        return not any(v in leaf.values for v in _chosen(answer))
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return False
    number = float(answer)
    return number >= leaf.value if leaf.op == "ge" else number < leaf.value


def leaf_holds(leaf: Leaf | ProfileIn, facts: Facts) -> bool:
    """Whether one leaf holds, for callers that walk a condition themselves (the programme
    matcher keeps the profile values that decided, which `evaluate` does not report)."""
    return _leaf_holds(leaf, facts)


def evaluate(condition: Condition, facts: Facts) -> tuple[bool, tuple[str, ...]]:
    """Whether the condition holds, and the question ids it read on the way.

    The ids are the ones that decided the result — the "because" of a next step: the item
    that made an `any` hold or an `all` fail, else every item.
    """
    read: list[str] = []
    result = _eval(condition, facts, read)
    return result, tuple(dict.fromkeys(read))


def holds(condition: Condition | None, facts: Facts) -> bool:
    """No condition always holds (a question without `applies_if` always applies)."""
    return True if condition is None else _eval(condition, facts, [])


def _eval(condition: Condition, facts: Facts, read: list[str]) -> bool:
    if isinstance(condition, All | AnyOf):
        # Report only what decided: one item decides an `any` that holds or an `all` that
        # fails (the first such item); every item decides the other outcome. So a step's
        # "because" never names an answer that pointed the other way.
        decisive = isinstance(condition, AnyOf)
        tried: list[str] = []
        for item in condition.items:
            own: list[str] = []
            if _eval(item, facts, own) == decisive:
                read.extend(own)
                return decisive
            tried.extend(own)
        read.extend(tried)
        return not decisive
    if isinstance(condition, Not):
        return not _eval(condition.item, facts, read)
    if not isinstance(condition, ProfileIn):
        read.append(condition.question)
    return _leaf_holds(condition, facts)


@dataclass(frozen=True)
class MappingFacts:
    """Facts from plain mappings: for tests, and for callers that hold every value already."""

    answers: Mapping[str, Any]
    scores: Mapping[str, float | None]
    profile_values: Mapping[str, str | None]

    def answer(self, question: str) -> Any:
        return self.answers.get(question)

    def score(self, question: str) -> float | None:
        return self.scores.get(question)

    def profile(self, key: str) -> str | None:
        return self.profile_values.get(key)


NO_FACTS = MappingFacts({}, {}, {})
