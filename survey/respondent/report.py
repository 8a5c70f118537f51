"""The SME's personal report (its downloads and deletion are in `own_data`).

The report shows the assessment *as scored when submitted* (the stored result), with texts from
the questionnaire version the SME answered, so it can always be reproduced. The peer comparison
is computed when the page is shown, from real assessments of the same method only.

It is built around action: the first screen holds the level, one sentence on what the scores
mean for this firm and the first actions (`survey.core.advice` decides which, from the stored
result); then the areas with the peer median on each bar; then the recommendations, the most
needed open with the next steps the firm's answers call for, each saying why, the rest closed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Response as FlaskResponse
from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.core.advice import ReportPlan, plan
from survey.core.charts.palette import METRIC_COLOURS
from survey.core.charts.report_svg import Bar, area_chart
from survey.core.questionnaire import Questionnaire, load_questionnaire
from survey.core.questionnaire.schema import LEGACY_METHOD
from survey.core.scoring import RecommendationResult, ScoredAssessment, assessment_from_json
from survey.models import Response
from survey.queries.peers import benchmark_for
from survey.respondent import bp, dead_ends
from survey.respondent.because import Because
from survey.respondent.because import because as _because
from survey.respondent.forms import ActionForm, contact_form
from survey.respondent.links import qr_image
from survey.respondent.matching import programme_views, progress_rows
from survey.services import responses as services
from survey.web import i18n
from survey.web.security import no_store

# Question scores at or below this are "answers that point here" for a recommendation with no
# next step: a middling answer (75, say) is not a reason to act, and showing it says so.
WEAK_ANSWER = 50.0


@dataclass(frozen=True)
class StepView:
    id: str
    title: str
    text: str
    because: list[Because]


@dataclass(frozen=True)
class RecView:
    result: RecommendationResult
    title: str  # what it offers the firm (the owner's headline)
    policy: str  # the AmCham recommendation it answers
    meaning: str
    steps: list[StepView]
    weak_answers: list[Because]  # for a recommendation with no next step: what points here


@dataclass(frozen=True)
class ActionView:
    step: StepView
    recommendation: str
    recommendation_title: str


@dataclass(frozen=True)
class AreaView:
    id: str
    title: str
    colour: str
    status: str
    score: float | None
    level: str | None
    capability: float | None
    environment: float | None
    gap_split: str | None
    reading: str
    median: float | None


def submitted(token: str) -> tuple[Response, Questionnaire, ScoredAssessment]:
    response = services.find_response(token)
    if response is None or response.status != "submitted" or response.assessment is None:
        abort(dead_ends.unknown_link("report"))
    q = load_questionnaire(response.questionnaire_version)
    return response, q, assessment_from_json(response.assessment.result)


def private(resp: WerkzeugResponse) -> WerkzeugResponse:
    resp = no_store(resp)
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


def is_legacy(a: ScoredAssessment) -> bool:
    """Scored by method 2026.1: readiness over internal questions, no status or next steps."""
    return a.method_version == LEGACY_METHOD


def _dedupe(steps: list[StepView]) -> list[StepView]:
    """Each answer named once per recommendation: a later step that the same answer called for
    says so without repeating the question."""
    seen: set[Because] = set()
    out = []
    for step in steps:
        out.append(StepView(step.id, step.title, step.text,
                            [b for b in step.because if b not in seen]))
        seen.update(step.because)
    return out


def split_sentence(split: str | None) -> str | None:
    """Where what holds an area back lies, in words an owner uses."""
    return {
        "mostly_external": _("What holds it back is mostly outside your firm: the finance, "
                             "services and support available locally."),
        "mostly_internal": _("What holds it back is mostly inside your firm: how it works and "
                             "what its people can do."),
        "mixed": _("What holds it back is both inside your firm and in the conditions around "
                   "it."),
    }.get(split or "")


def _recommendations(q: Questionnaire, a: ScoredAssessment, answers: dict[str, Any],
                     lang: str) -> dict[str, RecView]:
    out = {}
    for r in a.recommendations:
        rec = q.recommendation(r.id)
        known = {step.id: step for step in rec.steps}
        if is_legacy(a):
            # 2026.1 steps have no condition: all of them, for a recommendation that needs it.
            steps = [StepView(s.id, s.text.get(lang), s.text.get(lang), []) for s in rec.steps
                     ] if r.priority in ("high", "medium") else []
        else:
            steps = [StepView(shown.id, (known[shown.id].title or known[shown.id].text).get(lang),
                              known[shown.id].text.get(lang),
                              _because(q, shown.because, answers, lang, known[shown.id].when))
                     for shown in r.next_steps if shown.id in known]
        weak = tuple(qid for qid in r.drivers
                     if (a.question_scores.get(qid) or 0.0) <= WEAK_ANSWER
                     and a.question_scores.get(qid) is not None)
        meaning = (rec.meaning or rec.description).get(lang)
        out[r.id] = RecView(r, (rec.headline or rec.title).get(lang), rec.title.get(lang),
                            meaning, _dedupe(steps),
                            [] if steps else _because(q, weak, answers, lang))
    return out


def _areas(q: Questionnaire, a: ScoredAssessment, benchmark: dict[str, Any] | None,
           lang: str) -> list[AreaView]:
    medians = (benchmark or {}).get("medians", {})
    out = []
    for area in q.areas:
        r = a.areas[area.id]
        reading = area.readings[r.level].get(lang) if r.level else ""
        out.append(AreaView(area.id, area.title.get(lang), METRIC_COLOURS[area.id], r.status,
                            r.score, r.level, r.capability, r.environment, r.gap_split,
                            reading, medians.get(area.id)))
    return out


# The answers the credit-constraint class rests on, shown under it so the firm reads its own
# situation, not only the rule that classed it.
CREDIT_FACTS: tuple[str, ...] = ("fin_loan_outcome", "fin_no_apply_reason",
                                 "fin_collateral_burden")


def _floor_or(value: float | None, missing: str) -> str | int:
    return missing if value is None else math.floor(value)


def _group_name(benchmark: dict[str, Any] | None) -> str | None:
    """The peer group with its size, as the sentence under the chart names it."""
    if not benchmark:
        return None
    n = int(benchmark["n"])
    if benchmark["group"] == "industry_size":
        return str(_("%(n)s firms of your industry and size", n=n))
    if benchmark["group"] == "industry":
        return str(_("%(n)s firms in your industry", n=n))
    return str(_("all %(n)s firms that took the check (too few of your industry and size yet)",
                 n=n))


def _median_label(benchmark: dict[str, Any] | None) -> str:
    if benchmark and benchmark["group"] == "all":
        return str(_("Typical firm"))
    return str(_("Typical similar firm"))


def _chart(areas: list[AreaView], a: ScoredAssessment, benchmark: dict[str, Any] | None,
           lang: str) -> Markup:
    legacy = is_legacy(a)
    missing = _("not enough answers") if legacy else _("not assessed")
    shown = [v for v in areas if v.status != "not_applicable"]
    bars = [Bar(v.title, v.score, v.environment, area=v.id, median=v.median) for v in shown]
    sep = "；" if lang == "zh" else "; "
    parts = []
    for b in bars:
        part = _("%(area)s: score %(score)s, environment %(env)s", area=b.label,
                 score=_floor_or(b.score, missing), env=_floor_or(b.environment, missing))
        if b.median is not None:
            part += sep + _("%(label)s: %(median)s", label=_median_label(benchmark),
                            median=math.floor(b.median))
        parts.append(part)
    has_medians = any(b.median is not None for b in bars)
    svg = area_chart(
        bars,
        title=_("Readiness and environment by area (0–100)") if legacy
        else _("Score and environment by area (0–100)"),
        description=sep.join(parts),
        score_label=_("Your readiness") if legacy else _("Your score"),
        environment_label=_("Outside your firm"),
        no_data_label=missing,
        median_label=_median_label(benchmark) if has_medians else None,
    )
    return Markup(svg)


def summary_sentences(a: ScoredAssessment, report_plan: ReportPlan, titles: dict[str, str],
                      medians: dict[str, float | None]) -> list[str]:
    """What the scores mean for this firm, in two or three sentences, from the stored result:
    the weakest area (beside the typical similar firm where there is one), the best one, and
    where what holds the weakest back lies."""
    s = report_plan.summary
    if s.kind == "not_assessed":
        return [_("We could not assess your firm: most answers were “don’t know”. Take the "
                  "check again with a colleague who knows the finances and the systems.")]
    assert s.weakest is not None
    score = math.floor(a.areas[s.weakest].score or 0)
    median = medians.get(s.weakest)
    if s.kind == "one_area":
        out = [_("Only %(area)s could be assessed: %(score)s of 100.", area=titles[s.weakest],
                 score=score)]
    elif s.kind == "even":
        out = [_("Your areas are at a similar level. The lowest is %(area)s, at %(score)s of "
                 "100.", area=titles[s.weakest], score=score)]
    elif median is not None:
        out = [_("Your weakest area is %(area)s: %(score)s of 100, where similar firms "
                 "typically score %(median)s.", area=titles[s.weakest], score=score,
                 median=math.floor(median))]
    else:
        out = [_("Your weakest area is %(area)s: %(score)s of 100.", area=titles[s.weakest],
                 score=score)]
    if s.kind == "uneven" and s.strongest is not None:
        best = math.floor(a.areas[s.strongest].score or 0)
        best_median = medians.get(s.strongest)
        if best_median is not None and best < math.floor(best_median):
            out.append(_("Your best area is %(area)s (%(score)s), though still below similar "
                         "firms (%(median)s).", area=titles[s.strongest], score=best,
                         median=math.floor(best_median)))
        else:
            out.append(_("Your strongest is %(area)s (%(score)s).", area=titles[s.strongest],
                         score=best))
    split = split_sentence(s.weakest_split)
    if split:
        out.append(split)
    return [str(x) for x in out]


def _mail_link(link: str) -> str:
    subject = _("My digital readiness report")
    body = _("My digital readiness report (a private link — share it only with people you "
             "trust): %(link)s", link=link)
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def report_html(token: str, *, for_pdf: bool = False) -> str:
    """The report page as HTML; the PDF renders the same page with the print stylesheet."""
    response, q, a = submitted(token)
    i18n.default_to(response.language)
    lang = i18n.current_language()
    link = url_for("respondent.report", token=token, _external=True)
    benchmark = benchmark_for(response.assessment) if response.assessment else None
    report_plan = plan(a)
    recs = _recommendations(q, a, response.answers or {}, lang)
    areas = _areas(q, a, benchmark, lang)
    titles = {area.id: area.title for area in areas}
    actions = [ActionView(step, act.recommendation, recs[act.recommendation].title)
               for act in report_plan.actions
               for step in recs[act.recommendation].steps if step.id == act.step]
    order = [*report_plan.focus, *report_plan.others]
    programmes = programme_views(response, q, a, lang, order, record=not for_pdf)
    return render_template(
        "respondent/report.html", q=q, a=a, response=response, token=token,
        report_link=link, qr=qr_image(link), mail_link=_mail_link(link), legacy=is_legacy(a),
        areas=areas, chart=_chart(areas, a, benchmark, lang), plan=report_plan,
        summary=summary_sentences(a, report_plan, titles,
                                  {v.id: v.median for v in areas}),
        split_sentence=split_sentence, actions=actions,
        credit_facts=_because(q, CREDIT_FACTS, response.answers or {}, lang),
        focus=[recs[rid] for rid in report_plan.focus],
        others=[recs[rid] for rid in report_plan.others],
        benchmark=benchmark, group_name=_group_name(benchmark),
        form=ActionForm(), for_pdf=for_pdf, programmes=programmes, contact_form=contact_form,
        progress=progress_rows(response, a, titles),
        min_peers=current_app.config.get("BENCHMARK_MIN_PEERS", 20),
    )


@bp.get("/report/<token>")
def report(token: str) -> WerkzeugResponse:
    return private(FlaskResponse(report_html(token)))
