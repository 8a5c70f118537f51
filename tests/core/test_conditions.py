"""The condition language: parsed once into typed objects, evaluated on positive evidence only."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.conditions import (
    NO_FACTS,
    All,
    Answered,
    AnswerIn,
    AnswerNotIn,
    AnyOf,
    ConditionError,
    MappingFacts,
    Not,
    NumberCompare,
    ProfileIn,
    ScoreCompare,
    evaluate,
    holds,
    parse_condition,
    questions_of,
    to_data,
)

FACTS = MappingFacts(
    answers={"single": "a", "multi": ["x", "y"], "count": 20, "none_ticked": ["none"]},
    scores={"single": 50.0, "multi": 100.0},
    profile_values={"size_class": "small", "region": None},
)


@pytest.mark.parametrize(
    ("raw", "typed"),
    [
        ({"question": "q", "in": ["a", "b"]}, AnswerIn("q", ("a", "b"))),
        ({"question": "q", "not_in": ["a"]}, AnswerNotIn("q", ("a",))),
        ({"question": "q", "ge": 20}, NumberCompare("q", "ge", 20.0)),
        ({"question": "q", "lt": 2.5}, NumberCompare("q", "lt", 2.5)),
        ({"question": "q", "answered": False}, Answered("q", False)),
        ({"score_of": "q", "below": 50}, ScoreCompare("q", "below", 50.0)),
        ({"score_of": "q", "at_least": 100}, ScoreCompare("q", "at_least", 100.0)),
        ({"profile": "size_class", "in": ["micro"]}, ProfileIn("size_class", ("micro",))),
        ({"all": [{"question": "a", "answered": True}, {"not": {"question": "b", "in": ["x"]}}]},
         All((Answered("a", True), Not(AnswerIn("b", ("x",)))))),
        ({"any": [{"score_of": "a", "below": 1}]}, AnyOf((ScoreCompare("a", "below", 1.0),))),
    ],
)
def test_parse_and_back(raw: dict[str, Any], typed: Any) -> None:
    parsed = parse_condition(raw)
    assert parsed == typed
    assert parse_condition(to_data(parsed)) == parsed


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("q", "a condition must be a table"),
        ({}, "a condition must be a table"),
        ({"question": "q"}, "`question` takes exactly one of"),
        ({"question": "q", "in": ["a"], "not_in": ["b"]}, "`question` takes exactly one of"),
        ({"question": "q", "equals": "a"}, "`question` takes exactly one of"),
        ({"question": "", "in": ["a"]}, "`question` must name a question id"),
        ({"question": "q", "in": []}, "`in` needs a non-empty list"),
        ({"question": "q", "in": "a"}, "`in` needs a non-empty list"),
        ({"question": "q", "in": ["a", "a"]}, "`in` lists an option twice"),
        ({"question": "q", "ge": "20"}, "`ge` needs a number"),
        ({"question": "q", "ge": True}, "`ge` needs a number"),
        ({"question": "q", "answered": "yes"}, "`answered` is true or false"),
        ({"score_of": "q", "below": 150}, "a score bound lies in [0, 100]"),
        ({"score_of": "q", "above": 5}, "`score_of` takes exactly one of below, at_least"),
        ({"profile": "city", "in": ["x"]}, "unknown profile value 'city'"),
        ({"profile": "size_class", "in": ["tiny"]}, "unknown size_class values ['tiny']"),
        ({"all": []}, "`all` needs a non-empty list"),
        ({"all": [{"question": "q", "in": ["a"]}], "any": []}, "cannot be combined"),
        ({"not": {"question": "q", "in": ["a"]}, "question": "q"}, "cannot be combined"),
        ({"when": 1}, "unknown condition keys ['when']"),
    ],
)
def test_malformed_conditions_say_where_and_what(raw: Any, message: str) -> None:
    with pytest.raises(ConditionError) as err:
        parse_condition(raw, "question x: applies_if")
    assert str(err.value).startswith("question x: applies_if")
    assert message in str(err.value)


def test_nesting_is_bounded() -> None:
    raw: dict[str, Any] = {"question": "q", "in": ["a"]}
    for _ in range(20):
        raw = {"not": raw}
    with pytest.raises(ConditionError, match="nested deeper than"):
        parse_condition(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"question": "single", "in": ["a", "b"]}, True),
        ({"question": "single", "in": ["b"]}, False),
        ({"question": "multi", "in": ["y", "z"]}, True),     # any ticked
        ({"question": "multi", "in": ["z"]}, False),
        ({"question": "multi", "not_in": ["z"]}, True),
        ({"question": "multi", "not_in": ["x"]}, False),
        ({"question": "none_ticked", "not_in": ["x"]}, True),
        ({"question": "count", "ge": 20}, True),
        ({"question": "count", "lt": 20}, False),
        ({"question": "single", "ge": 1}, False),             # not a number answer
        ({"question": "single", "answered": True}, True),
        ({"score_of": "single", "below": 50}, False),
        ({"score_of": "single", "at_least": 50}, True),
        ({"profile": "size_class", "in": ["micro", "small"]}, True),
        ({"profile": "region", "in": ["east"]}, False),       # unknown profile value
        # an unanswered question makes every leaf on it false …
        ({"question": "missing", "in": ["a"]}, False),
        ({"question": "missing", "not_in": ["a"]}, False),
        ({"question": "missing", "ge": 0}, False),
        ({"question": "missing", "lt": 1e9}, False),
        ({"question": "missing", "answered": True}, False),
        ({"score_of": "missing", "below": 100}, False),
        ({"score_of": "missing", "at_least": 0}, False),
        # … except answered = false
        ({"question": "missing", "answered": False}, True),
        ({"not": {"question": "missing", "in": ["a"]}}, True),
        ({"all": [{"question": "single", "in": ["a"]}, {"question": "count", "ge": 30}]}, False),
        ({"any": [{"question": "single", "in": ["z"]}, {"question": "count", "ge": 10}]}, True),
    ],
)
def test_evaluation(raw: dict[str, Any], expected: bool) -> None:
    assert holds(parse_condition(raw), FACTS) is expected


def test_no_condition_always_holds() -> None:
    assert holds(None, NO_FACTS)


def test_evaluate_reports_the_questions_that_decided() -> None:
    cond = parse_condition({"any": [
        {"question": "single", "in": ["a"]},
        {"question": "count", "ge": 10}]})
    assert evaluate(cond, FACTS) == (True, ("single",))           # `any` stops at the first
    cond = parse_condition({"all": [
        {"question": "single", "in": ["a"]},
        {"score_of": "multi", "at_least": 100},
        {"profile": "size_class", "in": ["small"]},
        {"not": {"question": "missing", "answered": True}}]})
    assert evaluate(cond, FACTS) == (True, ("single", "multi", "missing"))
    assert questions_of(cond) == ("single", "multi", "missing")


LEAVES = st.one_of(
    st.builds(lambda q, v: {"question": q, "in": v}, st.sampled_from(["s", "m"]),
              st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)),
    st.builds(lambda q, v: {"question": q, "not_in": v}, st.sampled_from(["s", "m"]),
              st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)),
    st.builds(lambda op, v: {"question": "n", op: v}, st.sampled_from(["ge", "lt"]),
              st.integers(-5, 5)),
    st.builds(lambda op, v: {"score_of": "s", op: v}, st.sampled_from(["below", "at_least"]),
              st.integers(0, 100)),
    st.builds(lambda q: {"question": q, "answered": True}, st.sampled_from(["s", "m", "n"])),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1,
                                                                        max_size=3)),
                            st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1,
                                                                        max_size=3))),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(CONDITIONS, st.sampled_from([None, "a", "b"]), st.integers(-6, 6),
       st.sampled_from([None, 0.0, 50.0, 100.0]))
def test_without_not_nothing_holds_on_no_evidence(raw: dict[str, Any], s: str | None, n: int,
                                                  score: float | None) -> None:
    """Leaves hold only on answers; without `not` or `answered = false`, none means false."""
    cond = parse_condition(raw)
    assert not holds(cond, NO_FACTS)
    facts = MappingFacts({"s": s, "m": [s] if s else None, "n": n}, {"s": score}, {})
    ok, read = evaluate(cond, facts)
    assert ok == holds(cond, facts)
    assert set(read) <= set(questions_of(cond))
    assert parse_condition(to_data(cond)) == cond


def test_because_of_an_any_names_only_the_item_that_held() -> None:
    condition = parse_condition({"any": [{"question": "a", "in": ["x"]},
                                         {"question": "b", "in": ["y"]}]})
    facts = MappingFacts({"a": "z", "b": "y"}, {}, {})
    assert evaluate(condition, facts) == (True, ("b",))
    assert evaluate(condition, MappingFacts({"a": "z", "b": "z"}, {}, {})) == (False, ("a", "b"))


def test_because_of_an_all_that_fails_names_only_the_failing_item() -> None:
    condition = parse_condition({"not": {"all": [{"question": "a", "in": ["x"]},
                                                 {"question": "b", "in": ["y"]}]}})
    assert evaluate(condition, MappingFacts({"a": "x", "b": "z"}, {}, {})) == (True, ("b",))
