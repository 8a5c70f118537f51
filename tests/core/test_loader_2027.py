"""The 2027.1 format: what the loader reads, and what it refuses, naming file, place and problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from survey.core.conditions import AnswerIn, NumberCompare
from survey.core.questionnaire import (
    CURRENT_VERSION,
    available_versions,
    load_file,
    load_questionnaire,
    questionnaire_json,
)
from survey.core.questionnaire.loader import TOTAL_QUESTIONS_2027
from survey.core.questionnaire.rules import grid_units
from survey.core.questionnaire.schema import Link, ShowIf
from tests.core.builder2027 import FIXTURE, fixture_dict
from tests.core.questionnaire.builder import FIXTURE as FIXTURE_2026
from tests.core.questionnaire.builder import load_broken, question_dict, to_toml


def test_the_current_version_is_one_constant_and_both_versions_load_by_version() -> None:
    assert CURRENT_VERSION == "2027.1"
    assert load_questionnaire().version == CURRENT_VERSION
    assert load_questionnaire("2027.1") is load_questionnaire()
    assert "size-standard-2011" not in available_versions()
    if "2027.1" in available_versions():
        q = load_questionnaire("2027.1")
        assert (q.version, q.method_version) == ("2027.1", "2027.1")


def test_the_fixture_reads_every_new_key() -> None:
    q = FIXTURE
    assert (q.method_version, q.size_standard, q.legacy_method) == ("2027.1",
                                                                    "size-standard-2011", False)
    m = q.method
    assert (m.next_steps_max, m.gap_mostly_external, m.gap_mostly_internal,
            m.overall_min_areas, m.score_roots) == (3, 0.6, 0.4, 2, ("internal", "external"))
    o_i1 = q.question("o_i1")
    assert o_i1.applies_if == AnswerIn("export_status", ("exports_direct", "exports_indirect"))
    assert o_i1.show_if == ShowIf("export_status", ("exports_direct", "exports_indirect"))
    assert o_i1.recommendations == ("cross_border_ecommerce",)
    (link,) = o_i1.links
    assert link.to == "cross_border_ecommerce" and link.why is not None
    assert link.why.en == "cross_border_ecommerce can change o_i1"
    assert q.question("scheme_cloud").grid == "schemes"
    assert q.question("industry").widget == "select"
    fs = q.recommendation("financial_support")
    assert [s.id for s in fs.steps] == ["fs_guarantee", "fs_budget", "fs_collateral", "fs_funds"]
    assert fs.next_steps == tuple(s.text for s in fs.steps)
    assert [r.cls for r in q.credit_rules] == ["no_need", "fully_constrained",
                                              "partially_constrained", "not_constrained"]
    assert [r.id for r in q.credit_rules][0] == "no_need_1"
    # a grid counts as one question: 7 profile + 1 grid + 9 padding + 18 scored
    assert grid_units(q.sections) == 35 == TOTAL_QUESTIONS_2027[0]


def test_2026_files_keep_loading_with_defaults() -> None:
    q = load_questionnaire("2026.1")
    assert q.legacy_method and q.method.score_roots == ("internal",)
    assert (q.method.next_steps_max, q.method.overall_min_areas) == (3, 2)
    assert q.credit_rules == () and q.size_standard is None
    follow_up = q.question("fin_no_loan_reason")
    assert follow_up.applies_if == AnswerIn("fin_loan", ("not_applied_other",))
    assert follow_up.show_if == ShowIf("fin_loan", ("not_applied_other",))
    for qq in q.scored_questions:
        assert qq.links == tuple(Link(r) for r in qq.recommendations)
    for rec in q.recommendations:
        assert [s.when for s in rec.steps] == [None] * len(rec.next_steps)
        assert [s.id for s in rec.steps] == [f"{rec.id}_{i + 1}"
                                             for i in range(len(rec.next_steps))]
    assert FIXTURE_2026.method_version == "2026.1"


def test_questionnaire_json_carries_the_new_keys() -> None:
    data = questionnaire_json(FIXTURE, "zh")
    questions = {qq["id"]: qq for s in data["sections"] for qq in s["questions"]}
    assert questions["o_i1"]["applies_if"] == {"question": "export_status",
                                               "in": ["exports_direct", "exports_indirect"]}
    assert questions["o_i1"]["links"] == [{"to": "cross_border_ecommerce",
                                           "why": "中文：cross_border_ecommerce can change o_i1"}]
    assert questions["o_i1"]["recommendations"] == ["cross_border_ecommerce"]
    assert (questions["scheme_tax_loan"]["grid"], questions["province"]["widget"]) == (
        "schemes", "select")
    fs = next(r for r in data["recommendations"] if r["id"] == "financial_support")
    assert fs["next_steps"][0] == "中文：Step fs_guarantee"
    assert fs["steps"][1] == {"id": "fs_budget", "title": None, "text": "中文：Step fs_budget",
                              "when": {"score_of": "f_i1", "below": 50.0}}


def test_a_number_condition_on_employees_loads() -> None:
    raw = fixture_dict()
    question_dict(raw, "p_pad1")["applies_if"] = {"question": "employees", "ge": 20}
    q = load_from_dict(raw)
    assert q.question("p_pad1").applies_if == NumberCompare("employees", "ge", 20.0)
    assert q.question("p_pad1").show_if is None


def load_from_dict(raw: dict[str, Any]) -> Any:
    from survey.core.questionnaire import parse

    return parse(raw, source="fixture")


# --- broken 2027.1 files -----------------------------------------------------------------------

Change = Callable[[dict[str, Any]], None]


def _set(qid: str, **fields: Any) -> Change:
    return lambda raw: question_dict(raw, qid).update(fields)


def _step(rec: str, index: int, **fields: Any) -> Change:
    def change(raw: dict[str, Any]) -> None:
        step = next(r for r in raw["recommendations"] if r["id"] == rec)["next_steps"][index]
        step.update(fields)
        for key in [k for k, v in fields.items() if v is None]:
            step.pop(key)
    return change


def _rule(index: int, **fields: Any) -> Change:
    return lambda raw: raw["indicators"]["credit_constraint"][index].update(fields)


def _method(**fields: Any) -> Change:
    return lambda raw: raw["method"].update(fields)


def _links(qid: str, *targets: str, why: bool = True) -> Change:
    def change(raw: dict[str, Any]) -> None:
        question_dict(raw, qid)["links"] = [
            {"to": t, **({"why": {"en": "because", "zh": "因为"}} if why else {})}
            for t in targets]
    return change


def _move_grid_row(raw: dict[str, Any]) -> None:
    questions = raw["sections"][0]["questions"]
    row = next(q for q in questions if q["id"] == "scheme_tax_loan")
    questions.remove(row)
    questions.append(row)


BROKEN: dict[str, tuple[Change, str]] = {
    "link without why": (_links("f_e1", "financial_support", why=False),
                         "question f_e1: link to financial_support needs a `why`"),
    "three links": (_links("f_e1", "financial_support", "ip_protection", "digital_talent"),
                    "question f_e1: a scored question names 0 to 2 recommendations"),
    "link twice": (_links("f_e1", "financial_support", "financial_support"),
                   "question f_e1: links to 'financial_support' twice"),
    "links and recommendations": (_set("f_e1", recommendations=["financial_support"]),
                                  "question f_e1: use links or recommendations, not both"),
    "link to nowhere": (_links("f_e1", "tax_cuts"),
                        "question f_e1: unknown recommendation 'tax_cuts'"),
    "applies_if on a later question": (
        _set("o_i1", applies_if={"question": "o_e3", "in": ["0"]}),
        "question o_i1: applies_if names 'o_e3', which is not an earlier question"),
    "applies_if on itself": (
        _set("o_i1", applies_if={"question": "o_i1", "in": ["0"]}),
        "question o_i1: applies_if names 'o_i1', which is not an earlier question"),
    "applies_if on an unknown question": (
        _set("o_i1", applies_if={"question": "exports", "in": ["yes"]}),
        "question o_i1: applies_if names 'exports', which is not an earlier question"),
    "applies_if on an unknown option": (
        _set("o_i1", applies_if={"question": "export_status", "in": ["exporting"]}),
        "question o_i1: applies_if names unknown options ['exporting'] of 'export_status'"),
    "condition on a don't-know option": (
        _set("o_i1", applies_if={"question": "fin_applied", "in": ["pending"]}),
        "question o_i1: applies_if names ['pending'] of 'fin_applied': a don't-know answer"),
    "number bound on a choice": (
        _set("o_i1", applies_if={"question": "export_status", "ge": 2}),
        "question o_i1: applies_if compares 'export_status' with a number"),
    "options of a number": (
        _set("o_i1", applies_if={"question": "employees", "in": ["10"]}),
        "question o_i1: applies_if reads options of 'employees', which is a number question"),
    "score of an unscored question": (
        _set("o_i1", applies_if={"score_of": "export_status", "below": 50}),
        "question o_i1: applies_if reads the score of 'export_status', which is not scored"),
    "malformed condition": (
        _set("o_i1", applies_if={"question": "export_status", "in": ["no_plans"],
                                 "not_in": ["stopped"]}),
        "question o_i1: applies_if: `question` takes exactly one of"),
    "applies_if and show_if": (
        _set("p_pad1", show_if={"question": "export_status", "in": ["no_plans"]},
             applies_if={"question": "export_status", "in": ["no_plans"]}),
        "question p_pad1: use applies_if or show_if, not both"),
    "step without when": (_step("financial_support", 0, when=None),
                          "recommendation financial_support next step fs_guarantee: needs a "
                          "`when` (method 2027.1)"),
    "step that holds on no answers": (
        _step("financial_support", 0, when={"question": "f_e1", "answered": False}),
        "recommendation financial_support next step fs_guarantee: its `when` holds with no "
        "answers at all"),
    "step on an unknown question": (
        _step("ip_protection", 1, when={"score_of": "d_e9", "below": 50}),
        "recommendation ip_protection next step ip_report: when names 'd_e9', which is not a "
        "question"),
    "step on an unknown option": (
        _step("ip_protection", 0, when={"question": "d_i3", "in": ["9"]}),
        "recommendation ip_protection next step ip_register: when names unknown options ['9']"),
    "duplicate step id": (_step("ip_protection", 1, id="ip_register"),
                          "recommendation ip_protection next step ip_register: duplicate "
                          "next-step id"),
    "step id across recommendations": (_step("digital_talent", 0, id="ip_register"),
                                       "recommendation ip_protection next step ip_register: "
                                       "duplicate next-step id"),
    "bad step id": (_step("ip_protection", 1, id="IP report"),
                    "recommendation ip_protection: next step id 'IP report' must be snake_case"),
    "one step": (lambda raw: raw["recommendations"][0]["next_steps"].pop(),
                 "recommendation digital_infrastructure: needs 2 to 12 next_steps"),
    "unknown rule class": (_rule(0, **{"class": "rich"}),
                           "indicators.credit_constraint rich_1: unknown class 'rich'"),
    "duplicate rule id": (lambda raw: [r.update(id="same") for r in
                                       raw["indicators"]["credit_constraint"][:2]],
                          "indicators.credit_constraint same: duplicate rule id"),
    "rule on an unknown option": (
        _rule(0, when={"question": "fin_no_apply_reason", "in": ["rich"]}),
        "indicators.credit_constraint no_need_1: when names unknown options ['rich']"),
    "rule that holds on no answers": (
        _rule(3, when={"not": {"question": "fin_applied", "in": ["applied_rejected"]}}),
        "indicators.credit_constraint not_constrained_4: its `when` holds with no answers"),
    "no rules": (lambda raw: raw.pop("indicators"),
                 "indicators.credit_constraint: method 2027.1 needs the credit-constraint rules"),
    "grid row elsewhere": (_move_grid_row,
                           "question scheme_tax_loan: grid 'schemes' is split"),
    "grid rows differ": (
        lambda raw: question_dict(raw, "scheme_tax_loan")["options"].pop(),
        "question scheme_tax_loan: grid 'schemes': every row needs the same options as "
        "'scheme_guarantee'"),
    "grid on a number": (_set("employees", grid="schemes"),
                         "question employees: only single questions can be rows of a grid"),
    "unknown widget": (_set("industry", widget="slider"),
                       "question industry: unknown widget 'slider'"),
    "select on a multi": (_set("f_i2", widget="select"),
                          "question f_i2: widget 'select' is only for single questions"),
    "unknown method key": (_method(gap_split=0.5), "method: unknown keys ['gap_split']"),
    "gap thresholds crossed": (_method(gap_mostly_internal=0.7),
                               "method: need 0 <= gap_mostly_internal < gap_mostly_external"),
    "overall over no areas": (_method(overall_min_areas=0),
                              "method.overall_min_areas: must lie in 1 … 3"),
    "fractional next_steps_max": (_method(next_steps_max=2.5),
                                  "method.next_steps_max: must be a whole number"),
    "unknown method version": (lambda raw: raw.update(method_version="2027.2"),
                               "top level: method_version '2027.2' is not a method this code "
                               "implements"),
    "unknown size standard": (lambda raw: raw.update(size_standard="size-standard-1999"),
                              "top level: size_standard 'size-standard-1999' names no data file"),
    "too few questions": (lambda raw: raw["sections"][0]["questions"].pop(),
                          "questionnaire: 34 questions (a grid counts as one); between 35 and "
                          "50 expected"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_2027_file_names_the_file_the_place_and_the_problem(name: str,
                                                                     tmp_path: Path) -> None:
    change, expected = BROKEN[name]
    raw = fixture_dict()
    change(raw)
    err = load_broken(raw, tmp_path / f"questionnaire-{name.replace(' ', '-')}.toml")
    assert any(p.startswith(expected) for p in err.problems), (expected, err.problems)


def test_the_unbroken_2027_fixture_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "questionnaire-test.toml"
    path.write_text(to_toml(fixture_dict()), encoding="utf-8")
    assert load_file(path).question("o_i1").applies_if == FIXTURE.question("o_i1").applies_if
