"""The questionnaire loader: the real data file loads, and a broken one says what is wrong where."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from survey.core.questionnaire import (
    CURRENT_VERSION,
    QuestionnaireError,
    Text,
    available_versions,
    load_file,
    load_questionnaire,
)
from survey.core.questionnaire.loader import (
    CONDITIONAL_STEPS,
    LEGACY_STEPS,
    MIN_PER_ROOT_CAUSE_PER_AREA,
    MIN_QUESTIONS_PER_RECOMMENDATION,
    MIN_SCORED_PER_AREA,
    TOTAL_QUESTIONS,
    TOTAL_QUESTIONS_2027,
)
from survey.core.questionnaire.rules import grid_units
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS, ROOT_CAUSES

from .builder import fixture_dict, load_broken, question_dict, to_toml

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")


def walk_texts(obj: Any, path: str = "questionnaire") -> Iterator[tuple[str, Text]]:
    """Every Text reachable from a loaded questionnaire, with where it sits."""
    if isinstance(obj, Text):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        name = getattr(obj, "id", None) or getattr(obj, "value", None)
        here = f"{path}[{name}]" if name else path
        for f in dataclasses.fields(obj):
            if not (f.name == "questions" and path == "questionnaire"):  # sections hold them
                yield from walk_texts(getattr(obj, f.name), f"{here}.{f.name}")
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from walk_texts(v, f"{path}.{k}")
    elif isinstance(obj, tuple | list):
        for i, v in enumerate(obj):
            yield from walk_texts(v, f"{path}[{i}]")


# --- the real file --------------------------------------------------------------------------


VERSIONS = ("2026.1", "2027.1")
PROFILE = {
    "2026.1": {"industry", "employees", "revenue", "province", "years_operating", "ownership",
               "export_status"},
    "2027.1": {"industry", "employees", "revenue_band", "assets_band", "province",
               "years_operating", "ownership", "export_status"},
}
STEPS = {"2026.1": LEGACY_STEPS, "2027.1": CONDITIONAL_STEPS}


def test_the_current_questionnaire_is_the_newest() -> None:
    q = load_questionnaire()
    assert q.version == CURRENT_VERSION == max(available_versions())
    assert load_questionnaire() is q  # loaded once per process


@pytest.mark.parametrize("version", VERSIONS)
def test_each_real_file_loads_and_meets_the_rules(version: str) -> None:
    q = load_questionnaire(version)
    assert q.version == version and q.method_version
    lo, hi = TOTAL_QUESTIONS if version == "2026.1" else TOTAL_QUESTIONS_2027
    assert lo <= (len(q.questions) if version == "2026.1" else grid_units(q.sections)) <= hi
    assert [a.id for a in q.areas] == list(AREAS)
    assert [r.id for r in q.recommendations] == list(RECOMMENDATIONS)
    for area in AREAS:
        scored = [qq for qq in q.scored_questions if qq.area == area]
        assert len(scored) >= MIN_SCORED_PER_AREA
        for root in ROOT_CAUSES:
            assert sum(qq.root_cause == root for qq in scored) >= MIN_PER_ROOT_CAUSE_PER_AREA
    for rec in RECOMMENDATIONS:
        fed = [qq for qq in q.scored_questions if rec in qq.recommendations]
        assert len(fed) >= MIN_QUESTIONS_PER_RECOMMENDATION
    for qq in q.scored_questions:
        assert qq.max_points > 0
        assert any(o.points == 0 for o in qq.options if not o.is_skip)
    assert [s.id for s in q.sections][0] == "profile"


@pytest.mark.parametrize("version", VERSIONS)
def test_each_real_file_has_the_profile_questions_the_app_relies_on(version: str) -> None:
    q = load_questionnaire(version)
    profile = {qq.id for qq in q.sections[0].questions}
    assert PROFILE[version] <= profile
    assert all(not q.question(qid).scored for qid in profile)


@pytest.mark.parametrize("version", VERSIONS)
def test_awareness_questions_have_no_dont_know(version: str) -> None:
    """"Never heard of it" is the real answer, worth 0 (DESIGN.md §2), not a skip."""
    q = load_questionnaire(version)
    unaware = ("never_heard", "unaware", "not_aware")
    awareness = [qq for qq in q.scored_questions if any(o.value in unaware for o in qq.options)]
    assert awareness
    for qq in awareness:
        # A real answer that scores nothing (an application still pending) may be tagged as a
        # skip; an escape such as "don't know" / "not sure" may not.
        assert not [o.value for o in qq.options if o.value in ("dont_know", "not_sure")], qq.id
        assert next(o for o in qq.options if o.value in unaware).points == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_every_text_exists_in_both_languages(version: str) -> None:
    q = load_questionnaire(version)
    texts = list(walk_texts(q))
    # questions, options, areas, readings, levels, recommendations and their next steps
    assert len(texts) > 300
    wheres = {w.split(".")[-1].split("[")[0] for w, _ in texts}
    assert {"text", "label", "title", "description", "next_steps", "intro"} <= wheres
    for where, text in texts:
        assert text.en.strip() and text.zh.strip(), where
        if WORD.search(text.en):  # "10–30%" needs no translation, words do
            assert CJK.search(text.zh), f"{where}: no Chinese in {text.zh!r}"
        assert text.get("zh") == text.zh and text.get("en") == text.en
    for area in q.areas:
        assert set(area.readings) == {lv.id for lv in q.levels}, area.id
    lo, hi = STEPS[version]
    for rec in q.recommendations:
        assert lo <= len(rec.next_steps) <= hi, rec.id


def test_unknown_version_is_a_clear_error() -> None:
    with pytest.raises(QuestionnaireError, match="no questionnaire of version '1999.9'"):
        load_questionnaire("1999.9")


# --- broken files ---------------------------------------------------------------------------

Change = Callable[[dict[str, Any]], None]


def _set(qid: str, **fields: Any) -> Change:
    return lambda raw: question_dict(raw, qid).update(fields)


def _remove_option(qid: str, value: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        q = question_dict(raw, qid)
        q["options"] = [o for o in q["options"] if o["value"] != value]
    return change


def _drop_question(qid: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        for section in raw["sections"]:
            section["questions"] = [q for q in section["questions"] if q["id"] != qid]
        pad = dict(question_dict(raw, "p_pad1"), id="p_pad_extra")   # keep 30 questions
        raw["sections"][0]["questions"].append(pad)
    return change


def _option_label_zh(qid: str, value: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        option = next(o for o in question_dict(raw, qid)["options"] if o["value"] == value)
        option["label"] = {"en": option["label"]["en"]}
    return change


BROKEN: dict[str, tuple[Change, str]] = {
    "duplicate id": (_set("d_i2", id="d_i1"), "question d_i1: duplicate question id"),
    "unknown area": (_set("f_e1", area="marketing"), "question f_e1: unknown area 'marketing'"),
    "unknown recommendation": (_set("f_e1", recommendations=["tax_cuts"]),
                               "question f_e1: unknown recommendation 'tax_cuts'"),
    "three recommendations": (
        _set("f_e1", recommendations=["financial_support", "ip_protection", "digital_talent"]),
        "question f_e1: a scored question names 1 to 2 recommendations"),
    "unknown root cause": (_set("f_e1", root_cause="both"),
                           "question f_e1: root_cause must be one of internal, external"),
    "missing zh": (_set("f_e1", text={"en": "Only English?"}),
                   "question f_e1.text: text missing in zh"),
    "blank zh in an option": (_option_label_zh("f_e1", "2"),
                              "question f_e1 option 2: text missing in zh"),
    "text not a table": (_set("f_e1", text="Plain string"),
                         "question f_e1.text: text must be a table with en and zh"),
    "no 0-point option": (_remove_option("f_e1", "0"),
                          "question f_e1: a scored question needs an option worth 0 points"),
    "no positive option": (
        _set("f_e1", options=[{"value": "a", "points": 0, "label": {"en": "A", "zh": "甲"}},
                              {"value": "b", "points": 0, "label": {"en": "B", "zh": "乙"}}]),
        "question f_e1: a scored question needs an option worth more than 0 points"),
    "option without points": (
        _set("f_e1", options=[{"value": "a", "points": 0, "label": {"en": "A", "zh": "甲"}},
                              {"value": "b", "label": {"en": "B", "zh": "乙"}}]),
        "question f_e1: every option of a scored question needs points (or a kind)"),
    "don't know with points": (
        _set("f_e2", options=[{"value": "0", "points": 0, "label": {"en": "0", "zh": "零"}},
                              {"value": "1", "points": 1, "label": {"en": "1", "zh": "一"}},
                              {"value": "dk", "points": 1, "kind": "dont_know",
                               "label": {"en": "?", "zh": "不清楚"}}]),
        "question f_e2: option dk: a dont_know option carries no points"),
    "unreachable full_credit": (_set("d_i4", full_credit=4),
                                "question d_i4: full_credit 4 is unreachable: the options add "
                                "up to 3"),
    "multi without full_credit": (lambda raw: question_dict(raw, "d_i4").pop("full_credit"),
                                  "question d_i4: a scored multi-select question needs a "
                                  "positive full_credit"),
    "exclusive option with points": (
        lambda raw: question_dict(raw, "d_i4")["options"][-1].update(points=1),
        "question d_i4: option none: an exclusive option of a scored question is worth 0 "
        "points"),
    "show_if on a scored question": (
        _set("f_e1", show_if={"question": "p_export", "in": ["yes"]}),
        "question f_e1: show_if is only for unscored follow-ups"),
    "show_if on a later question": (
        _set("p_export_since", show_if={"question": "f_e1", "in": ["1"]}),
        "question p_export_since: show_if names 'f_e1', which is not an earlier question"),
    "show_if on an unknown option": (
        _set("p_export_since", show_if={"question": "p_export", "in": ["perhaps"]}),
        "question p_export_since: show_if names unknown options ['perhaps']"),
    "weight zero": (_set("f_e1", weight=0), "question f_e1: weight must be positive"),
    "unscored with a weight": (_set("p_export", weight=2),
                               "question p_export: recommendations, root_cause, weight and "
                               "full_credit need an area"),
    "scored number": (_set("p_years", area="financing", root_cause="internal",
                           recommendations=["financial_support"]),
                      "question p_years: only single and multi questions can be scored"),
    "option not a table": (_set("p_export", options=["yes", "no"]),
                           "question p_export: an option must be a table"),
    "bad id": (_set("p_export", id="Export-Status"), "question Export-Status: id must be "
                                                     "snake_case"),
    "too few per area": (_drop_question("o_e3"),
                         "area overseas_markets: 5 scored questions; at least 6 needed"),
    "too few external in an area": (_set("d_e1", root_cause="internal"),
                                    "area digital_technology: 1 external questions; at least 2 "
                                    "needed"),
    "too few questions": (lambda raw: raw["sections"][0]["questions"].pop(),
                          "questionnaire: 29 questions; between 30 and 45 expected"),
    "recommendation fed by < 3": (_set("d_i2", recommendations=["ip_protection"]),
                                  "recommendation digital_talent: fed by 2 questions; at least "
                                  "3 needed"),
    "levels not rising": (lambda raw: raw["levels"][1].update(min=0),
                          "levels: need at least one level, the first at 0, strictly rising"),
    "missing reading": (lambda raw: raw["areas"][0]["readings"].pop("leading"),
                        "area financing.readings.leading: missing text"),
    "one next step": (lambda raw: raw["recommendations"][1]["next_steps"].pop(),
                      "recommendation financial_support: needs 2 to 4 next_steps"),
    "recommendations out of order": (
        lambda raw: raw["recommendations"].reverse(),
        "recommendations: need exactly these recommendations in this order"),
    "bad priority thresholds": (lambda raw: raw["method"].update(priority_medium=70),
                                "method: need 0 <= priority_medium <= priority_high <= 100"),
    "missing method version": (lambda raw: raw.pop("method_version"),
                               "top level: missing 'method_version'"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_file_names_the_file_the_question_and_the_problem(name: str,
                                                                   tmp_path: Path) -> None:
    change, expected = BROKEN[name]
    raw = fixture_dict()
    change(raw)
    err = load_broken(raw, tmp_path / f"questionnaire-{name.replace(' ', '-')}.toml")
    message = str(err)
    assert any(p.startswith(expected) for p in err.problems), (expected, message)
    assert f"  - {expected}" in message


def test_the_unbroken_fixture_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "questionnaire-test.toml"
    path.write_text(to_toml(fixture_dict()), encoding="utf-8")
    q = load_file(path)
    assert (q.version, len(q.questions), q.source) == ("test.1", 30, str(path))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    raw = fixture_dict()
    _set("f_e1", recommendations=["tax_cuts"])(raw)
    _option_label_zh("d_e1", "2")(raw)
    _set("d_i4", full_credit=4)(raw)
    path = tmp_path / "questionnaire-x.toml"
    path.write_text(to_toml(raw), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as err:
        load_file(path)
    assert "3 problem(s)" in str(err.value)
    assert [p.split(":")[0] for p in err.value.problems] == [
        "question f_e1", "question d_i4", "question d_e1 option 2"]


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "questionnaire-bad.toml"
    path.write_text('version = "1\n', encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="not valid TOML") as err:
        load_file(path)
    assert str(err.value).startswith(str(path))
