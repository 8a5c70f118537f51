"""The methodology, generated from the questionnaire data (pure: no Flask, no SQLAlchemy).

Every number a reader sees here — thresholds, bands, weights, points, which questions feed
which recommendation, when a question is asked or a next step shown — is read from the same
data file the scoring uses, so the document can never drift from the method. `build()` gives
structured content for the `/methodology` page; `render_markdown()` gives `docs/methodology.md`
(English) and `docs/methodology.zh.md`, which a test keeps current. The prose is held in
`methodology_text`, in both languages, since the pure core cannot use the web layer's
translation catalogue.
"""

from __future__ import annotations

from survey.core.methodology.method_2027 import sections_2027
from survey.core.methodology.parts import (
    Block,
    Items,
    Methodology,
    Paragraph,
    Section,
    Table,
    area_section,
    items,
    levels_table,
    paragraphs,
    pct,
    priorities_table,
    recommendation_section,
)
from survey.core.methodology.text import say
from survey.core.questionnaire.schema import Questionnaire

__all__ = ["Block", "Items", "Methodology", "Paragraph", "Section", "Table", "build",
           "render_markdown"]


def build(q: Questionnaire, lang: str = "en") -> Methodology:
    """The methodology of a questionnaire in `lang` ("en" or "zh"; anything else is English).

    Each method version is documented as it scores: 2026.1 in the sections below (unchanged,
    so its committed docs stay current), 2027.1 in `methodology_2027`.
    """
    lang = "zh" if lang == "zh" else "en"
    sections = _sections_2026(q, lang) if q.legacy_method else sections_2027(q, lang)
    return Methodology(
        lang=lang, title=say("title", lang), version=q.version, method_version=q.method_version,
        intro=(Paragraph(say("intro", lang)),
               Paragraph(say("versions", lang, version=q.version,
                             method_version=q.method_version))),
        sections=tuple(sections),
    )


def _sections_2026(q: Questionnaire, lang: str) -> list[Section]:
    m = q.method
    areas_table = Table((say("areas_col", lang), say("about_col", lang)),
                        tuple((a.title.get(lang), a.description.get(lang)) for a in q.areas))
    sections: list[Section] = [
        Section("overview", 2, say("overview", lang), (
            *paragraphs("overview_text", lang, n_questions=len(q.questions),
                         n_scored=len(q.scored_questions)),
            areas_table)),
        Section("question-scores", 2, say("question_scores", lang),
                (items("qs_items", lang),)),
        Section("readiness-environment", 2, say("readiness", lang),
                paragraphs("readiness_text", lang)),
        Section("coverage", 2, say("coverage", lang),
                paragraphs("coverage_text", lang, min_answered=m.min_answered,
                            min_share=pct(m.min_weight_share))),
        Section("overall", 2, say("overall", lang), paragraphs("overall_text", lang)),
        Section("levels", 2, say("levels", lang),
                (*paragraphs("levels_text", lang), levels_table(q, lang))),
        Section("needs", 2, say("needs", lang),
                (*paragraphs("needs_text", lang, need_share=pct(m.need_min_weight_share)),
                 priorities_table(q, lang))),
        Section("ordering", 2, say("ordering", lang),
                (items("ordering_items", lang), *paragraphs("ordering_text", lang))),
        Section("drivers", 2, say("drivers", lang),
                paragraphs("drivers_text", lang, drivers_max=m.drivers_max)),
        Section("by-area", 2, say("by_area", lang), ()),
        *(area_section(q, a.id, lang) for a in q.areas),
        Section("by-recommendation", 2, say("by_rec", lang), ()),
        *(recommendation_section(q, r.id, lang) for r in q.recommendations),
    ]
    return sections


def _cell(text: str, code: bool) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return f"`{text}`" if code else text


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text, ""]
    if isinstance(block, Items):
        return [*(f"- {item}" for item in block.items), ""]
    lines = ["| " + " | ".join(_cell(c, False) for c in block.columns) + " |",
             "|" + "|".join("---" for _ in block.columns) + "|"]
    lines += ["| " + " | ".join(_cell(c, i in block.code_columns) for i, c in enumerate(row))
              + " |" for row in block.rows]
    return [*lines, ""]


def render_markdown(q: Questionnaire, lang: str = "en") -> str:
    """The methodology as Markdown, as committed in docs/methodology.md (and .zh.md)."""
    doc = build(q, lang)
    lines = ["<!-- Generated from the questionnaire data by `flask --app app methodology`; "
             "do not edit by hand. -->", "", f"# {doc.title}", ""]
    for block in doc.intro:
        lines += _markdown_block(block)
    for section in doc.sections:
        lines += [f"{'#' * section.level} {section.heading}", ""]
        for block in section.blocks:
            lines += _markdown_block(block)
    return "\n".join(lines).rstrip("\n") + "\n"
