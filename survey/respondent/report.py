"""The SME's personal report, its downloads and the delete button.

The report shows the assessment *as scored when submitted* (the stored result), with texts from
the questionnaire version the SME answered, so it can always be reproduced. The peer comparison
is computed when the page is shown, from real assessments only.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from flask import Response as FlaskResponse
from flask import abort, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.core.charts.report_svg import Bar, area_chart
from survey.core.questionnaire import Question, Questionnaire, load_questionnaire
from survey.core.questionnaire.schema import LEGACY_METHOD, Recommendation
from survey.core.scoring import RecommendationResult, ScoredAssessment, assessment_from_json
from survey.models import Response
from survey.queries.peers import benchmark_for
from survey.respondent import bp
from survey.respondent.forms import ActionForm
from survey.respondent.links import qr_svg
from survey.respondent.views import SESSION_KEY
from survey.services import responses as services
from survey.web.security import no_store


@dataclass(frozen=True)
class Driver:
    question_id: str
    text: str
    answer: Any
    internal: bool


@dataclass(frozen=True)
class Because:
    """An answer that called for a next step: the question and the answer as the firm read
    them."""

    question: str
    answer: str


@dataclass(frozen=True)
class StepView:
    text: str
    because: list[Because]


@dataclass(frozen=True)
class RecView:
    result: RecommendationResult
    title: str
    description: str
    next_steps: list[str]  # method 2026.1: every step of the recommendation, as texts
    drivers: list[Driver]
    steps: list[StepView]  # method 2027.1: the steps the firm's answers call for


def _submitted(token: str) -> tuple[Response, Questionnaire, ScoredAssessment]:
    response = services.find_response(token)
    if response is None or response.status != "submitted" or response.assessment is None:
        abort(404)
    q = load_questionnaire(response.questionnaire_version)
    return response, q, assessment_from_json(response.assessment.result)


def _private(resp: WerkzeugResponse) -> WerkzeugResponse:
    resp = no_store(resp)
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


def is_legacy(a: ScoredAssessment) -> bool:
    """Scored by method 2026.1: readiness over internal questions, no status or next steps."""
    return a.method_version == LEGACY_METHOD


def _floor_or(value: float | None, missing: str) -> str | int:
    return missing if value is None else math.floor(value)


def _chart(q: Questionnaire, a: ScoredAssessment, lang: str) -> Markup:
    legacy = is_legacy(a)
    missing = _("not enough answers") if legacy else _("not assessed")
    areas = [area for area in q.areas if a.areas[area.id].status != "not_applicable"]
    bars = [Bar(area.title.get(lang), a.areas[area.id].score, a.areas[area.id].environment)
            for area in areas]
    if legacy:
        parts = [_("%(area)s: readiness %(score)s, environment %(env)s", area=b.label,
                   score=_floor_or(b.score, missing), env=_floor_or(b.environment, missing))
                 for b in bars]
    else:
        parts = [_("%(area)s: score %(score)s, environment %(env)s", area=b.label,
                   score=_floor_or(b.score, missing), env=_floor_or(b.environment, missing))
                 for b in bars]
    svg = area_chart(
        bars,
        title=_("Readiness and environment by area (0–100)") if legacy
        else _("Score and environment by area (0–100)"),
        description=("；" if lang == "zh" else "; ").join(parts),
        score_label=_("Your readiness") if legacy else _("Your score"),
        environment_label=_("Your environment"),
        no_data_label=missing,
    )
    return Markup(svg)


def answer_label(question: Question, value: Any, lang: str) -> str:
    """An answer as the respondent read it: option labels, or the number or text typed."""
    values = value if isinstance(value, list) else [value]
    labels = []
    for v in values:
        option = question.option(str(v)) if question.options else None
        labels.append(option.label.get(lang) if option else
                      (f"{v:g}" if isinstance(v, float) else str(v)))
    return "; ".join(labels)


def _steps(q: Questionnaire, rec: Recommendation, result: RecommendationResult,
           answers: dict[str, Any], lang: str) -> list[StepView]:
    steps = {step.id: step for step in rec.steps}
    out = []
    for shown in result.next_steps:
        step = steps.get(shown.id)
        if step is None:
            continue  # a step no longer in the questionnaire's data: nothing to say
        out.append(StepView(step.text.get(lang), [
            Because(q.question(qid).text.get(lang),
                    answer_label(q.question(qid), answers[qid], lang))
            for qid in shown.because if qid in q.questions and answers.get(qid) is not None]))
    return out


def _recommendations(q: Questionnaire, a: ScoredAssessment, answers: dict[str, Any],
                     lang: str) -> list[RecView]:
    out = []
    for r in a.recommendations:
        rec = q.recommendation(r.id)
        drivers = [
            Driver(qid, q.question(qid).text.get(lang), answers.get(qid),
                   q.question(qid).root_cause == "internal")
            for qid in r.drivers if qid in q.questions
        ]
        out.append(RecView(r, rec.title.get(lang), rec.description.get(lang),
                           [s.get(lang) for s in rec.next_steps], drivers,
                           [] if is_legacy(a) else _steps(q, rec, r, answers, lang)))
    return out


def report_html(token: str, *, for_pdf: bool = False) -> str:
    """The report page's HTML, the one source of the page and of its PDF (`for_pdf` lets the
    template leave out what only works on screen). Aborts with 404 for a token that is not a
    submitted response."""
    from survey.web import i18n

    response, q, a = _submitted(token)
    i18n.default_to(response.language)
    lang = i18n.current_language()
    link = url_for("respondent.report", token=token, _external=True)
    return render_template(
        "respondent/report.html", q=q, a=a, response=response, token=token,
        report_link=link, qr=qr_svg(link), legacy=is_legacy(a),
        chart=_chart(q, a, lang), recs=_recommendations(q, a, response.answers or {}, lang),
        benchmark=benchmark_for(response.assessment) if response.assessment else None,
        form=ActionForm(),
        min_peers=current_app.config.get("BENCHMARK_MIN_PEERS", 20),
        for_pdf=for_pdf,
    )


@bp.get("/report/<token>")
def report(token: str) -> WerkzeugResponse:
    return _private(FlaskResponse(report_html(token)))


def _labelled(q: Questionnaire, answers: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(question id, question text, answer as the respondent saw it) in questionnaire order."""
    return [(question.id, question.text.get(lang), answer_label(question, answers[question.id],
                                                                 lang))
            for question in q.questions.values() if answers.get(question.id) is not None]


def own_data(response: Response, q: Questionnaire) -> dict[str, Any]:
    """Everything stored about one response, for its owner (the token is theirs already).

    Codes for machines and, beside them, the questions and answers as the respondent read them.
    """
    assert response.assessment is not None
    lang = response.language if response.language in ("en", "zh") else "en"
    return {
        "questionnaire_version": response.questionnaire_version,
        "language": response.language,
        "consent_version": response.consent_version,
        "started_at": response.created_at.isoformat(timespec="seconds") + "Z",
        "submitted_at": response.submitted_at.isoformat(timespec="seconds") + "Z"
        if response.submitted_at else None,
        "answers": response.answers,
        "answers_as_read": [{"question_id": qid, "question": text, "answer": label}
                            for qid, text, label in _labelled(q, response.answers or {}, lang)],
        "assessment": response.assessment.result,
    }


@bp.get("/report/<token>/my-data.json")
def download_json(token: str) -> WerkzeugResponse:
    response, q, _a = _submitted(token)
    body = json.dumps(own_data(response, q), ensure_ascii=False, indent=2)
    resp = FlaskResponse(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = 'attachment; filename="my-readiness-assessment.json"'
    return _private(resp)


@bp.get("/report/<token>/my-data.csv")
def download_csv(token: str) -> WerkzeugResponse:
    """Columns field, value, question, answer: codes and the words the respondent read —
    opens cleanly in Excel (UTF-8 BOM), formula-looking text neutralised."""
    from survey.core.spreadsheet import safe_cell

    response, q, a = _submitted(token)
    lang = response.language if response.language in ("en", "zh") else "en"
    answers = response.answers or {}
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(["field", "value", "question", "answer"])
    for qid, text, label in _labelled(q, answers, lang):
        value = answers[qid]
        w.writerow([qid, safe_cell(";".join(value) if isinstance(value, list) else value),
                    safe_cell(text), safe_cell(label)])
    w.writerow(["overall_score", a.overall_score, "", ""])
    w.writerow(["overall_level", a.overall_level, "", ""])
    for area in a.areas.values():
        w.writerow([f"{area.id}_score", area.score, "", ""])
        w.writerow([f"{area.id}_level", area.level, "", ""])
        w.writerow([f"{area.id}_environment", area.environment, "", ""])
        if not is_legacy(a):
            w.writerow([f"{area.id}_capability", area.capability, "", ""])
            w.writerow([f"{area.id}_status", area.status, "", ""])
            w.writerow([f"{area.id}_gap_split", area.gap_split, "", ""])
    for key, value in a.indicators.items():
        w.writerow([key, value, "", ""])
    for r in a.recommendations:
        w.writerow([f"need_{r.id}", r.need, "", ""])
        w.writerow([f"priority_{r.id}", r.priority, "", ""])
    resp = FlaskResponse(buf.getvalue(), mimetype="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = 'attachment; filename="my-readiness-assessment.csv"'
    return _private(resp)


@bp.route("/report/<token>/delete", methods=["GET", "POST"])
def delete(token: str) -> WerkzeugResponse:
    response, _q, _a = _submitted(token)
    form = ActionForm()
    if form.validate_on_submit():
        services.delete_response(token)
        session.pop(SESSION_KEY, None)
        return redirect(url_for("respondent.deleted"))
    html = render_template("respondent/delete.html", token=token, form=form)
    return _private(FlaskResponse(html, status=400 if form.is_submitted() else 200))


@bp.get("/deleted")
def deleted() -> str:
    return render_template("respondent/deleted.html")
