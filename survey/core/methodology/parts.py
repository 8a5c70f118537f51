"""The building blocks of the generated methodology, shared by every method version (pure).

A methodology is sections of paragraphs, lists and tables of display strings: the `/methodology`
page renders them with a template, `render_markdown` as the committed docs. The table builders
here (levels, priorities, questions by area and by recommendation) read only the questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.core.methodology.text import say
from survey.core.questionnaire.schema import Question, Questionnaire


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Items:
    """A bulleted list."""

    items: tuple[str, ...]
    kind: str = "list"


@dataclass(frozen=True)
class Table:
    """Header labels and rows of display strings; `code_columns` hold ids (shown as code)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    code_columns: tuple[int, ...] = ()
    kind: str = "table"


Block = Paragraph | Items | Table


@dataclass(frozen=True)
class Section:
    """A heading (`level` 2, or 3 under the preceding level-2 section) and its blocks in order.

    `id` is a stable anchor ("coverage", "area-financing", "recommendation-ip_protection").
    """

    id: str
    level: int
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Methodology:
    """The whole document: `title`, an `intro` of blocks, then `sections` in reading order.

    A template renders it by walking `sections` and switching on each block's `kind`
    ("paragraph": `.text`; "list": `.items`; "table": `.columns`, `.rows`, `.code_columns`).
    """

    lang: str
    title: str
    version: str
    method_version: str
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]


def num(x: float) -> str:
    return f"{x:g}"


def pct(share: float) -> str:
    return f"{share * 100:g}%"


def paragraphs(key: str, lang: str, **params: object) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(t) for t in say(key, lang, **params).split("|"))


def items(key: str, lang: str) -> Items:
    return Items(tuple(say(key, lang).split("|")))


def levels_table(q: Questionnaire, lang: str) -> Table:
    rows = []
    for i, level in enumerate(q.levels):
        top = q.levels[i + 1].min if i + 1 < len(q.levels) else None
        band = f"[{num(level.min)}, {num(top)})" if top is not None else (
            f"[{num(level.min)}, 100]")
        rows.append((level.title.get(lang), band))
    return Table((say("level_col", lang), say("band_col", lang)), tuple(rows))


def priorities_table(q: Questionnaire, lang: str) -> Table:
    m = q.method
    rows = (
        (say("high", lang), say("at_least", lang, x=num(m.priority_high))),
        (say("medium", lang), say("range", lang, lo=num(m.priority_medium),
                                hi=num(m.priority_high))),
        (say("low", lang), say("below", lang, x=num(m.priority_medium))),
        (say("unknown", lang), say("too_few", lang)),
    )
    return Table((say("priority_col", lang), say("need_col", lang)), rows)


def max_cell(question: Question, lang: str) -> str:
    if question.type == "multi":
        return say("full_credit", lang, x=num(question.max_points))
    return say("max_points", lang, x=num(question.max_points))


def question_text(question: Question, lang: str) -> str:
    note = say("multi_note", lang) if question.type == "multi" else ""
    return question.text.get(lang) + note


def area_section(q: Questionnaire, area_id: str, lang: str) -> Section:
    area = q.area(area_id)
    rows = tuple(
        (qq.id, question_text(qq, lang), say(qq.root_cause or "internal", lang),
         num(qq.weight), ", ".join(q.recommendation(r).title.get(lang)
                                    for r in qq.recommendations),
         max_cell(qq, lang))
        for qq in q.scored_questions if qq.area == area_id
    )
    columns = tuple(say(k, lang) for k in ("id_col", "question_col", "root_col", "weight_col",
                                           "recs_col", "max_col"))
    return Section(f"area-{area_id}", 3, area.title.get(lang),
                   (Paragraph(area.description.get(lang)), Table(columns, rows, (0,))))


def recommendation_section(q: Questionnaire, rec_id: str, lang: str) -> Section:
    rec = q.recommendation(rec_id)
    rows = tuple(
        (qq.id, question_text(qq, lang), q.area(qq.area or "").title.get(lang),
         say(qq.root_cause or "internal", lang), num(qq.weight))
        for qq in q.scored_questions if rec_id in qq.recommendations
    )
    columns = tuple(say(k, lang) for k in ("id_col", "question_col", "areas_col", "root_col",
                                           "weight_col"))
    blocks: tuple[Block, ...] = (
        Paragraph(rec.description.get(lang)),
        Paragraph(say("primary", lang, area=q.area(rec.primary_area).title.get(lang))),
        Table(columns, rows, (0,)),
        Items(tuple(step.get(lang) for step in rec.next_steps)),
    )
    return Section(f"recommendation-{rec_id}", 3, rec.title.get(lang), blocks)
