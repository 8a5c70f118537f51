"""The sections of the methodology for method 2027.1 (pure).

Beside what 2026.1 printed, 2027.1 prints which questions apply to whom, the area score with
capability and environment, the gap split, the credit-constraint rules, the sensitivity to the
weights, the reason behind every link, and every next step with its condition in words — all
read from the data file, with the sensitivity figures computed here with a fixed seed, so the
document is reproducible.
"""

from __future__ import annotations

from survey.core.methodology.condition_words import in_words
from survey.core.methodology.parts import (
    Block,
    Paragraph,
    Section,
    Table,
    area_section,
    items,
    levels_table,
    num,
    paragraphs,
    pct,
    priorities_table,
    question_text,
)
from survey.core.methodology.text import say
from survey.core.questionnaire.rules import grid_units
from survey.core.questionnaire.schema import AREAS, Questionnaire
from survey.core.rounding import half_up
from survey.core.sensitivity import SensitivityReport, sensitivity, synthetic_sample

SENSITIVITY_FIRMS = 200
SENSITIVITY_DRAWS = 20
SENSITIVITY_SEED = 2027


def sensitivity_for_docs(q: Questionnaire) -> SensitivityReport:
    """The figures the methodology prints: a fixed seed and sample, computed once per object."""
    cached: SensitivityReport | None = q.__dict__.get("_docs_sensitivity")
    if cached is None:
        sample = synthetic_sample(q, SENSITIVITY_FIRMS, SENSITIVITY_SEED)
        cached = sensitivity(q, sample, draws=SENSITIVITY_DRAWS, seed=SENSITIVITY_SEED,
                             source="synthetic sample")
        object.__setattr__(q, "_docs_sensitivity", cached)
    return cached


def _percent(share: float) -> str:
    return f"{half_up(share * 100, 1):.1f}%"


def _routing(q: Questionnaire, lang: str) -> Section:
    routed = [x for x in q.questions.values() if x.applies_if is not None]
    table = Table(tuple(say(k, lang) for k in ("id_col", "question_col", "asked_when_col")),
                  tuple((x.id, question_text(x, lang), in_words(q, x.applies_if, lang))
                        for x in routed if x.applies_if is not None), (0,))
    return Section("applicability", 2, say("applicability", lang),
                   (*paragraphs("applicability_text", lang, n_routed=len(routed)), table))


def _priorities(q: Questionnaire, lang: str) -> Table:
    base = priorities_table(q, lang)
    return Table(base.columns, (*base.rows, (say("not_applicable", lang),
                                             say("none_apply", lang))))


def _credit(q: Questionnaire, lang: str) -> Section:
    table = Table(tuple(say(k, lang) for k in ("rule_col", "class_col", "when_col")),
                  tuple((r.id, say(r.cls, lang), in_words(q, r.when, lang))
                        for r in q.credit_rules), (0,))
    return Section("credit-constraint", 2, say("credit", lang),
                   (*paragraphs("credit_text", lang), table))


def _sensitivity(q: Questionnaire, lang: str) -> Section:
    r = sensitivity_for_docs(q)
    rows = tuple(
        (say("area_level", lang, area=q.area(a).title.get(lang)),
         _percent(r.level_changed_draws[a]), _percent(r.level_changed_firms[a]))
        for a in AREAS)
    rows += ((say("top_rec", lang), _percent(r.top_changed_draws),
              _percent(r.top_changed_firms)),)
    table = Table(tuple(say(k, lang) for k in ("result_col", "draws_changed_col",
                                               "firms_changed_col")), rows)
    text = paragraphs("sensitivity_text", lang, lo=num(1 - r.spread), hi=num(1 + r.spread),
                      draws=r.draws, n=r.n, seed=r.seed)
    return Section("sensitivity", 2, say("sensitivity", lang), (*text, table))


def _links(q: Questionnaire, lang: str) -> Section:
    rows = tuple(
        (x.id, question_text(x, lang), q.recommendation(link.to).title.get(lang),
         link.why.get(lang) if link.why else "")
        for x in q.scored_questions for link in x.links)
    table = Table(tuple(say(k, lang) for k in ("id_col", "question_col", "rec_col", "why_col")),
                  rows, (0,))
    return Section("links", 2, say("links", lang), (*paragraphs("links_text", lang), table))


def _recommendation(q: Questionnaire, rec_id: str, lang: str) -> Section:
    rec = q.recommendation(rec_id)
    rows = tuple(
        (x.id, question_text(x, lang), q.area(x.area or "").title.get(lang),
         say(x.root_cause or "internal", lang), num(x.weight))
        for x in q.scored_questions if rec_id in x.recommendations)
    columns = tuple(say(k, lang) for k in ("id_col", "question_col", "areas_col", "root_col",
                                           "weight_col"))
    steps = Table(tuple(say(k, lang) for k in ("id_col", "step_col", "shown_when_col")),
                  tuple((s.id, s.text.get(lang), in_words(q, s.when, lang) if s.when else "")
                        for s in rec.steps), (0,))
    blocks: tuple[Block, ...] = (
        Paragraph(rec.description.get(lang)),
        Paragraph(say("primary", lang, area=q.area(rec.primary_area).title.get(lang))),
        Table(columns, rows, (0,)),
        Paragraph(say("steps_text", lang)),
        steps,
    )
    return Section(f"recommendation-{rec_id}", 3, rec.title.get(lang), blocks)


def sections_2027(q: Questionnaire, lang: str) -> list[Section]:
    m = q.method
    areas_table = Table((say("areas_col", lang), say("about_col", lang)),
                        tuple((a.title.get(lang), a.description.get(lang)) for a in q.areas))
    return [
        Section("overview", 2, say("overview", lang), (
            *paragraphs("overview_text27", lang, n_questions=len(q.questions),
                        n_units=grid_units(q.sections), n_scored=len(q.scored_questions)),
            areas_table)),
        Section("question-scores", 2, say("question_scores", lang),
                (items("qs_items27", lang),)),
        _routing(q, lang),
        Section("area-score", 2, say("area_score", lang), paragraphs("area_score_text", lang)),
        Section("gap-split", 2, say("gap_split", lang),
                paragraphs("gap_split_text", lang, external=pct(m.gap_mostly_external),
                           internal=pct(m.gap_mostly_internal))),
        Section("coverage", 2, say("coverage", lang),
                paragraphs("coverage_text27", lang, min_answered=m.min_answered,
                           min_share=pct(m.min_weight_share))),
        Section("overall", 2, say("overall", lang),
                paragraphs("overall_text27", lang, min_areas=m.overall_min_areas)),
        Section("levels", 2, say("levels", lang),
                (*paragraphs("levels_text", lang), levels_table(q, lang))),
        Section("needs", 2, say("needs", lang),
                (*paragraphs("needs_text27", lang, need_share=pct(m.need_min_weight_share)),
                 _priorities(q, lang))),
        Section("ordering", 2, say("ordering", lang),
                (items("ordering_items", lang), *paragraphs("ordering_text27", lang))),
        Section("drivers", 2, say("drivers", lang),
                paragraphs("drivers_text27", lang, drivers_max=m.drivers_max,
                           steps_max=m.next_steps_max)),
        _credit(q, lang),
        _sensitivity(q, lang),
        Section("aggregates", 2, say("aggregates", lang), (
            *paragraphs("aggregates_text", lang), items("aggregates_items", lang),
            *paragraphs("privacy_text", lang))),
        Section("by-area", 2, say("by_area", lang), ()),
        *(area_section(q, a.id, lang) for a in q.areas),
        _links(q, lang),
        Section("by-recommendation", 2, say("by_rec", lang), ()),
        *(_recommendation(q, r.id, lang) for r in q.recommendations),
    ]
