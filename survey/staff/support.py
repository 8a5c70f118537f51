"""What firms did with the support offered: their contact requests (personal data, so every
view and export is audited) and how scores moved between a firm's assessments (T0 → T1),
shown as an association, never as the effect of a programme."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request, url_for
from flask_login import current_user

from survey import queries as dashboard_queries
from survey.core.programme_stats import change_table
from survey.core.spreadsheet import safe_cell
from survey.queries import programmes as queries
from survey.services import staff
from survey.staff import bp
from survey.staff.dashboard import request_filters
from survey.web import labels
from survey.web.auth import role_required

CONTACT_COLUMNS = ("request_id", "response_id", "programme", "name", "phone", "email",
                   "requested_at", "consent_version")


@bp.get("/contact-requests")
@role_required("admin", "analyst")
def contact_requests() -> str:
    rows = queries.contact_requests()
    staff.record(current_user, "contact_requests.view", None, {"rows": len(rows)})
    return render_template("staff/contact_requests.html", rows=rows,
                           staff_section="contact_requests")


@bp.get("/contact-requests.csv")
@role_required("admin", "analyst")
def contact_requests_csv() -> Response:
    rows = queries.contact_requests()
    staff.record(current_user, "contact_requests.export", None, {"rows": len(rows)})
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(CONTACT_COLUMNS)
    for r in rows:
        w.writerow([r.id, r.response_id, r.code, safe_cell(r.name), safe_cell(r.phone or ""),
                    safe_cell(r.email or ""), r.created_at.isoformat(timespec="seconds") + "Z",
                    r.consent_version])
    resp = Response(buf.getvalue(), mimetype="text/csv")
    resp.headers["Content-Disposition"] = 'attachment; filename="contact-requests.csv"'
    return resp


@bp.get("/follow-ups")
@role_required("admin", "analyst")
def follow_ups() -> str:
    waves = dashboard_queries.wave_choices()
    checked, industries, min_group = request_filters([i for i, _w in waves])
    by = request.args.get("by", "size_class")
    if by not in queries.SEGMENTS:
        by = "size_class"
    cells = queries.score_changes(checked.filters, by)
    rows = sorted({seg for seg, _asked in cells}, key=lambda s: (s is None, s or ""))
    table = change_table(cells, rows, min_group)
    return render_template(
        "staff/follow_ups.html", table=table, by=by, segments=list(queries.SEGMENTS),
        min_group=min_group, filters=checked.filters, waves=waves, industries=industries,
        labels={"industry": labels.industry_labels()},
        filter_action=url_for("staff.follow_ups"), filter_messages=checked.messages,
        staff_section="follow_ups")
