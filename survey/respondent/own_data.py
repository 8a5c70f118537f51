"""What the SME may do with its own data from the report: download it (JSON, and CSV that opens
in Excel) or delete it for good. Codes for machines and, beside them, the questions and answers
as the respondent read them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Response as FlaskResponse
from flask import redirect, render_template, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.core.questionnaire import Questionnaire
from survey.models import Response
from survey.queries import programmes as programme_queries
from survey.respondent import bp
from survey.respondent.because import answer_label
from survey.respondent.forms import ActionForm
from survey.respondent.report import is_legacy, private, submitted
from survey.respondent.views import SESSION_KEY
from survey.services import responses as services


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
        "contact_requests": programme_queries.requests_of(response.id),
    }


@bp.get("/report/<token>/my-data.json")
def download_json(token: str) -> WerkzeugResponse:
    response, q, _a = submitted(token)
    body = json.dumps(own_data(response, q), ensure_ascii=False, indent=2)
    resp = FlaskResponse(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = 'attachment; filename="my-readiness-assessment.json"'
    return private(resp)


@bp.get("/report/<token>/my-data.csv")
def download_csv(token: str) -> WerkzeugResponse:
    """Columns field, value, question, answer: codes and the words the respondent read —
    opens cleanly in Excel (UTF-8 BOM), formula-looking text neutralised."""
    from survey.core.spreadsheet import safe_cell

    response, q, a = submitted(token)
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
    resp = FlaskResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = 'attachment; filename="my-readiness-assessment.csv"'
    return private(resp)


@bp.route("/report/<token>/delete", methods=["GET", "POST"])
def delete(token: str) -> WerkzeugResponse:
    response, _q, _a = submitted(token)
    form = ActionForm()
    if form.validate_on_submit():
        services.delete_response(token)
        session.pop(SESSION_KEY, None)
        return redirect(url_for("respondent.deleted"))
    html = render_template("respondent/delete.html", token=token, form=form)
    return private(FlaskResponse(html, status=400 if form.is_submitted() else 200))


@bp.get("/deleted")
def deleted() -> str:
    return render_template("respondent/deleted.html")
