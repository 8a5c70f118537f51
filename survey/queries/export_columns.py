"""What each export column is: its kind, its code list with labels in both languages, and
how a stored assessment becomes its cells.

One list of `Variable`s drives every export format, so the CSV, the workbook, the codebook and
the Stata and SPSS files always agree on names, codes and labels:

- the CSV and the workbook write each variable's code column as before and add, beside it, a
  `<name>_label` column (labels in the staff member's language) for coded variables, one 0/1
  `<name>__<option>` column per option of a multiple choice, and a `<name>_missing` column
  for questions, which says why a blank is blank: `not_asked` (routed out, or not in the
  questionnaire version answered) or `not_answered`;
- Stata and SPSS files carry numeric codes with value labels instead, and the two reasons as
  missing values (`MISSING`).

Labels of derived code lists arrive from the web layer (`CodeLabels` by language), which is
their one home; question and level labels come from the questionnaire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.questionnaire import (
    Question,
    QuestionnaireError,
    available_versions,
    load_questionnaire,
)
from survey.core.questionnaire.schema import (
    AREAS,
    CREDIT_CLASSES,
    LANGUAGES,
    RECOMMENDATIONS,
    Option,
)
from survey.core.results import AREA_STATUSES, GAP_SPLITS
from survey.core.routing import route
from survey.core.scoring import PRIORITIES_2027

Kind = Literal["code", "multi", "number", "string"]
CodeLabels = Mapping[str, Mapping[str, Any]]
"""Labels of the derived code lists, by family ("credit" → {"no_need": "…"}); the staff view
passes survey.web.labels' (this layer cannot import the web's)."""
LabelsByLanguage = Mapping[str, CodeLabels]

MULTI_SEPARATOR = ";"
LABEL_SUFFIX = "_label"
MISSING_SUFFIX = "_missing"
OPTION_JOIN = "__"
NOT_ASKED = "not_asked"
NOT_ANSWERED = "not_answered"
MISSING_REASONS: tuple[str, ...] = (NOT_ASKED, NOT_ANSWERED)
MISSING: dict[str, tuple[str, int]] = {
    NOT_ASKED: ("a", -1), NOT_ANSWERED: ("b", -2), "dont_know": ("c", -3),
    "not_applicable": ("d", -4),
}
"""Why a value is missing → (Stata extended missing value, SPSS user-missing code): not asked,
not answered, and the two skip options (answered "don't know" or "does not apply")."""
STAT_NAME_MAX = 29
STAT_MAX_LABEL_SETS = 1000
"""Stata allows 32 characters in a name, and pyreadstat names each variable's value labels
after it plus a running number (below `STAT_MAX_LABEL_SETS`: three digits), so 29; SPSS files
use the same names so scripts can share them."""

SOURCES: tuple[str, ...] = ("web", "api", "demo", "bench")
COVERAGES: tuple[str, ...] = ("coverage", "capability_coverage", "env_coverage")
AREA_COLUMNS: tuple[str, ...] = ("score", "capability", "env", "status", "gap", "level",
                                 *COVERAGES)
PROFILE = ("industry", "employees", "revenue", "revenue_band", "assets_band", "size_class",
           "province", "region", "ownership", "export_status")
FIXED: tuple[str, ...] = (
    "response_id", "wave", "wave_id", "month", "is_demo", "questionnaire_version",
    "method_version", "language", "source", "duration_seconds", *PROFILE, "overall_score",
    "overall_level", *(f"{area}_{kind}" for area in AREAS for kind in AREA_COLUMNS),
    "credit_constraint",
    *(f"need_{rec}" for rec in RECOMMENDATIONS),
    *(f"priority_{rec}" for rec in RECOMMENDATIONS),
)
FROM_RESULT: dict[str, tuple[str, str]] = {
    f"{area}_{kind}": (area, key) for area in AREAS
    for kind, key in (("level", "level"), ("coverage", "coverage"),
                      ("capability_coverage", "capability_coverage"),
                      ("env_coverage", "environment_coverage"))
}
"""Columns read from the stored result JSON (area → its key there), not a table column."""
STRING_COLUMNS = frozenset({"wave", "month", "questionnaire_version", "method_version"})


@lru_cache(maxsize=1)
def code_lists() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The derived columns that hold codes: their label family (survey.web.labels) and codes;
    read when first needed, so importing the exports never loads the questionnaire."""
    levels = tuple(level.id for level in load_questionnaire().levels)
    return {
        "is_demo": ("demo_row", ("0", "1")),
        "language": ("language", LANGUAGES), "source": ("source", SOURCES),
        "size_class": ("size", SIZE_CLASSES), "region": ("region", REGIONS),
        "overall_level": ("level", levels),
        **{f"{area}_level": ("level", levels) for area in AREAS},
        **{f"{area}_status": ("area_status", AREA_STATUSES) for area in AREAS},
        **{f"{area}_gap": ("gap", GAP_SPLITS) for area in AREAS},
        "credit_constraint": ("credit", CREDIT_CLASSES),
        **{f"priority_{rec}": ("priority", PRIORITIES_2027) for rec in RECOMMENDATIONS},
    }


def level_labels() -> dict[str, dict[str, str]]:
    """Level id → title in each language: the questionnaire is their one home."""
    levels = load_questionnaire().levels
    return {lang: {level.id: level.title.get(lang) for level in levels} for lang in LANGUAGES}


@dataclass(frozen=True)
class Variable:
    """One export column. `labels[lang][code]`; `numeric[code]` is its code in Stata and SPSS
    files; `skips[code]` the kind of a "don't know" / "does not apply" option; `question` is
    set when the column is a question's answer (then a blank has a reason)."""

    name: str
    kind: Kind
    codes: tuple[str, ...] = ()
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    numeric: Mapping[str, int] = field(default_factory=dict)
    skips: Mapping[str, str] = field(default_factory=dict)
    question: Question | None = None
    versions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Code → the questionnaire versions that offer it."""
    options: Mapping[str, Option] = field(default_factory=dict)
    asked_in: tuple[str, ...] = ()
    dynamic: bool = False
    """Codes known only from the database (waves): labelled even when there are none yet."""

    @property
    def labelled(self) -> bool:
        return bool(self.codes) or self.dynamic

    def label(self, code: str, lang: str) -> str:
        return self.labels.get(lang, {}).get(code, "")

    def option_column(self, code: str) -> str:
        return f"{self.name}{OPTION_JOIN}{code}"


def versions() -> list[str]:
    """Every questionnaire version, the current one first."""
    current = load_questionnaire().version
    return [current, *(v for v in available_versions() if v != current)]


def question_versions() -> dict[str, list[tuple[str, Question]]]:
    """Each question id with every version that asks it (current first) and its form there:
    an id may carry other options in another version (2026.1's export statuses)."""
    out: dict[str, list[tuple[str, Question]]] = {}
    for version in versions():
        for qid, question in load_questionnaire(version).questions.items():
            out.setdefault(qid, []).append((version, question))
    return out


def _question_variable(forms: Sequence[tuple[str, Question]]) -> Variable:
    q = forms[0][1]
    types = {form.type for _, form in forms}
    kind: Kind = ("multi" if types == {"multi"} else "code" if types == {"single"}
                  else "number" if types == {"number"} else "string")
    labels: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    skips: dict[str, str] = {}
    seen: dict[str, list[str]] = {}
    options: dict[str, Option] = {}
    for version, form in forms:
        for o in form.options:
            if o.value not in seen:
                options[o.value] = o
                for lang in LANGUAGES:
                    labels[lang][o.value] = o.label.get(lang)
                if o.kind:
                    skips[o.value] = o.kind
            seen.setdefault(o.value, []).append(version)
    codes = tuple(seen)
    return Variable(q.id, kind, codes, labels, _numbering(codes), skips, q,
                    {code: tuple(v) for code, v in seen.items()}, options,
                    tuple(version for version, _ in forms))


def _numbering(codes: Sequence[str]) -> dict[str, int]:
    return {code: i for i, code in enumerate(codes, start=1)}


def _fixed_variable(name: str, labels: LabelsByLanguage) -> Variable:
    if name == "wave_id":
        waves = labels.get(LANGUAGES[0], {}).get("wave", {})
        codes = tuple(str(k) for k in waves)
        return Variable(name, "code", codes, _family(labels, "wave", codes),
                        {c: int(c) for c in codes}, dynamic=True)
    if name in code_lists():
        family, codes = code_lists()[name]
        found = level_labels() if family == "level" else _family(labels, family, codes)
        numbers = ({c: int(c) for c in codes} if all(c.isdigit() for c in codes)
                   else _numbering(codes))
        return Variable(name, "code", codes, found, numbers)
    if name in STRING_COLUMNS:
        return Variable(name, "string")
    return Variable(name, "number")


def _family(labels: LabelsByLanguage, family: str, codes: Sequence[str]
            ) -> dict[str, dict[str, str]]:
    return {lang: {c: str(labels.get(lang, {}).get(family, {}).get(c, "")) for c in codes}
            for lang in LANGUAGES}


def variables(include_free_text: bool, labels: LabelsByLanguage | None = None
              ) -> list[Variable]:
    """Every export column in order: the fixed ones, then every question's answer."""
    labels = labels or {}
    asked = question_versions()
    out = [_question_variable(asked[name]) if name in asked else _fixed_variable(name, labels)
           for name in FIXED]
    out += [_question_variable(forms) for qid, forms in asked.items()
            if qid not in FIXED and (include_free_text or forms[0][1].type != "text")]
    return out


def answer_columns(include_free_text: bool) -> list[str]:
    return [v.name for v in variables(include_free_text)[len(FIXED):]]


def csv_header(variables: Sequence[Variable]) -> list[str]:
    """The CSV and workbook columns: each code column, then what the module docstring adds."""
    head: list[str] = []
    for v in variables:
        head.append(v.name)
        if v.labelled:
            head.append(v.name + LABEL_SUFFIX)
        if v.kind == "multi":
            head.extend(v.option_column(code) for code in v.codes)
        if v.question is not None:
            head.append(v.name + MISSING_SUFFIX)
    return head


def stat_name(name: str, limit: int = STAT_NAME_MAX) -> str:
    """A name within `STAT_NAME_MAX`: a long one keeps its start and gets a short hash of the
    full name, so the same column has the same name in every file."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:5]
    return f"{name[:limit - 6]}_{digest}"


@lru_cache(maxsize=4)
def _asked_in(version: str) -> frozenset[str]:
    try:
        return frozenset(load_questionnaire(version).questions)
    except QuestionnaireError:  # a version this code no longer has: nothing known asked
        return frozenset()


def missing_reasons(version: str, answers: Mapping[str, Any], blank: Sequence[str]
                    ) -> dict[str, str]:
    """Why each question in `blank` has no answer: not in `version`, routed out by the
    firm's answers, or asked and left unanswered. Only applicable answers are stored, so
    routing the stored ones gives the questions the firm was shown."""
    if not blank:
        return {}
    asked = _asked_in(version)
    routed_out: frozenset[str] = frozenset()
    if asked:
        routed_out = frozenset(route(load_questionnaire(version), answers).not_applicable)
    return {qid: NOT_ASKED if qid not in asked or qid in routed_out else NOT_ANSWERED
            for qid in blank}


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


__all__ = ["FIXED", "code_lists", "MISSING", "Variable", "csv_header",
           "missing_reasons", "stat_name", "variables"]
