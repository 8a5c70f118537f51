"""The programme directory for staff: the list with each programme's numbers (analysts and
admins), editing and the CSV (admins edit; every change audited), and the directory as CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from survey import queries as dashboard_queries
from survey.core.conditions import ConditionError
from survey.core.methodology.condition_words import in_words
from survey.core.programme_data import ProgrammeData, ProgrammeDataError
from survey.core.programme_stats import programme_numbers
from survey.core.programmes import parse_eligibility
from survey.core.questionnaire import load_questionnaire
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS
from survey.extensions import db
from survey.models import Programme
from survey.queries import programmes as queries
from survey.services import programmes as services
from survey.staff import bp
from survey.staff.dashboard import request_filters
from survey.staff.forms import ProgrammeForm
from survey.web import labels
from survey.web.auth import role_required
from survey.web.i18n import current_language


def _choices(form: ProgrammeForm) -> None:
    q = load_questionnaire()
    lang = current_language()
    form.recommendations.choices = [(r, q.recommendation(r).title.get(lang))
                                    for r in RECOMMENDATIONS]
    form.areas.choices = [(a.id, a.title.get(lang)) for a in q.areas if a.id in AREAS]


def _eligibility_words(p: Programme) -> str:
    """Who the programme is for, written out as the methodology writes conditions."""
    try:
        condition = parse_eligibility(p.eligibility)
    except ConditionError:
        return str(_("The condition no longer fits the questionnaire: it is shown to nobody."))
    if condition is None:
        return str(_("Every firm"))
    return in_words(load_questionnaire(), condition, "zh" if current_language() == "zh"
                    else "en")


@bp.get("/programmes")
@role_required("admin", "analyst")
def programmes() -> str:
    waves = dashboard_queries.wave_choices()
    checked, industries, min_group = request_filters([i for i, _w in waves])
    counts = queries.programme_counts(checked.filters)
    guard = queries.programme_guard(checked.filters, min_group)
    rows = [(p, programme_numbers(counts.get(p.id), min_group,
                                  guard.hides(queries.programme_cell(p.id))),
             _eligibility_words(p))
            for p in queries.directory()]
    return render_template(
        "staff/programmes.html", rows=rows, min_group=min_group, filters=checked.filters,
        waves=waves, industries=industries, labels={"industry": labels.industry_labels()},
        filter_action=url_for("staff.programmes"), filter_messages=checked.messages,
        staff_section="programmes")


def _row(form: ProgrammeForm) -> dict[str, Any]:
    return {**{name: field.data for name, field in form._fields.items()
               if name not in ("csrf_token",)},
            "active": bool(form.active.data)}


def _edit(programme: Programme | None) -> BaseResponse | tuple[str, int]:
    form = ProgrammeForm(obj=programme)
    _choices(form)
    if request.method == "GET" and programme is not None:
        form.eligibility.data = queries.as_data(programme).to_row()["eligibility"]
    if form.validate_on_submit():
        try:
            data = ProgrammeData.from_row(_row(form), load_questionnaire())
            saved = services.save_programme(data, current_user,
                                            programme.id if programme else None)
        except (ProgrammeDataError, services.ProgrammeError) as exc:
            db.session.rollback()
            form.form_errors.append(str(_("The programme was not saved: %(reason)s",
                                          reason=str(exc))))
        else:
            flash(_("Programme “%(code)s” saved.", code=saved.code), "info")
            return redirect(url_for("staff.programmes"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/programme_form.html", form=form, programme=programme,
                           staff_section="programmes"), status


@bp.route("/programmes/new", methods=["GET", "POST"])
@role_required("admin")
def programme_new() -> BaseResponse | tuple[str, int]:
    return _edit(None)


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@role_required("admin")
def programme_edit(programme_id: int) -> BaseResponse | tuple[str, int]:
    return _edit(db.get_or_404(Programme, programme_id))


@bp.get("/programmes.csv")
@role_required("admin", "analyst")
def programmes_csv() -> Response:
    resp = Response("\ufeff" + queries.directory_csv(), mimetype="text/csv")
    resp.headers["Content-Disposition"] = 'attachment; filename="programmes.csv"'
    return resp
