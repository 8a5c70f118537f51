"""Every word the charts show, translated — so survey.core.charts can stay pure.

survey.core.charts builds figures from numbers and a `labels` mapping of ready-translated strings
(with %(name)s placeholders it fills in); this module is the one place those strings are
written, wrapped for Flask-Babel, and the place category ids (areas, levels, recommendations,
industries, sizes, regions) get their display names in the current language.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.questionnaire import QuestionnaireError, load_questionnaire
from survey.web.i18n import current_language
from survey.web.labels import (
    AREA_STATUS_NAMES,
    CREDIT_NAMES,
    EXPORT_NAMES,
    GAP_NAMES,
    PRIORITY_NAMES,
    REGION_NAMES,
    SIZE_NAMES,
    wave_name,
)


def labels() -> dict[str, Any]:
    """The strings of every chart in the current language (evaluated per request)."""
    return {
        "n": _("n = %(n)s"),
        "hidden": _("hidden (n<%(k)s)"),
        "hidden_short": _("hidden<br>(n<%(k)s)"),
        "hidden_chart": _("Fewer than %(k)s SMEs: hidden to protect respondents."),
        "empty": _("No assessments match these filters."),
        "empty_credit": _("No assessment in this selection has a credit-constraint class "
                          "(questionnaire 2027.1 or later)."),
        "low_precision": _("low precision"),
        "note_low_precision": _("Hatched, lighter or marked *: low precision (n < 30)."),
        # "95%%" and `% {}`: Babel reads "% i" in "95% interval" as a format spec and then
        # refuses any translation without one, so the percent sign is escaped and unescaped.
        "note_intervals": _("Error bars and ranges are 95%% intervals (Wilson for shares, "
                            "Student's t for means: mean ± t(0.975, n − 1)·sd/√n).") % {},
        "note_both_cap_env": _("Counts, their totals and each panel's n are of the SMEs with "
                               "both a capability and an environment score; the means above "
                               "a panel are over every SME with that score."),
        "note_both_levels": _("Counts and the All row and column are of the SMEs with both "
                              "levels only."),
        "note_hidden": _("Groups under %(k)s SMEs are hidden, and more where a total would "
                         "let them be worked out: hidden groups together always number at "
                         "least %(k)s."),
        "note_breaks": _("Dashed lines: the questionnaire changed; compare across them with "
                         "care."),
        "all": _("All"),
        "not_stated": _("Not stated"),
        "no_wave": _("No wave"),
        "break": _("Questionnaire %(versions)s"),
        "axis.share": _("Share of SMEs"),
        "axis.score": _("Mean score (0–100)"),
        "axis.band": _("Score band"),
        "axis.count": _("Number of SMEs"),
        "axis.capability": _("Capability (the firm's own)"),
        "axis.environment": _("Environment (support around the firm)"),
        "axis.industry": _("Industry"),
        "axis.size": _("Size"),
        "axis.region": _("Region"),
        "axis.month": _("Month"),
        "axis.wave": _("Survey wave"),
        "axis.segment": _("Segment"),
        "title.distribution": _("Distribution of scores by area"),
        "title.levels": _("Readiness: share of SMEs at or above each level"),
        "title.industry_size": _("Mean overall readiness by industry and size"),
        "title.region": _("Mean readiness by region"),
        "title.demand": _("Recommendation demand: priority of the gaps linked to each"),
        "title.demand_segments": _("SMEs with a high-priority gap, by segment"),
        "title.readiness_environment": _("Capability against environment, by area"),
        "title.credit_constraint": _("Access to finance: credit-constraint classes"),
        "title.crosstab": _("Digital-technology level against financing level"),
        "title.trend_months": _("Mean readiness by month"),
        "title.trend_waves": _("Mean readiness by survey wave"),
        "summary.distribution": _("Mean scores: %(items)s."),
        "summary.levels": _("Share of SMEs at or above Developing: %(items)s."),
        "summary.grid": _("Highest mean readiness: %(top)s; lowest: %(bottom)s; %(hidden)s "
                          "of %(cells)s cells hidden."),
        "summary.region": _("Mean overall readiness by region: %(items)s."),
        "summary.demand": _("SMEs with a high-priority gap: %(items)s."),
        "summary.demand_segments": _("Largest share with a high-priority gap: %(top)s."),
        "summary.readiness_environment": _("%(n)s SMEs with both capability and environment "
                                           "scored; most common combination: %(top)s."),
        "summary.cap_env": _("Mean capability and environment: %(items)s."),
        "panel.cap_env": _("capability %(cap)s · environment %(env)s"),
        "summary.credit_constraint": _("Among %(n)s SMEs with a class: %(items)s."),
        "note_applies": _("%(area)s: only the %(n)s SMEs to which this area applies are "
                          "counted; it does not apply to %(na)s."),
        "note_rec_applies": _("%(rec)s: it applies to %(n)s SMEs and not to %(na)s; high, "
                              "medium and low shares are among those whose priority is known, "
                              "the unknown share among all %(n)s."),
        "note_metric_hidden": _("%(name)s: fewer than %(k)s SMEs are behind this number, so "
                                "it is hidden."),
        "note_credit": _("Classes as in the World Bank Enterprise Surveys, from the answers on "
                         "loan applications, their outcome and the reasons for not applying. "
                         "Only assessments made with questionnaire 2027.1 or later have a "
                         "class: %(none)s SMEs in this selection have none and are not "
                         "counted."),
        "summary.crosstab": _("%(n)s SMEs with both levels; most common combination: %(top)s."),
        "summary.trend": _("%(periods)s; latest shown: %(latest)s; %(breaks)s."),
        "one_period.wave": _("A trend needs at least two survey waves; this selection has "
                             "one: %(latest)s."),
        "one_period.month": _("A trend needs at least two months; this selection has one: "
                              "%(latest)s."),
        "plural.periods": lambda n: ngettext("%(num)s period", "%(num)s periods", n),
        "plural.breaks": lambda n: _("no questionnaire change") if n == 0 else ngettext(
            "%(num)s questionnaire change", "%(num)s questionnaire changes", n),
        "none": _("none"),
        "col.n": _("n"),
        "col.count": _("Count"),
        "col.share": _("Share"),
        "col.mean": _("Mean"),
        "col.ci_low": _("95%% interval from") % {},
        "col.ci_high": _("95%% interval to") % {},
        "col.low_precision": _("Low precision"),
        "col.suppressed": _("Hidden"),
        "col.versions": _("Questionnaire versions"),
        "col.bin_low": _("Band from"),
        "col.bin_high": _("Band to"),
        "col.at_or_above": _("At or above level"),
        "col.area": _("Area"),
        "col.metric": _("Score"),
        "col.priority": _("Priority"),
        "col.recommendation": _("Recommendation"),
        "col.credit_class": _("Credit-constraint class"),
        "col.dimension": _("Segment type"),
        "col.period": _("Period"),
        "dimension.industry": _("Industry"),
        "dimension.size": _("Size"),
        "dimension.region": _("Region"),
    }


def names(waves: list[tuple[int, str]] | None = None) -> dict[str, str]:
    """Display names of category ids, keyed "namespace:id" (area, level, rec, industry, size,
    region, export, priority, credit, gap, area_status, wave). Questionnaire texts come from
    the data in the page's language; ids without a name show as themselves."""
    lang = current_language()
    out: dict[str, str] = {"metric:overall": _("Overall")}
    out.update({f"size:{k}": str(SIZE_NAMES[k]) for k in SIZE_CLASSES})
    out.update({f"region:{k}": str(REGION_NAMES[k]) for k in REGIONS})
    out.update({f"export:{k}": str(v) for k, v in EXPORT_NAMES.items()})
    out.update({f"priority:{k}": str(v) for k, v in PRIORITY_NAMES.items()})
    out.update({f"credit:{k}": str(v) for k, v in CREDIT_NAMES.items()})
    out.update({f"gap:{k}": str(v) for k, v in GAP_NAMES.items()})
    out.update({f"area_status:{k}": str(v) for k, v in AREA_STATUS_NAMES.items()})
    out.update({f"wave:{i}": wave_name(name) for i, name in waves or []})
    out.update({"dimension:industry": _("Industry"), "dimension:size": _("Size"),
                "dimension:region": _("Region")})
    try:
        q = load_questionnaire()
    except QuestionnaireError:
        return out
    for area in q.areas:
        out[f"area:{area.id}"] = out[f"metric:{area.id}"] = area.title.get(lang)
    for level in q.levels:
        out[f"level:{level.id}"] = level.title.get(lang)
    for rec in q.recommendations:
        out[f"rec:{rec.id}"] = rec.title.get(lang)
    if "industry" in q.questions:
        for option in q.question("industry").options:
            out[f"industry:{option.value}"] = option.label.get(lang)
    return out
