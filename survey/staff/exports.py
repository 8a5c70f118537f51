"""Export views: the export page, the CSV and Excel downloads and the codebook.

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
from survey.queries import exports
from survey.queries.filters import Filters
from survey.services import staff
from survey.staff import bp
from survey.staff.forms import ExportForm
from survey.web.auth import role_required
from survey.web.filters import request_filters
from survey.web.i18n import current_language
from survey.web.labels import code_labels, industry_codes, option_labels

CSV_TYPE = "text/csv"  # Werkzeug adds "; charset=utf-8" to a text/ mimetype
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        excel_max=exports.EXCEL_MAX_DATA_ROWS, free_text=exports.has_free_text(),
        labels=q_labels, waves=waves,
        industries=industry_codes(), filter_action=url_for("staff.exports"),
        staff_section="exports",
    )



@bp.route("/export.csv", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_csv() -> BaseResponse | tuple[str, int]:
    free_text = _free_text_requested()
    filters = _checked_filters()
    if not isinstance(filters, Filters):
        return filters
    _audit_export("csv", filters, exports.count(filters), free_text)
    head = exports.header(free_text)
    body = exports.rows(filters, free_text)
    return Response(stream_with_context(exports.csv_chunks(head, body)), mimetype=CSV_TYPE,
                    headers=_attachment(f"assessments-{_stamp()}.csv"))


@bp.route("/export.xlsx", methods=["GET", "POST"])
@role_required("admin", "analyst")
def export_xlsx() -> BaseResponse | tuple[str, int]:
    free_text = _free_text_requested()
    filters = _checked_filters()
    if not isinstance(filters, Filters):
        return filters
    n = exports.count(filters)
    if n > exports.EXCEL_MAX_DATA_ROWS:
        return render_template("staff/export_refused.html", reason="too_many", n=n,
                               limit=exports.EXCEL_MAX_DATA_ROWS, filters=filters,
                               staff_section="exports"), 422
    _audit_export("xlsx", filters, n, free_text)
    path = exports.xlsx_tempfile(exports.header(free_text), exports.rows(filters, free_text),
                                 current_language(), code_labels())
    response = Response(exports.file_chunks(path), mimetype=XLSX_TYPE,
                        headers={**_attachment(f"assessments-{_stamp()}.xlsx"),
                                 "Content-Length": str(os.path.getsize(path))})
    response.call_on_close(lambda: exports.remove_quietly(path))  # also when never read
    return response


@bp.get("/codebook.csv")
@role_required("admin", "analyst")
def codebook_csv() -> BaseResponse:
    chunks = exports.csv_chunks(exports.CODEBOOK_HEADER,
                                exports.codebook_rows(current_language(), code_labels()))
    return Response(stream_with_context(chunks), mimetype=CSV_TYPE,
                    headers=_attachment(f"codebook-{_stamp()}.csv"))
