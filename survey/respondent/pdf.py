"""The report as a PDF, rendered on the server: the way an owner keeps it, prints it or forwards
it in WeChat, whose file viewer opens an inline PDF where other downloads are blocked.

It is the report page itself (`report_html`) laid out by survey.web.pdf with print media,
so page and PDF never say different things.
"""

from __future__ import annotations

import hashlib

from flask import Response as FlaskResponse
from flask import abort, current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.extensions import limiter
from survey.respondent import bp
from survey.respondent.report import report_html
from survey.web import i18n
from survey.web.pdf import render_pdf
from survey.web.security import no_store

FILENAME = "digital-readiness-report.pdf"


def _report_key() -> str:
    """Per report, by a digest: a live token never becomes a key name in Redis."""
    token = str((request.view_args or {}).get("token", ""))
    return "report-pdf:" + hashlib.sha256(token.encode()).hexdigest()[:32]


@bp.get("/report/<token>/report.pdf")
@limiter.limit("20/minute;200/hour", key_func=get_remote_address)
@limiter.limit("6/minute;30/hour", key_func=_report_key)
def report_pdf(token: str) -> WerkzeugResponse:
    """The report as an inline PDF, in the report's language (`?lang=` or the language the
    firm answered in). Rendering takes about 0.4 s of CPU, so it is limited per address
    (generous: many phones share one carrier address) and per report. Off (404) with
    REPORT_PDF=0, for a server without the fonts Chinese needs."""
    if not current_app.config["REPORT_PDF"]:
        abort(404)
    pdf = render_pdf(report_html(token, for_pdf=True), i18n.current_language())
    resp = FlaskResponse(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{FILENAME}"'
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return no_store(resp)
