"""The one home of the words shown for codes: size classes, regions, export statuses,
priorities, levels, area statuses, gap splits, credit-constraint classes, the demo filter,
wave names and questionnaire option labels.

Codes (`micro`, `east`, …) are stored, exported and sent by the API unchanged; every page, chart
and export label that names them in a language comes from here, so a label cannot drift between
the dashboard, the responses list, the audit log and the exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey.core.questionnaire import Questionnaire, QuestionnaireError, Text, load_questionnaire
from survey.web.i18n import LANGUAGES

SIZE_NAMES = {"micro": _l("Micro"), "small": _l("Small"), "medium": _l("Medium"),
              "large": _l("Large")}
REGION_NAMES = {"east": _l("East"), "central": _l("Central"), "west": _l("West"),
                "northeast": _l("North-east")}
# Questionnaire 2027.1's export statuses first, then the codes only 2026.1 rows carry (every
# stored code keeps its name; see survey.queries.filters for which the filter offers).
EXPORT_NAMES = {"exports_direct": _l("Exports directly"),
                "exports_indirect": _l("Exports through intermediaries"),
                "supplies_exporters": _l("Supplies exporters"),
                "stopped": _l("Stopped exporting"),
                "considering": _l("Considering exports"),
                "no_plans": _l("No export plans"),
                "none": _l("Not exporting"), "planning": _l("Planning exports"),
                "exporting": _l("Exporting")}
PRIORITY_NAMES = {"high": _l("High priority"), "medium": _l("Medium priority"),
                  "low": _l("Low priority"), "unknown": _l("Not enough answers"),
                  "not_applicable": _l("Does not apply")}
AREA_STATUS_NAMES = {"scored": _l("Scored"), "insufficient": _l("Too few answers"),
                     "not_applicable": _l("Does not apply")}
GAP_NAMES = {"mostly_external": _l("Mostly external"), "mixed": _l("Mixed"),
             "mostly_internal": _l("Mostly internal")}
CREDIT_NAMES = {"no_need": _l("No need for external finance"),
                "not_constrained": _l("Not credit-constrained"),
                "partially_constrained": _l("Partially credit-constrained"),
                "fully_constrained": _l("Fully credit-constrained"),
                "unknown": _l("Not enough answers")}
DEMO_NAMES = {"exclude": _l("Real only"), "include": _l("Real and demo"),
              "only": _l("Demo only")}
MISSING_NAMES = {"not_asked": _l("Not asked"), "not_answered": _l("Not answered"),
                 "dont_know": _l("Don't know"), "not_applicable": _l("Does not apply")}
"""Why an export cell has no value (survey.queries.export_columns.MISSING)."""
FLAG_NAMES = {"0": _l("Not chosen"), "1": _l("Chosen")}
DEMO_ROW_NAMES = {"0": _l("Real response"), "1": _l("Demo data (generated)")}
"""The export's is_demo column."""
"""The 0/1 columns of a multiple choice's options."""
SOURCE_NAMES = {"web": _l("Web questionnaire"), "api": _l("API"),
                "demo": _l("Demo data (generated)"), "bench": _l("Benchmark data (generated)")}

DEFAULT_WAVE = "Default wave"
"""The name the first migration gives the open-ended wave; shown translated, stored as is."""


def wave_name(stored: str | None) -> str:
    """A wave's name for display: the default wave's in the page's language, others as typed."""
    if stored is None:
        return "—"
    return _("Default wave") if stored == DEFAULT_WAVE else stored


def level_names(q: Questionnaire | None = None) -> dict[str, str]:
    """Level id → title in the page's language, from the questionnaire (their one home)."""
    from survey.web.i18n import current_language

    q = q or load_questionnaire()
    return {level.id: level.title.get(current_language()) for level in q.levels}


def code_labels() -> dict[str, Mapping[str, Any]]:
    """Every code family with its labels in the page's language."""
    return {"size": SIZE_NAMES, "region": REGION_NAMES, "export": EXPORT_NAMES,
            "priority": PRIORITY_NAMES, "demo": DEMO_NAMES, "level": level_names(),
            "area_status": AREA_STATUS_NAMES, "gap": GAP_NAMES, "credit": CREDIT_NAMES}


def code_labels_by_language(waves: Iterable[tuple[int, str]] = ()
                            ) -> dict[str, dict[str, dict[str, str]]]:
    """Every code family's labels in each language, as plain text, with the waves (id →
    name) as a family too: exports label their codes in both languages at once."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    waves = list(waves)
    for lang, spec in LANGUAGES.items():
        with force_locale(spec["locale"]):
            families: dict[str, Mapping[str, Any]] = {
                **code_labels(), "source": SOURCE_NAMES, "missing": MISSING_NAMES,
                "flag": FLAG_NAMES, "demo_row": DEMO_ROW_NAMES,
                "language": {code: s["name"] for code, s in LANGUAGES.items()},
                "wave": {str(wave_id): wave_name(name) for wave_id, name in waves}}
            out[lang] = {family: {code: str(label) for code, label in names.items()}
                         for family, names in families.items()}
    return out


def code_label(kind: str, value: str | None) -> str:
    if value is None:
        return "—"
    return str(code_labels().get(kind, {}).get(value, value))


def option_labels(q: Questionnaire, qid: str) -> dict[str, Text]:
    """Option value → bilingual label of one question, or {} when the question is absent."""
    question = q.questions.get(qid)
    return {o.value: o.label for o in question.options} if question else {}


def industry_codes(q: Questionnaire | None = None) -> tuple[str, ...]:
    """The industry codes of a questionnaire, in its order, without "don't know"-like options
    (for filters and sorting); () when the questionnaire cannot be loaded."""
    try:
        q = q or load_questionnaire()
    except QuestionnaireError:
        return ()
    question = q.questions.get("industry")
    return tuple(o.value for o in question.options if not o.kind) if question else ()


def industry_labels() -> dict[str, Text]:
    try:
        return option_labels(load_questionnaire(), "industry")
    except QuestionnaireError:
        return {}


__all__ = ["AREA_STATUS_NAMES", "CREDIT_NAMES", "DEFAULT_WAVE", "EXPORT_NAMES", "GAP_NAMES",
           "PRIORITY_NAMES", "SOURCE_NAMES", "code_label", "code_labels",
           "code_labels_by_language", "industry_codes", "industry_labels", "option_labels",
           "wave_name"]
