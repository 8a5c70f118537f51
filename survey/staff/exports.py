"""Export views: the export page, the CSV, Excel, Stata and SPSS downloads and the codebook.

A CSV or Excel export above EXPORT_JOB_THRESHOLD rows becomes a background job
(`survey.staff.export_jobs`); smaller ones stream from the request as before.

The views only parse the request, check the opt-in, write the audit row and hand over to
`survey.queries.exports`, which builds and streams the rows. Downloads work by GET (a shareable link
with the filters) or by POST from the export page; free text needs the POST, an admin and a
ticked box, and is audited separately so it can be found in the log.
"""

from __future__ import annotations

import datetime as dt
import os

from flask import Response, abort, render_template, request, stream_with_context, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Wave
from survey.queries import exports, stat_files
from survey.queries.codebook import variable_texts
from survey.queries.export_columns import LabelsByLanguage, variables
from survey.queries.filters import Filters
from survey.services import staff
from survey.staff import bp, export_jobs
from survey.staff.forms import ExportForm
from survey.web.auth import role_required
from survey.web.filters import request_filters
from survey.web.i18n import current_language
from survey.web.labels import code_labels_by_language, industry_codes, option_labels

CSV_TYPE = "text/csv"  # Werkzeug adds "; charset=utf-8" to a text/ mimetype
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAT_TYPES = {"dta": "application/x-stata-dta", "sav": "application/x-spss-sav"}


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _stamp() -> str:
    return dt.date.today().isoformat()


def _free_text_requested() -> bool:
    """Only a POST from the export page can ask for free text, and only an admin may."""
    if request.method != "POST":
        return False
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = bool(form.include_free_text.data)
    if wanted and current_user.role != "admin":
        abort(403)
    return wanted


def _checked_filters() -> Filters | tuple[str, int]:
    """The filters, or a refusal page: an export never runs on a link it half understood."""
    checked = request_filters()
    if checked.filters.errors:
        return render_template("staff/export_refused.html", reason="filters",
                               filters=checked.filters, filter_messages=checked.messages,
                               staff_section="exports"), 400
    return checked.filters


def _labels() -> LabelsByLanguage:
    """Code labels in both languages, the waves among them."""
    waves = db.session.execute(select(Wave.id, Wave.name))
    return code_labels_by_language((w.id, w.name) for w in waves)


def _file_response(path: str, mimetype: str, name: str) -> BaseResponse:
    response = Response(exports.file_chunks(path), mimetype=mimetype,
                        headers={**_attachment(name),
                                 "Content-Length": str(os.path.getsize(path))})
    response.call_on_close(lambda: exports.remove_quietly(path))  # also when never read
    return response


def _too_many(n: int, limit: int, kind: str, filters: Filters) -> tuple[str, int]:
    return render_template("staff/export_refused.html", reason="too_many", n=n, limit=limit,
                           kind=kind, filters=filters, staff_section="exports"), 422


def _audit_export(kind: str, filters: Filters, n: int, free_text: bool) -> None:
    details = {"format": kind, "rows": n, "filters": filters.to_args(), "free_text": free_text}
    staff.record(current_user, f"export.{kind}", None, details)
    if free_text:
        staff.record(current_user, "export.free_text_opt_in", None, details)


@bp.get("/exports", endpoint="exports")
@role_required("admin", "analyst")
def exports_page() -> str:
    waves = db.session.execute(select(Wave.id, Wave.name).order_by(Wave.starts_on.desc())).all()
    checked = request_filters([w.id for w in waves])
    filters = checked.filters
    q_labels = {"industry": option_labels(load_questionnaire(), "industry")}
    return render_template(
        "staff/exports.html", filters=filters, n=exports.count(filters), form=ExportForm(),
        filter_messages=checked.messages,
        excel_max=exports.EXCEL_MAX_DATA_ROWS, stat_max=stat_files.STAT_MAX_ROWS,
        free_text=exports.has_free_text(),
        job_threshold=export_jobs.threshold(), jobs=export_jobs.recent_jobs(),
        labels=q_labels, waves=waves,
        industries=industry_codes(), filter_action=url_for("staff.exports"),
        staff_section="exports",
    )



@bp.route("/export.csv", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_csv() -> BaseResponse | tuple[str, int] | str:
    free_text = _free_text_requested()
    filters = _checked_filters()
    if not isinstance(filters, Filters):
        return filters
    n = exports.count(filters)
    labels = _labels()
    if n > export_jobs.threshold():
        return export_jobs.start_response("csv", filters, n, free_text, labels,
                                          request.method == "POST")
    _audit_export("csv", filters, n, free_text)
    head = exports.header(free_text, labels)
    body = exports.rows(filters, free_text, lang=current_language(), labels=labels)
    return Response(stream_with_context(exports.csv_chunks(head, body)), mimetype=CSV_TYPE,
                    headers=_attachment(f"assessments-{_stamp()}.csv"))


@bp.route("/export.xlsx", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_xlsx() -> BaseResponse | tuple[str, int] | str:
    free_text = _free_text_requested()
    filters = _checked_filters()
    if not isinstance(filters, Filters):
        return filters
    n = exports.count(filters)
    if n > exports.EXCEL_MAX_DATA_ROWS:
        return _too_many(n, exports.EXCEL_MAX_DATA_ROWS, "xlsx", filters)
    labels, lang = _labels(), current_language()
    if n > export_jobs.threshold():
        return export_jobs.start_response("xlsx", filters, n, free_text, labels,
                                          request.method == "POST")
    _audit_export("xlsx", filters, n, free_text)
    path = exports.xlsx_tempfile(exports.header(free_text, labels),
                                 exports.rows(filters, free_text, lang=lang, labels=labels),
                                 lang, labels)
    return _file_response(path, XLSX_TYPE, f"assessments-{_stamp()}.xlsx")


def _stat_export(fmt: stat_files.Format) -> BaseResponse | tuple[str, int]:
    """A Stata or SPSS file: held in memory while written, hence its own row limit."""
    free_text = _free_text_requested()
    filters = _checked_filters()
    if not isinstance(filters, Filters):
        return filters
    n = exports.count(filters)
    if n > stat_files.STAT_MAX_ROWS:
        return _too_many(n, stat_files.STAT_MAX_ROWS, fmt, filters)
    _audit_export(fmt, filters, n, free_text)
    lang, labels = current_language(), _labels()
    path = stat_files.stat_tempfile(fmt, variables(free_text, labels),
                                    exports.records(filters, free_text), lang,
                                    variable_texts(lang), labels)
    return _file_response(path, STAT_TYPES[fmt], f"assessments-{_stamp()}.{fmt}")


@bp.route("/export.dta", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_dta() -> BaseResponse | tuple[str, int]:
    return _stat_export("dta")


@bp.route("/export.sav", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_sav() -> BaseResponse | tuple[str, int]:
    return _stat_export("sav")


@bp.get("/codebook.csv")
@role_required("admin", "analyst")
def codebook_csv() -> BaseResponse:
    chunks = exports.csv_chunks(exports.CODEBOOK_HEADER,
                                exports.codebook_rows(current_language(), _labels()))
    return Response(stream_with_context(chunks), mimetype=CSV_TYPE,
                    headers=_attachment(f"codebook-{_stamp()}.csv"))
