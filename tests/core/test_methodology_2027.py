"""The methodology of method 2027.1: links with their reasons, next steps and rules in words, the
gap split and the sensitivity figures — generated from the data, in both languages."""

from __future__ import annotations

import re

import pytest

from survey.core.conditions import parse_condition
from survey.core.methodology import Items, Paragraph, Table, build, render_markdown
from survey.core.methodology.condition_words import in_words
from survey.core.methodology.method_2027 import (
    SENSITIVITY_DRAWS,
    SENSITIVITY_FIRMS,
    SENSITIVITY_SEED,
    sensitivity_for_docs,
)
from survey.core.questionnaire import available_versions, load_questionnaire
from survey.core.questionnaire.schema import Questionnaire
from tests.core.builder2027 import FIXTURE, fixture_dict
from tests.core.builder2027 import build as build_fixture

CJK = re.compile(r"[\u4e00-\u9fff]")
SECTIONS = ["overview", "question-scores", "applicability", "area-score", "gap-split",
            "coverage", "overall", "levels", "needs", "ordering", "drivers",
            "credit-constraint", "sensitivity", "aggregates", "by-area", "area-financing",
            "area-digital_technology", "area-overseas_markets", "links", "by-recommendation",
            "recommendation-digital_infrastructure", "recommendation-financial_support",
            "recommendation-ip_protection", "recommendation-digital_talent",
            "recommendation-cross_border_ecommerce"]


def questionnaires() -> list[Questionnaire]:
    out = [FIXTURE]
    if "2027.1" in available_versions():
        out.append(load_questionnaire("2027.1"))
    return out


def tables(doc: object, section_id: str) -> list[Table]:
    section = next(s for s in doc.sections if s.id == section_id)  # type: ignore[attr-defined]
    return [b for b in section.blocks if isinstance(b, Table)]


def text_of(doc: object) -> str:
    parts = []
    for s in doc.sections:  # type: ignore[attr-defined]
        parts.append(s.heading)
        for b in s.blocks:
            if isinstance(b, Paragraph):
                parts.append(b.text)
            elif isinstance(b, Items):
                parts += b.items
            else:
                parts += [" | ".join(r) for r in b.rows]
    return "\n".join(parts)


@pytest.mark.parametrize("q", questionnaires(), ids=lambda q: q.version)
def test_sections_links_steps_and_rules(q: Questionnaire) -> None:
    doc = build(q, "en")
    assert [s.id for s in doc.sections] == SECTIONS
    (links,) = tables(doc, "links")
    assert [(r[0], r[3]) for r in links.rows] == [
        (x.id, link.why.en) for x in q.scored_questions for link in x.links if link.why]
    for rec in q.recommendations:
        questions_table, steps = tables(doc, f"recommendation-{rec.id}")
        assert [r[0] for r in questions_table.rows] == [
            x.id for x in q.scored_questions if rec.id in x.recommendations]
        assert [(r[0], r[1], r[2]) for r in steps.rows] == [
            (s.id, s.text.en, in_words(q, s.when, "en")) for s in rec.steps if s.when]
    (rules,) = tables(doc, "credit-constraint")
    assert [r[0] for r in rules.rows] == [r.id for r in q.credit_rules]
    (routed,) = tables(doc, "applicability")
    assert [r[0] for r in routed.rows] == [x.id for x in q.questions.values() if x.applies_if]
    (needs,) = tables(doc, "needs")
    assert needs.rows[-1] == ("Not applicable", "no linked question applies")


def test_thresholds_come_from_the_data() -> None:
    raw = fixture_dict()
    raw["method"].update(gap_mostly_external=0.7, gap_mostly_internal=0.3, overall_min_areas=3,
                         next_steps_max=2)
    text = text_of(build(build_fixture(raw), "en"))
    for needle in ("share is 70% or more", "when it is 30% or less", "at least 3 areas apply",
                   "shows the first 2 steps"):
        assert needle in text, needle


def test_sensitivity_figures_are_those_computed_with_the_fixed_seed() -> None:
    doc = build(FIXTURE, "en")
    report = sensitivity_for_docs(FIXTURE)
    assert (report.n, report.draws, report.seed) == (SENSITIVITY_FIRMS, SENSITIVITY_DRAWS,
                                                     SENSITIVITY_SEED)
    (table,) = tables(doc, "sensitivity")
    assert table.rows[-1] == ("Top recommendation", f"{report.top_changed_draws * 100:.1f}%",
                              f"{report.top_changed_firms * 100:.1f}%")
    assert table.rows[0][0] == "financing: level"
    text = text_of(doc)
    assert f"between 0.5 and 1.5, {SENSITIVITY_DRAWS} times, for {SENSITIVITY_FIRMS}" in text
    # reproducible: a fresh copy of the questionnaire prints the same document
    assert render_markdown(build_fixture(), "en") == render_markdown(FIXTURE, "en")


@pytest.mark.parametrize("q", questionnaires(), ids=lambda q: q.version)
def test_chinese_is_chinese_and_structure_matches(q: Questionnaire) -> None:
    en, zh = build(q, "en"), build(q, "zh")
    assert [s.id for s in en.sections] == [s.id for s in zh.sections]
    for s_en, s_zh in zip(en.sections, zh.sections, strict=True):
        assert CJK.search(s_zh.heading) or s_zh.heading == s_en.heading
        assert [b.kind for b in s_en.blocks] == [b.kind for b in s_zh.blocks]
        for b_en, b_zh in zip(s_en.blocks, s_zh.blocks, strict=True):
            if isinstance(b_zh, Paragraph):
                assert CJK.search(b_zh.text), b_zh.text
            if isinstance(b_zh, Table) and isinstance(b_en, Table):
                if 0 in b_en.code_columns:      # ids are never translated
                    assert [r[0] for r in b_zh.rows] == [r[0] for r in b_en.rows]
                assert b_zh.columns != b_en.columns
    md = render_markdown(q, "zh")
    assert "## 信贷约束类型" in md and "## 题目与建议的关联依据" in md


def test_the_2026_questionnaire_still_gets_the_2026_methodology() -> None:
    ids = [s.id for s in build(load_questionnaire("2026.1"), "en").sections]
    assert "readiness-environment" in ids and "links" not in ids


@pytest.mark.parametrize(
    ("raw", "en", "zh"),
    [
        ({"question": "export_status", "in": ["considering"]},
         "export_status is “considering”", "export_status 为“中文：considering”"),
        ({"question": "export_status", "in": ["considering", "stopped"]},
         "export_status is one of “considering”, “stopped”",
         "export_status 为“中文：considering”、“中文：stopped”之一"),
        ({"question": "d_i4", "in": ["x", "y"]},
         "d_i4 includes any of “Option x”, “Option y”",
         "d_i4 选了“中文：Option x”、“中文：Option y”中的任一项"),
        ({"question": "d_i4", "not_in": ["x"]},
         "d_i4 is answered without “Option x”", "d_i4 已作答且未选“中文：Option x”"),
        ({"question": "f_e1", "not_in": ["0", "1"]},
         "f_e1 is answered and is none of “0 points”, “1 points”",
         "f_e1 已作答且不是“中文：0 points”、“中文：1 points”中的任何一项"),
        ({"question": "employees", "ge": 20}, "employees ≥ 20", "employees ≥ 20"),
        ({"question": "f_e1", "answered": False},
         "f_e1 is not answered (or don't know, or does not apply)",
         "f_e1 未作答（或不清楚、不适用）"),
        ({"score_of": "f_i1", "below": 50}, "the score of f_i1 is below 50",
         "f_i1 的得分低于 50"),
        ({"profile": "size_class", "in": ["micro", "small"]},
         "the size class is micro or small", "企业规模为微型或小型"),
        ({"all": [{"question": "f_e1", "in": ["0"]},
                  {"any": [{"question": "f_e2", "in": ["0"]}, {"question": "f_e3", "in": ["0"]}]},
                  {"not": {"score_of": "d_i1", "at_least": 50}}]},
         "f_e1 is “0 points” and (f_e2 is “0 points” or f_e3 is “0 points”) and "
         "not (the score of d_i1 is at least 50)",
         "f_e1 为“中文：0 points”，且（f_e2 为“中文：0 points”，或f_e3 为“中文：0 points”），"
         "且并非（d_i1 的得分不低于 50）"),
    ],
)
def test_conditions_in_words(raw: dict[str, object], en: str, zh: str) -> None:
    condition = parse_condition(raw)
    assert in_words(FIXTURE, condition, "en") == en
    assert in_words(FIXTURE, condition, "zh") == zh


def test_aggregate_rules_are_stated_in_both_languages() -> None:
    """The methodology states the intervals, the one rounding rule and both suppression rules
    that survey.core.stats, .rounding, .suppression and .disclosure apply."""
    q = load_questionnaire()
    en = render_markdown(q, "en")
    section = en[en.index("## Aggregate figures"):en.index("## ", en.index("## Aggregate") + 3)]
    for phrase in ("t(0.975, n − 1)", "Wilson", "half away from zero", "2.675 → 2.68",
                   "own n", "whose priority is known", "at or above each level",
                   "with both scores", "“west” minus “west and exporting”", "wave"):
        assert phrase in section, phrase
    zh = render_markdown(q, "zh")
    assert "t分布置信区间" in zh and "远离零进位" in zh and "西部且出口" in zh
