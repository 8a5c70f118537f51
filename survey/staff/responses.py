"""Responses: the filtered, sorted, paged list and one assessment as its respondent saw it.

Staff address a response by its internal id only; the respondent's token is never read into
a page, a link or a log line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_babel
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import defer, joinedload
from werkzeug.wrappers import Response as BaseResponse

from survey.core.answers import AnswerValue
from survey.core.questionnaire import (
    Question,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
)
from survey.core.rounding import half_up_int
from survey.extensions import db
from survey.models import Assessment, Wave
from survey.queries.filters import CURRENT_EXPORT_STATUSES, LEGACY_EXPORT_STATUSES, Filters
from survey.services import staff
from survey.staff import bp
from survey.staff.forms import ConfirmForm
from survey.web import filters as filtering
from survey.web import labels as code_words
from survey.web.auth import role_required
from survey.web.templating import t

# flask_babel ships no types; its message functions return str.
_: Callable[..., str] = flask_babel.gettext

PAGE_SIZE = 50
A = Assessment
SORTS: dict[str, Any] = {
    "submitted": A.submitted_at,
    "overall": A.overall_score,
    "financing": A.financing_score,
    "digital_technology": A.digital_technology_score,
    "overseas_markets": A.overseas_markets_score,
    "industry": A.industry,
    "size": A.size_class,
    "region": A.region,
    "province": A.province,
    "export": A.export_status,
    "id": A.response_id,
}


def questionnaire_for(version: str | None = None) -> Questionnaire:
    """The version an assessment was made with, or the current one if that file is gone."""
    if version:
        try:
            return load_questionnaire(version)
        except (QuestionnaireError, FileNotFoundError, KeyError, ValueError):
            pass
    return load_questionnaire()


def sort_order(raw: str | None) -> tuple[str, bool]:
    """`sort=overall` ascending, `sort=-overall` descending; newest first by default."""
    raw = (raw or "-submitted").strip()
    desc = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in SORTS:
        return "submitted", True
    return key, desc


def _list_query(filters: Filters, key: str, desc: bool) -> Select[Any]:
    column = SORTS[key]
    ordered = column.desc().nulls_last() if desc else column.asc().nulls_last()
    tiebreak = A.id.desc() if desc else A.id.asc()
    stmt = (select(A).options(defer(A.result), joinedload(A.wave))
            .order_by(ordered, tiebreak))
    return filters.apply(stmt)


@bp.get("/responses")
@role_required("admin", "analyst")
def responses() -> str:
    waves = db.session.execute(select(Wave.id, Wave.name).order_by(Wave.starts_on.desc())).all()
    checked = filtering.request_filters([w.id for w in waves])
    filters = checked.filters
    key, desc = sort_order(request.args.get("sort"))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 1_000_000))
    pagination = db.paginate(_list_query(filters, key, desc), page=page, per_page=PAGE_SIZE,
                             max_per_page=PAGE_SIZE, error_out=False, count=True)
    q = load_questionnaire()
    labels = {qid: code_words.option_labels(q, qid)
              for qid in ("industry", "province", "export_status", "employees")}
    return render_template(
        "staff/responses.html", pagination=pagination, filters=filters, sort=key, desc=desc,
        current_sort=("-" if desc else "") + key, sort_choices=sort_choices(), labels=labels,
        waves=waves, industries=code_words.industry_codes(q), staff_section="responses",
        filter_action=url_for("staff.responses"), filter_messages=checked.messages,
    )


def sort_choices() -> list[tuple[str, str]]:
    return [
        ("-submitted", _("Newest first")), ("submitted", _("Oldest first")),
        ("-overall", _("Overall score, highest first")),
        ("overall", _("Overall score, lowest first")),
        ("-financing", _("Financing score, highest first")),
        ("-digital_technology", _("Digital technology score, highest first")),
        ("-overseas_markets", _("Overseas markets score, highest first")),
        ("industry", _("Industry")), ("size", _("Size")), ("region", _("Region")),
        ("province", _("Province")), ("export", _("Export status")),
        ("id", _("Internal id")),
    ]


def _shown_answer(question: Question, value: AnswerValue | None) -> dict[str, Any]:
    """One answer ready to show: option labels for choices, the raw value otherwise."""
    if value is None:
        return {"kind": "none"}
    if question.type in ("single", "multi"):
        chosen = value if isinstance(value, list) else [value]
        out = []
        for v in chosen:
            opt = question.option(str(v))
            out.append(opt.label if opt is not None else str(v))
        return {"kind": "options", "values": out}
    if question.type == "number":
        return {"kind": "number", "value": value}
    return {"kind": "text", "value": str(value)}


def _assessment_or_404(response_id: int) -> Assessment:
    a = db.session.scalar(
        select(A).options(joinedload(A.response), joinedload(A.wave))
        .where(A.response_id == response_id))
    if a is None:
        abort(404)
    return a


def time_taken(a: Assessment) -> str:
    """The web respondent's time from first page to submission; "—" when not known.

    API submissions arrive whole and demo rows are generated, so their stored duration (none,
    or a made-up or zero one from before that rule) says nothing about a person's time.
    """
    seconds = a.duration_seconds
    if seconds is None or a.response.source != "web":
        return "—"
    if seconds < 60:
        return _("under 1 min")
    return _("%(m)s min", m=format_decimal(half_up_int(seconds / 60)))


@bp.get("/responses/<int:response_id>")
@role_required("admin", "analyst")
def response_detail(response_id: int) -> str:
    a = _assessment_or_404(response_id)
    q = questionnaire_for(a.questionnaire_version)
    answers: dict[str, Any] = a.response.answers or {}
    sections = [
        (section, [(question, _shown_answer(question, answers.get(question.id)))
                   for question in section.questions])
        for section in q.sections
    ]
    unknown = sorted(set(answers) - set(q.questions))
    levels = {lv.id: lv.title for lv in q.levels}
    recs = {r.id: r.title for r in q.recommendations}
    steps = {(r.id, step.id): step.text for r in q.recommendations for step in r.steps}
    return render_template(
        "staff/response_detail.html", a=a, q=q, sections=sections, result=a.result or {},
        unknown=unknown, staff_section="responses", time_taken=time_taken(a),
        level_title=lambda v: t(levels[v]) if v in levels else (v or "—"),
        rec_title=lambda v: t(recs[v]) if v in recs else (v or "—"),
        step_text=lambda rec, step: t(steps[(rec, step)]) if (rec, step) in steps else step,
    )


@bp.route("/responses/<int:response_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def response_delete(response_id: int) -> BaseResponse | str:
    a = _assessment_or_404(response_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        staff.delete_response(response_id, current_user)
        flash(_("Response #%(id)s deleted.", id=response_id), "info")
        return redirect(url_for("staff.responses"))
    return render_template("staff/response_delete.html", a=a, form=form,
                           staff_section="responses")


@bp.context_processor
def _label_helpers() -> dict[str, Any]:
    """`code_label('size', 'micro')` → "Micro", in the page's language; codes stay codes.
    `export_codes`: the export statuses the filter offers, and those only older rows carry."""
    return {"code_label": code_words.code_label, "code_labels": code_words.code_labels(),
            "export_codes": {"current": CURRENT_EXPORT_STATUSES,
                             "legacy": LEGACY_EXPORT_STATUSES}}
