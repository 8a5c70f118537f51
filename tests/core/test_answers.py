"""Answer validation: every problem per question, all at once, and never an exception."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core import answers as A
from survey.core.answers import Problem, is_shown, validate
from survey.core.questionnaire import load_questionnaire
from tests.core.questionnaire.builder import FIXTURE

COMPLETE: dict[str, Any] = {
    "p_export": "no", "p_years": 12,
    "f_i1": "2", "f_i2": ["a", "b"], "f_i3": "1", "f_e1": "3", "f_e2": "dk", "f_e3": "1",
    "d_i1": "4", "d_i2": "1", "d_i3": "0", "d_i4": ["x"], "d_e1": "2", "d_e2": "4",
    "o_i1": "0", "o_i2": "2", "o_i3": "3", "o_e1": "1", "o_e2": "4", "o_e3": "2",
}


def templates(answers: Any, **kwargs: Any) -> dict[str, list[str]]:
    v = validate(FIXTURE, answers, **kwargs)
    return {qid: [p.template for p in ps] for qid, ps in v.problems.items()}


def test_complete_answers_are_valid_and_normalised() -> None:
    v = validate(FIXTURE, {**COMPLETE, "f_i2": ["b", "a"], "p_years": 12.0, "p_note": "  hi  "})
    assert v.ok and v.problems == {} and v.messages() == {}
    assert v.answers["f_i2"] == ["a", "b"]          # questionnaire order, whatever was sent
    assert v.answers["p_years"] == 12 and isinstance(v.answers["p_years"], int)
    assert v.answers["p_note"] == "hi"


def test_unknown_question() -> None:
    assert templates({**COMPLETE, "nope": "1"}) == {"nope": [A.UNKNOWN_QUESTION]}
    long_key = "k" * 10_000
    assert list(templates({**COMPLETE, long_key: 1})) == ["k" * 100]


@pytest.mark.parametrize(
    ("qid", "value", "expected"),
    [
        ("f_i1", "3", [A.UNKNOWN_OPTION]),          # f_i1 has 0, 1, 2, 4
        ("f_i1", 2, [A.EXPECT_CHOICE]),            # a number for a single choice
        ("f_i1", ["2"], [A.EXPECT_CHOICE]),        # a list for a single choice
        ("f_i1", True, [A.EXPECT_CHOICE]),
        ("f_i2", {"a": True}, [A.EXPECT_LIST]),    # a dict for a multi choice
        ("f_i2", "a", [A.EXPECT_LIST]),            # a bare string for a multi choice
        ("f_i2", ["a", 1], [A.EXPECT_LIST]),
        ("f_i2", [["a"]], [A.EXPECT_LIST]),
        ("f_i2", ["a", "q"], [A.UNKNOWN_OPTION]),
        ("f_i2", ["a", "a"], [A.DUPLICATE_OPTION]),
        ("f_i2", ["none", "a"], [A.EXCLUSIVE_MIXED]),
        ("f_i2", ["dk", "a"], [A.EXCLUSIVE_MIXED]),  # "don't know" is exclusive by nature
        ("f_i2", ["none", "none"], [A.DUPLICATE_OPTION, A.EXCLUSIVE_MIXED]),
        ("p_years", True, [A.EXPECT_NUMBER]),      # bool is an int in Python, not a number here
        ("p_years", "12", [A.EXPECT_NUMBER]),
        ("p_years", [12], [A.EXPECT_NUMBER]),
        ("p_years", math.nan, [A.EXPECT_NUMBER]),
        ("p_years", math.inf, [A.EXPECT_NUMBER]),
        ("p_years", -math.inf, [A.EXPECT_NUMBER]),
        ("p_years", -1, [A.TOO_SMALL]),
        ("p_years", 200.5, [A.TOO_LARGE]),
        # too big for a float: compared, never converted
        pytest.param("p_years", 10**400, [A.TOO_LARGE], id="p_years-huge"),
        pytest.param("p_years", -(10**400), [A.TOO_SMALL], id="p_years-minus-huge"),
        ("p_note", 5, [A.EXPECT_TEXT]),
        ("p_note", "x" * 21, [A.TOO_LONG]),
    ],
)
def test_wrong_answers(qid: str, value: Any, expected: list[str]) -> None:
    v = validate(FIXTURE, {**COMPLETE, qid: value})
    assert {k: [p.template for p in ps] for k, ps in v.problems.items()} == {qid: expected}
    assert qid not in v.answers


def test_boundaries_are_accepted() -> None:
    v = validate(FIXTURE, {**COMPLETE, "p_years": 200, "p_note": "x" * 20})
    assert v.ok and v.answers["p_years"] == 200
    assert validate(FIXTURE, {**COMPLETE, "p_years": 0}).answers["p_years"] == 0
    assert validate(FIXTURE, {**COMPLETE, "p_years": 2.5}).answers["p_years"] == 2.5


def test_all_problems_of_a_question_at_once_and_of_every_question() -> None:
    v = validate(FIXTURE, {**COMPLETE, "f_i2": ["q", "none", "none", "a"], "f_i1": "9",
                           "p_years": -3, "p_export": None})
    assert {k: [p.template for p in ps] for k, ps in v.problems.items()} == {
        "p_export": [A.REQUIRED],
        "p_years": [A.TOO_SMALL],
        "f_i1": [A.UNKNOWN_OPTION],
        "f_i2": [A.UNKNOWN_OPTION, A.DUPLICATE_OPTION, A.EXCLUSIVE_MIXED],
    }
    assert v.messages()["f_i2"] == [
        "“q” is not one of the options.", "An option was chosen twice.",
        "“None” cannot be combined with other options.",
    ]
    assert v.messages()["p_years"] == ["Enter a number of at least 0."]


def test_required_missing_and_blank() -> None:
    # missing, None, "" and [] are all "no answer"; p_note is optional, so blank text is fine
    missing = {k: v for k, v in COMPLETE.items() if k != "p_export"}
    for answers in (missing, {**COMPLETE, "p_export": None}, {**COMPLETE, "p_export": ""}):
        assert templates({**answers, "f_i2": [], "p_note": "   "}) == {
            "p_export": [A.REQUIRED], "f_i2": [A.REQUIRED]}
    assert templates({**COMPLETE, "p_years": None}) == {"p_years": [A.REQUIRED]}
    # with require=False (a draft, or scoring) nothing is required
    assert templates({}, require=False) == {}
    assert validate(FIXTURE, {"f_i1": "", "f_i2": []}, require=False).answers == {}


def test_show_if_follow_up() -> None:
    # shown: answered is kept, unanswered is required
    assert validate(FIXTURE, {**COMPLETE, "p_export": "yes", "p_export_since": "old"}
                    ).answers["p_export_since"] == "old"
    assert templates({**COMPLETE, "p_export": "yes"}) == {"p_export_since": [A.REQUIRED]}
    # hidden: the answer is dropped unchecked (the question was never asked)
    for hidden in ("old", "bogus", ["old"], {"x": 1}):
        v = validate(FIXTURE, {**COMPLETE, "p_export": "no", "p_export_since": hidden})
        assert v.ok and "p_export_since" not in v.answers


def test_an_invalid_trigger_hides_its_follow_up() -> None:
    # ["yes"] is not a valid single answer; the follow-up must not be asked on its strength
    assert templates({**COMPLETE, "p_export": ["yes"]}) == {"p_export": [A.EXPECT_CHOICE]}


def test_one_page_resolves_follow_ups_from_earlier_answers() -> None:
    page = ["p_export_since"]
    assert templates({"p_export": "yes"}, only=page) == {"p_export_since": [A.REQUIRED]}
    assert templates({"p_export": "no"}, only=page) == {}
    v = validate(FIXTURE, {"p_export": "yes", "p_export_since": "new", "f_i1": "9"}, only=page)
    assert v.ok and v.answers == {"p_export_since": "new"}   # f_i1 is another page's business


def test_is_shown() -> None:
    q = FIXTURE.question("p_export_since")
    assert is_shown(q, {"p_export": "yes"}) and not is_shown(q, {"p_export": "no"})
    assert not is_shown(q, {}) and is_shown(FIXTURE.question("p_export"), {})


@pytest.mark.parametrize("answers", [None, [], "answers", 3, [("f_i1", "2")]])
def test_answers_must_be_an_object(answers: Any) -> None:
    v = validate(FIXTURE, answers)
    assert v.answers == {} and list(v.problems) == [A.ANSWERS_KEY]
    assert v.messages() == {"answers": ["Answers must be an object keyed by question id."]}


def test_problem_message_and_hostile_values_are_cut() -> None:
    v = validate(FIXTURE, {**COMPLETE, "f_i1": "<script>" + "x" * 100_000})
    (problem,) = v.problems["f_i1"]
    assert len(problem.params["value"]) == 80
    assert Problem(A.TOO_LONG, {"max": 20}).message == "Use at most 20 characters."
    assert Problem(A.REQUIRED).message == A.REQUIRED


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_hostile_input_never_raises(data: st.DataObject) -> None:
    real = load_questionnaire()
    for q in (FIXTURE, real):
        keys = st.sampled_from(sorted(q.questions)) | st.text(max_size=20)
        answers = data.draw(st.dictionaries(keys, JSON, max_size=12))
        v = validate(q, answers)
        assert all(isinstance(k, str) for k in v.problems)
        for messages in v.messages().values():
            assert messages and all(isinstance(m, str) and m for m in messages)
        # whatever survives validation is valid again, unchanged
        again = validate(q, v.answers, require=False)
        assert again.ok and again.answers == v.answers


def test_deeply_nested_value_is_just_wrong() -> None:
    nested: Any = "a"
    for _ in range(10_000):
        nested = [nested]
    assert templates({**COMPLETE, "f_i2": nested, "f_i1": nested, "p_years": nested}) == {
        "f_i1": [A.EXPECT_CHOICE], "f_i2": [A.EXPECT_LIST], "p_years": [A.EXPECT_NUMBER]}
