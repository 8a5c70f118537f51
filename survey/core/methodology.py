"""The methodology, generated from the questionnaire data (pure: no Flask, no SQLAlchemy).

Every number a reader sees here — thresholds, bands, weights, points, which questions feed
which recommendation — is read from the same data file the scoring uses, so the document can
never drift from the method. `build()` gives structured content for the `/methodology` page;
`render_markdown()` gives `docs/methodology.md` (English) and `docs/methodology.zh.md`, which a
test keeps current. The prose is held here in both languages, since the pure core cannot use
the web layer's translation catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from survey.core.questionnaire.schema import Question, Questionnaire

Lang = Literal["en", "zh"]


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


P: dict[str, dict[str, str]] = {
    "title": {"en": "How the scores are computed", "zh": "评分方法说明"},
    "versions": {
        "en": "Questionnaire version {version}, method version {method_version}. This document "
              "is generated from the questionnaire data file; every threshold below is read "
              "from it.",
        "zh": "问卷版本 {version}，评分方法版本 {method_version}。本文由问卷数据文件自动生成，"
              "文中所有阈值均直接取自该文件。"},
    "intro": {
        "en": "The survey follows AmCham China's 2022 SII Digital Economy Report, which found "
              "that Chinese SMEs face three challenges and made five recommendations to "
              "government. Each SME gets a readiness score per challenge area, a maturity "
              "level, and the five recommendations ranked by how much its answers point to "
              "them.",
        "zh": "本调查以中国美国商会2022年社会影响力倡议（"
              "SII）数字经济报告为依据。报告指出中国中小企业"
              "面临三大挑战，并向政府提出五项建议。每家参与企业都会得到三个挑战领域各自的准备度得分"
              "和成熟度等级，以及按其答案排序的五项建议。"},
    "overview": {"en": "Overview", "zh": "概览"},
    "overview_text": {
        "en": "The questionnaire has {n_questions} questions: a company profile, which is not "
              "scored, and {n_scored} scored questions in three areas. Each scored question "
              "belongs to one area, has a weight, a root cause (internal or external) and is "
              "evidence for one or two recommendations.",
        "zh": "问卷共 {n_questions} 题：企业概况部分不计分，其余 {n_scored} 道计分题分属三个领域。"
              "每道计分题归属一个领域，设有权重和成因类型"
              "（内部或外部），并作为一至两项建议的依据。"},
    "areas_col": {"en": "Area", "zh": "领域"},
    "about_col": {"en": "What it covers", "zh": "内容"},
    "question_scores": {"en": "Question scores", "zh": "单题得分"},
    "qs_items": {
        "en": "A single-choice question scores points ÷ maximum points × 100.|"
              "A multiple-choice question scores min(sum of the points chosen, full credit) ÷ "
              "full credit × 100: a firm need not tick everything to earn 100. \"None of "
              "these\" scores 0 and cannot be combined with other options.|"
              "\"Don't know\" and \"not applicable\" give no score: they count exactly as an "
              "unanswered question, never as 0.|"
              "Not doing something is a real answer worth 0 (a firm that does not export "
              "scores 0 on export practice), and so is \"never heard of it\".",
        "zh": "单选题得分 = 所选选项分值 ÷ 该题最高分值 × 100。|"
              "多选题得分 = 所选选项分值之和（超过满分点数时按满分点数计）÷ 满分点数 × 100，"
              "即不必全选也能得到100分。"
              "“以上都没有”计0分，且不能与其他选项同时选择。|"
              "“不清楚”和“不适用”不计分，与未作答完全相同，绝不按0分计算。|"
              "没有开展某项工作是真实的答案，计0分（例如不出口的企业在出口实践题上得0分）；"
              "“从未听说”同样计0分。"},
    "readiness": {"en": "Readiness and environment", "zh": "准备度与外部环境"},
    "readiness_text": {
        "en": "An area's score (its readiness) is the weighted mean of the scores of its "
              "answered internal questions; its environment is the same mean over its answered "
              "external questions (0–100, higher is more supportive). The environment is shown "
              "beside the score, without a level.|"
              "The report traces the SMEs' challenges to two root causes: inadequate "
              "institutional measures and supportive policies (external), and a lack of "
              "knowledge, capabilities and resources inside companies (internal). Readiness "
              "uses internal questions only because those describe what the firm itself can "
              "act on; the environment describes what policy must fix. Mixing the two would "
              "blame a firm for a poor local network or a missing subsidy, and hide where "
              "support fails to reach SMEs.",
        "zh": "领域得分（准备度）是该领域已作答的内部因素题"
              "得分的加权平均；外部环境得分是该领域已作答的"
              "外部因素题得分的加权平均（0–100，越高表"
              "示外部环境越有利）。外部环境得分与领域得分并列"
              "显示，不划分等级。|"
              "报告将中小企业面临的挑战归结为两类成因：制度措施和扶持政策不足（外部），以及企业自身"
              "知识、能力和资源的欠缺（内部）。准备度只采"
              "用内部因素题，因为这些是企业自己能够改进的；"
              "外部环境反映的是需要政策解决的问题。若将两者混在一起，企业会因当地网络差或缺少补贴"
              "而被扣分，政策未能惠及中小企业的问题也会被掩盖。"},
    "coverage": {"en": "Coverage and “not enough answers”", "zh": "作答覆盖率与“作答不足”"},
    "coverage_text": {
        "en": "Coverage is the share of a group's weight that was answered with a score. A "
              "score or an environment is null (“not enough answers”), never 0, when fewer "
              "than {min_answered} of its questions (or all of them, when the group has fewer) "
              "or less than {min_share} of its weight were answered.",
        "zh": "覆盖率是某组题目中已作答且计分的题目所占的权重比例"
              "。已作答的题目少于 {min_answered} 道"
              "（该组不足 {min_answered} 道时须全部作答），或已作答权重低于 {min_share} 时，得分或"
              "外部环境得分记为空（“作答不足”），而不是0。"},
    "overall": {"en": "Overall score", "zh": "总分"},
    "overall_text": {
        "en": "The overall score is the mean of the three area scores. It is null unless all "
              "three areas are scored.|"
              "Scores, environments and needs are kept to one decimal, and levels, priorities "
              "and the order of the recommendations use that rounded value; people see scores "
              "as whole numbers, cut rather than rounded (19.9 shows as 19), so a shown score "
              "always lies in the band of its level.",
        "zh": "总分为三个领域得分的平均值。只有三个领域都有得分时才计算总分，否则记为空。|"
              "各项得分、外部环境得分和需求度均保留一位小数，等级、优先级和建议排序都以该数值为准；"
              "向用户展示时取整数，且只舍不入（19.9显示为19），使显示的分数始终落在其等级区间内。"},
    "levels": {"en": "Maturity levels", "zh": "成熟度等级"},
    "levels_text": {
        "en": "Each score falls in one half-open band: a score on a boundary belongs to the "
              "higher level, and 100 to the top level.",
        "zh": "每个得分落入一个左闭右开的区间：恰好处于分界"
              "点的得分归入较高等级，100分归入最高等级。"},
    "level_col": {"en": "Level", "zh": "等级"},
    "band_col": {"en": "Score band", "zh": "得分区间"},
    "needs": {"en": "Needs and priorities", "zh": "需求度与优先级"},
    "needs_text": {
        "en": "The need for a recommendation is the weighted mean gap (100 − question score) "
              "over the answered questions linked to it, internal and external alike. It is "
              "null, with priority “unknown”, when less than {need_share} of the linked weight "
              "was answered.",
        "zh": "某项建议的需求度，是与之关联且已作答题目的差距"
              "（100 − 单题得分）的加权平均，内部和外部"
              "因素题都计入。关联题目的已作答权重低于 {need_share} 时，需求度记为空，优先级为"
              "“未知”。"},
    "priority_col": {"en": "Priority", "zh": "优先级"},
    "need_col": {"en": "Need", "zh": "需求度"},
    "high": {"en": "High", "zh": "高"},
    "medium": {"en": "Medium", "zh": "中"},
    "low": {"en": "Low", "zh": "低"},
    "unknown": {"en": "Unknown", "zh": "未知"},
    "at_least": {"en": "{x} or more", "zh": "{x} 及以上"},
    "range": {"en": "{lo} to below {hi}", "zh": "{lo} 至 {hi}（不含）"},
    "below": {"en": "below {x}", "zh": "低于 {x}"},
    "too_few": {"en": "not enough answers", "zh": "作答不足"},
    "ordering": {"en": "Order and ties", "zh": "排序与并列"},
    "ordering_items": {
        "en": "by need, rounded to one decimal, highest first;|"
              "then by the lower score of the recommendation's primary area;|"
              "then by the higher coverage;|"
              "then in the report's order.",
        "zh": "按需求度（保留一位小数）从高到低；|"
              "需求度相同时，建议所属主要领域得分较低者在前；|"
              "仍相同时，覆盖率较高者在前；|"
              "仍相同时，按报告中的建议顺序。"},
    "ordering_text": {
        "en": "Recommendations with an unknown need come last. Recommendations with the same "
              "need share a rank and are shown as tied.",
        "zh": "需求度未知的建议排在最后。需求度相同的建议名次相同，并标示为并列。"},
    "drivers": {"en": "Drivers and next steps", "zh": "主要短板与行动建议"},
    "drivers_text": {
        "en": "The drivers of a recommendation are up to {drivers_max} of its linked questions "
              "with the largest gaps (on equal gaps, the heavier question first, then the "
              "questionnaire's order). The next steps follow the internal drivers, which the "
              "firm can act on; external drivers point to support the firm can look for.",
        "zh": "每项建议的主要短板，是与之关联的题目中差距最大的至多 {drivers_max} 道（差距相同时，"
              "权重较高者在前，再按问卷顺序）。行动建议针对内部因素短板，即企业自己能够改进的方面；"
              "外部因素短板则提示企业可以寻求的支持。"},
    "by_area": {"en": "Questions by area", "zh": "各领域题目"},
    "by_rec": {"en": "Questions behind each recommendation",
               "zh": "各项建议的依据题目"},
    "primary": {"en": "Primary area: {area}.", "zh": "主要领域：{area}。"},
    "id_col": {"en": "ID", "zh": "编号"},
    "question_col": {"en": "Question", "zh": "题目"},
    "root_col": {"en": "Root cause", "zh": "成因"},
    "weight_col": {"en": "Weight", "zh": "权重"},
    "recs_col": {"en": "Recommendations", "zh": "对应建议"},
    "max_col": {"en": "Max points / full credit", "zh": "最高分值/满分点数"},
    "internal": {"en": "internal", "zh": "内部"},
    "external": {"en": "external", "zh": "外部"},
    "full_credit": {"en": "full credit {x}", "zh": "满分点数 {x}"},
    "max_points": {"en": "{x}", "zh": "{x}"},
    "multi_note": {"en": " (multiple choice)", "zh": "（多选）"},
}


def _p(key: str, lang: str, **params: object) -> str:
    text = P[key]["zh" if lang == "zh" else "en"]
    return text.format(**params) if params else text


def _num(x: float) -> str:
    return f"{x:g}"


def _pct(share: float) -> str:
    return f"{share * 100:g}%"


def _paragraphs(key: str, lang: str, **params: object) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(t) for t in _p(key, lang, **params).split("|"))


def _items(key: str, lang: str) -> Items:
    return Items(tuple(_p(key, lang).split("|")))


def _levels_table(q: Questionnaire, lang: str) -> Table:
    rows = []
    for i, level in enumerate(q.levels):
        top = q.levels[i + 1].min if i + 1 < len(q.levels) else None
        band = f"[{_num(level.min)}, {_num(top)})" if top is not None else (
            f"[{_num(level.min)}, 100]")
        rows.append((level.title.get(lang), band))
    return Table((_p("level_col", lang), _p("band_col", lang)), tuple(rows))


def _priorities_table(q: Questionnaire, lang: str) -> Table:
    m = q.method
    rows = (
        (_p("high", lang), _p("at_least", lang, x=_num(m.priority_high))),
        (_p("medium", lang), _p("range", lang, lo=_num(m.priority_medium),
                                hi=_num(m.priority_high))),
        (_p("low", lang), _p("below", lang, x=_num(m.priority_medium))),
        (_p("unknown", lang), _p("too_few", lang)),
    )
    return Table((_p("priority_col", lang), _p("need_col", lang)), rows)


def _max_cell(question: Question, lang: str) -> str:
    if question.type == "multi":
        return _p("full_credit", lang, x=_num(question.max_points))
    return _p("max_points", lang, x=_num(question.max_points))


def _question_text(question: Question, lang: str) -> str:
    note = _p("multi_note", lang) if question.type == "multi" else ""
    return question.text.get(lang) + note


def _area_section(q: Questionnaire, area_id: str, lang: str) -> Section:
    area = q.area(area_id)
    rows = tuple(
        (qq.id, _question_text(qq, lang), _p(qq.root_cause or "internal", lang),
         _num(qq.weight), ", ".join(q.recommendation(r).title.get(lang)
                                    for r in qq.recommendations),
         _max_cell(qq, lang))
        for qq in q.scored_questions if qq.area == area_id
    )
    columns = tuple(_p(k, lang) for k in ("id_col", "question_col", "root_col", "weight_col",
                                           "recs_col", "max_col"))
    return Section(f"area-{area_id}", 3, area.title.get(lang),
                   (Paragraph(area.description.get(lang)), Table(columns, rows, (0,))))


def _recommendation_section(q: Questionnaire, rec_id: str, lang: str) -> Section:
    rec = q.recommendation(rec_id)
    rows = tuple(
        (qq.id, _question_text(qq, lang), q.area(qq.area or "").title.get(lang),
         _p(qq.root_cause or "internal", lang), _num(qq.weight))
        for qq in q.scored_questions if rec_id in qq.recommendations
    )
    columns = tuple(_p(k, lang) for k in ("id_col", "question_col", "areas_col", "root_col",
                                           "weight_col"))
    blocks: tuple[Block, ...] = (
        Paragraph(rec.description.get(lang)),
        Paragraph(_p("primary", lang, area=q.area(rec.primary_area).title.get(lang))),
        Table(columns, rows, (0,)),
        Items(tuple(step.get(lang) for step in rec.next_steps)),
    )
    return Section(f"recommendation-{rec_id}", 3, rec.title.get(lang), blocks)


def build(q: Questionnaire, lang: str = "en") -> Methodology:
    """The methodology of a questionnaire in `lang` ("en" or "zh"; anything else is English)."""
    lang = "zh" if lang == "zh" else "en"
    m = q.method
    areas_table = Table((_p("areas_col", lang), _p("about_col", lang)),
                        tuple((a.title.get(lang), a.description.get(lang)) for a in q.areas))
    sections: list[Section] = [
        Section("overview", 2, _p("overview", lang), (
            *_paragraphs("overview_text", lang, n_questions=len(q.questions),
                         n_scored=len(q.scored_questions)),
            areas_table)),
        Section("question-scores", 2, _p("question_scores", lang),
                (_items("qs_items", lang),)),
        Section("readiness-environment", 2, _p("readiness", lang),
                _paragraphs("readiness_text", lang)),
        Section("coverage", 2, _p("coverage", lang),
                _paragraphs("coverage_text", lang, min_answered=m.min_answered,
                            min_share=_pct(m.min_weight_share))),
        Section("overall", 2, _p("overall", lang), _paragraphs("overall_text", lang)),
        Section("levels", 2, _p("levels", lang),
                (*_paragraphs("levels_text", lang), _levels_table(q, lang))),
        Section("needs", 2, _p("needs", lang),
                (*_paragraphs("needs_text", lang, need_share=_pct(m.need_min_weight_share)),
                 _priorities_table(q, lang))),
        Section("ordering", 2, _p("ordering", lang),
                (_items("ordering_items", lang), *_paragraphs("ordering_text", lang))),
        Section("drivers", 2, _p("drivers", lang),
                _paragraphs("drivers_text", lang, drivers_max=m.drivers_max)),
        Section("by-area", 2, _p("by_area", lang), ()),
        *(_area_section(q, a.id, lang) for a in q.areas),
        Section("by-recommendation", 2, _p("by_rec", lang), ()),
        *(_recommendation_section(q, r.id, lang) for r in q.recommendations),
    ]
    return Methodology(
        lang=lang, title=_p("title", lang), version=q.version, method_version=q.method_version,
        intro=(Paragraph(_p("intro", lang)),
               Paragraph(_p("versions", lang, version=q.version,
                            method_version=q.method_version))),
        sections=tuple(sections),
    )


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
