"""The codebook: every export column with its code list and labels in both languages.

One row per column (and per code of a coded column), in the order of the CSV, with the codes'
numbers and names as the Stata and SPSS files carry them. Descriptions are in the staff
member's language; the code labels are given in that language (`option_label`) and in both
(`option_label_en`, `option_label_zh`), so one file serves analysts in either language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from survey.core.questionnaire.schema import AREAS, LANGUAGES, RECOMMENDATIONS
from survey.queries.export_columns import (
    LABEL_SUFFIX,
    MISSING,
    MISSING_REASONS,
    MISSING_SUFFIX,
    MULTI_SEPARATOR,
    LabelsByLanguage,
    Variable,
    stat_name,
    variables,
)

CODEBOOK_HEADER = (
    "column", "section", "type", "area", "root_cause", "weight", "recommendations",
    "full_credit", "text", "option_value", "option_label", "option_points", "option_kind",
    "exclusive", "versions", "option_label_en", "option_label_zh", "numeric_code",
    "stat_name",
)


def _fixed_descriptions() -> dict[str, str]:
    d = {
        "response_id": _("Internal id of the response (not the respondent's private token)."),
        "wave": _("Survey wave holding the submission date."),
        "wave_id": _("Id of the survey wave; its value labels are the waves' names."),
        "month": _("Month of submission (YYYY-MM), in the survey's time zone."),
        "is_demo": _("1 for synthetic demo data, 0 for real responses."),
        "questionnaire_version": _("Questionnaire version answered."),
        "method_version": _("Scoring method version of the scores."),
        "language": _("Language the questionnaire was answered in."),
        "source": _("How the response arrived (web, api, demo)."),
        "duration_seconds": _("Seconds from the first page to submission."),
        "size_class": _("Size class derived by the national SME size standard from industry, "
                        "employees, revenue and, where the standard needs them, total assets."),
        "region": _("Region derived from the province."),
        "overall_score": _("Overall score 0–100: the mean of the area scores that apply "
                           "(method 2026.1: of all three)."),
        "overall_level": _("Maturity level of the overall score."),
        "credit_constraint": _("Credit-constraint class (World Bank Enterprise Surveys), from "
                               "method 2027.1; empty for earlier assessments."),
    }
    for area in AREAS:
        d[f"{area}_score"] = _("Score 0–100 of area %(area)s: method 2027.1 over its applicable "
                               "internal and external questions, 2026.1 over internal "
                               "questions only; empty when too few were answered or the area "
                               "does not apply.", area=area)
        d[f"{area}_capability"] = _("Capability 0–100 of area %(area)s (internal questions).",
                                    area=area)
        d[f"{area}_env"] = _("Environment score 0–100 of area %(area)s (external questions).",
                             area=area)
        d[f"{area}_status"] = _("Status of area %(area)s: scored, insufficient (too few "
                                "answers) or not_applicable (none of its questions applies); "
                                "from method 2027.1.", area=area)
        d[f"{area}_gap"] = _("Where the gap of area %(area)s comes from: mostly_external, "
                             "mixed or mostly_internal; empty when not scored or without a "
                             "gap; from method 2027.1.", area=area)
        d[f"{area}_level"] = _("Maturity level of the score of area %(area)s.", area=area)
        d[f"{area}_coverage"] = _("Share 0–1 of the weight of area %(area)s's applicable "
                                  "scored questions that have a scored answer (don't know "
                                  "and does not apply count as unanswered).", area=area)
        d[f"{area}_capability_coverage"] = _("Coverage 0–1 of the capability of area "
                                             "%(area)s.", area=area)
        d[f"{area}_env_coverage"] = _("Coverage 0–1 of the environment score of area "
                                      "%(area)s.", area=area)
    for rec in RECOMMENDATIONS:
        d[f"need_{rec}"] = _("Need 0–100 for recommendation %(rec)s.", rec=rec)
        d[f"priority_{rec}"] = _("Priority (high, medium, low, unknown; not_applicable from "
                                 "method 2027.1) for recommendation %(rec)s.", rec=rec)
    return d



def variable_texts(lang: str) -> dict[str, str]:
    """Each column's text in `lang`: the question, or the derived column's description; the
    variable labels of the Stata and SPSS files."""
    texts = _fixed_descriptions()
    for v in variables(True):
        if v.question is not None:
            texts[v.name] = v.question.text.get(lang)
    return texts


def missing_code(kind: str) -> str:
    """A missing value in both files, worded so that no spreadsheet reads it as a formula."""
    stata, spss = MISSING[kind]
    return f"SPSS {spss}, Stata .{stata}"


def numeric_code(v: Variable, code: str) -> str | int:
    """The code's number in the Stata and SPSS files; a skip option's is a missing value
    (`missing_code`)."""
    if code in v.skips:
        return missing_code(v.skips[code])
    return v.numeric.get(code, "")


def _word(labels: LabelsByLanguage, lang: str, family: str, code: str) -> str:
    return str(labels.get(lang, {}).get(family, {}).get(code, ""))


def _missing_rows(v: Variable, lang: str, labels: LabelsByLanguage) -> Iterator[list[Any]]:
    text = _("Why %(column)s is blank: not_asked (the questionnaire version answered does not "
             "have it, or the firm's earlier answers routed it out) or not_answered; empty "
             "when answered. In Stata files .a and .b, in SPSS files the user-missing "
             "values -1 and -2.", column=v.name)
    for reason in MISSING_REASONS:
        yield [v.name + MISSING_SUFFIX, "", "derived", "", "", "", "", "", text, reason,
               _word(labels, lang, "missing", reason), "", "", "", "",
               *(_word(labels, x, "missing", reason) for x in LANGUAGES), missing_code(reason),
               ""]


def _added_rows(v: Variable, lang: str, labels: LabelsByLanguage) -> Iterator[list[Any]]:
    blank = ["", "", "", "", "", ""]
    if v.labelled:
        yield [v.name + LABEL_SUFFIX, "", "label", "", "", "", "", "",
               _("Label of %(column)s in the export's language (several choices joined "
                 "with “;”).", column=v.name), *blank, "", "", "", ""]
    if v.kind == "multi":
        for code in v.codes:
            yield [v.option_column(code), "", "flag", "", "", "", "", "",
                   _("1 when option %(option)s of %(column)s was chosen, 0 when not; blank "
                     "when the question has no answer (see %(column)s_missing).",
                     option=code, column=v.name),
                   code, v.label(code, lang), "", v.skips.get(code, ""), "",
                   " ".join(v.versions.get(code, ())), v.label(code, "en"), v.label(code, "zh"),
                   "0 / 1", stat_name(v.option_column(code))]
    if v.question is not None:
        yield from _missing_rows(v, lang, labels)


def codebook_rows(lang: str, labels: LabelsByLanguage | None = None) -> Iterator[list[Any]]:
    """One row per column (and per code of those holding codes), in the order of the CSV, in
    the staff's language; `versions` says which questionnaire versions have the question or
    option (a question asked with other options in another version lists the options of every
    version)."""
    descriptions = _fixed_descriptions()
    for v in variables(True, labels):
        q = v.question
        if q is None:
            base: list[Any] = [v.name, "", "derived", "", "", "", "", "",
                               descriptions.get(v.name, "")]
            versions = ""
        else:
            base = [q.id, q.section, q.type, q.area or "", q.root_cause or "",
                    q.weight if q.scored else "", MULTI_SEPARATOR.join(q.recommendations),
                    q.full_credit if q.full_credit is not None else "", q.text.get(lang)]
            versions = " ".join(v.asked_in)
        name = stat_name(v.name)
        if not v.codes:
            yield [*base, "", "", "", "", "", versions if q is not None else "", "", "", "",
                   name]
        for code in v.codes:
            option = v.options.get(code)
            yield [*base, code, v.label(code, lang),
                   "" if option is None or option.points is None else option.points,
                   v.skips.get(code, ""), 1 if option is not None and option.exclusive else "",
                   " ".join(v.versions.get(code, ())), v.label(code, "en"),
                   v.label(code, "zh"), numeric_code(v, code), name]
        yield from _added_rows(v, lang, labels or {})
