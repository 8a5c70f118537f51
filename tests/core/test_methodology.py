"""The methodology: generated from the data, in both languages, and the committed docs current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from survey.core.methodology import Items, Methodology, Paragraph, Table, build, render_markdown
from survey.core.questionnaire import load_questionnaire
from tests.core.questionnaire.builder import FIXTURE, fixture_dict
from tests.core.questionnaire.builder import build as build_fixture

DOCS = Path(__file__).resolve().parents[2] / "docs"
CJK = re.compile(r"[\u4e00-\u9fff]")
METHOD_SECTIONS = ["overview", "question-scores", "readiness-environment", "coverage", "overall",
                   "levels", "needs", "ordering", "drivers", "by-area"]


def text_of(doc: Methodology) -> str:
    parts = [doc.title]
    for section in doc.sections:
        parts.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Items):
                parts += block.items
            else:
                parts += [" ".join(row) for row in block.rows]
    return "\n".join(parts)


@pytest.mark.parametrize(("lang", "name"), [("en", "methodology.md"), ("zh", "methodology.zh.md")])
def test_committed_docs_are_current(lang: str, name: str) -> None:
    expected = render_markdown(load_questionnaire(), lang)
    path = DOCS / name
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    assert current == expected, (
        f"{path} is stale; regenerate it: flask --app app methodology --lang {lang} "
        f"--output docs/{name}")


def test_sections_in_order_for_2026() -> None:
    doc = build(load_questionnaire("2026.1"), "en")
    ids = [s.id for s in doc.sections]
    assert ids[: len(METHOD_SECTIONS)] == METHOD_SECTIONS
    assert ids[len(METHOD_SECTIONS):] == [
        "area-financing", "area-digital_technology", "area-overseas_markets", "by-recommendation",
        "recommendation-digital_infrastructure", "recommendation-financial_support",
        "recommendation-ip_protection", "recommendation-digital_talent",
        "recommendation-cross_border_ecommerce"]
    assert {s.level for s in doc.sections if s.id.startswith(("area-", "recommendation-"))} == {3}
    assert (doc.version, doc.method_version, doc.lang) == ("2026.1", "2026.1", "en")


def test_every_scored_question_in_its_area_table_and_under_each_of_its_recommendations() -> None:
    q = load_questionnaire("2026.1")
    doc = build(q, "en")
    tables = {s.id: next(b for b in s.blocks if isinstance(b, Table)) for s in doc.sections
              if s.id.startswith(("area-", "recommendation-"))}
    for area in q.areas:
        rows = tables[f"area-{area.id}"].rows
        assert [r[0] for r in rows] == [qq.id for qq in q.scored_questions if qq.area == area.id]
        for row in rows:
            qq = q.question(row[0])
            assert row[2] == qq.root_cause and float(row[3]) == qq.weight
            assert row[5].endswith(f"{qq.max_points:g}")
            assert row[5].startswith("full credit") == (qq.type == "multi")
    for rec in q.recommendations:
        rows = tables[f"recommendation-{rec.id}"].rows
        assert [r[0] for r in rows] == [qq.id for qq in q.scored_questions
                                        if rec.id in qq.recommendations]
        section = next(s for s in doc.sections if s.id == f"recommendation-{rec.id}")
        steps = next(b for b in section.blocks if isinstance(b, Items))
        assert steps.items == tuple(s.en for s in rec.next_steps)


def test_thresholds_and_bands_come_from_the_data() -> None:
    raw = fixture_dict()
    raw["method"].update(min_answered=2, min_weight_share=0.4, need_min_weight_share=0.75,
                         priority_high=70, priority_medium=35, drivers_max=2)
    raw["levels"][1]["min"] = 25
    text = text_of(build(build_fixture(raw), "en"))
    for needle in ("fewer than 2 of its questions", "less than 40% of its weight",
                   "less than 75% of the linked weight", "70 or more", "35 to below 70",
                   "below 35", "up to 2 of its linked", "[0, 25)", "[25, 40)", "[80, 100]"):
        assert needle in text, needle
    default = text_of(build(FIXTURE, "en"))
    assert "60 or more" in default and "fewer than 3 of its questions" in default


def test_chinese_is_chinese_and_structure_matches() -> None:
    q = load_questionnaire()
    en, zh = build(q, "en"), build(q, "zh")
    assert [s.id for s in en.sections] == [s.id for s in zh.sections]
    for s_en, s_zh in zip(en.sections, zh.sections, strict=True):
        assert CJK.search(s_zh.heading) and s_zh.heading != s_en.heading
        assert [b.kind for b in s_en.blocks] == [b.kind for b in s_zh.blocks]
        for b_en, b_zh in zip(s_en.blocks, s_zh.blocks, strict=True):
            if isinstance(b_zh, Paragraph):
                assert CJK.search(b_zh.text), b_zh.text
            if isinstance(b_zh, Table) and isinstance(b_en, Table):
                assert [r[0] for r in b_zh.rows if 0 in b_zh.code_columns] == [
                    r[0] for r in b_en.rows if 0 in b_en.code_columns]   # ids never translated
    zh_text = text_of(zh)
    assert "60 及以上" in zh_text and "[80, 100]" in zh_text and "内部" in zh_text
    assert build(q, "fr").lang == "en"


def test_markdown() -> None:
    md = render_markdown(FIXTURE, "en")
    assert md.startswith("<!-- Generated") and md.endswith("\n") and not md.endswith("\n\n")
    assert "\n# How the scores are computed\n" in md
    assert "\n## Maturity levels\n" in md and "\n### financing\n" in md
    assert "| `f_i2` | Question f_i2? (multiple choice) | internal | 1 | Recommendation " \
           "financial_support | full credit 3 |" in md
    assert "| Emerging | [20, 40) |" in md
    raw = fixture_dict()
    raw["sections"][1]["questions"][0]["text"]["en"] = "A | B\nC"
    assert "| `f_i1` | A \\| B C |" in render_markdown(build_fixture(raw), "en")


def test_command_prints_and_writes(bare_app: Flask, tmp_path: Path) -> None:
    runner = bare_app.test_cli_runner()
    result = runner.invoke(args=["methodology", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert result.output == render_markdown(load_questionnaire(), "zh")
    target = tmp_path / "sub" / "methodology.md"
    result = runner.invoke(args=["methodology", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == render_markdown(load_questionnaire(), "en")
    assert not list(target.parent.glob("*.partial"))
    assert runner.invoke(args=["methodology", "--lang", "fr"]).exit_code == 2
