"""The policy brief (/staff/brief, and /staff/brief.pdf): a printable brief for a government
meeting that opens with three key findings the data support.

Server-rendered (tables and SVG, no plotly) so it prints the same everywhere, and the PDF is
the same page laid out by the server (survey.web.pdf). It never includes demo rows, whatever
the filters say (survey.queries.brief applies `without_demo()`), and prints its own address,
filters, date and method version so a printed copy can be traced back to the numbers behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from survey import queries
from survey.core import population
from survey.core.item_indicators import SCHEME_GRID, scheme_name
from survey.core.questionnaire import RECOMMENDATIONS, QuestionnaireError, load_questionnaire
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.extensions import limiter
from survey.queries.brief import Brief, estimate
from survey.queries.credit import ClassShares, CreditConstraint
from survey.queries.filters import DEMO_DEFAULT, Filters
from survey.services import staff as staff_service
from survey.staff import bp, brief_text, chart_labels
from survey.staff.dashboard import method_version, request_filters
from survey.web.auth import role_required
from survey.web.i18n import current_language
from survey.web.labels import industry_labels
from survey.web.pdf import render_pdf
from survey.web.security import no_store

PDF_FILENAME = "policy-brief.pdf"


def filter_lines(filters: Filters, names: dict[str, str]) -> list[tuple[str, str]]:
    """The filters as (label, value) lines in the page's language, for the printed record."""
    lines: list[tuple[str, str]] = []
    if filters.wave is not None:
        lines.append((_("Wave"), names.get(f"wave:{filters.wave}", str(filters.wave))))
    for label, ns, value in ((_("Industry"), "industry", filters.industry),
                             (_("Size"), "size", filters.size),
                             (_("Region"), "region", filters.region),
                             (_("Export status"), "export", filters.export)):
        if value:
            lines.append((label, names.get(f"{ns}:{value}", value)))
    if filters.month_from or filters.month_to:
        lines.append((_("Months"), f"{filters.month_from or '…'} – {filters.month_to or '…'}"))
    return lines


def today() -> dt.date:
    tz = ZoneInfo(current_app.config.get("SURVEY_TIMEZONE", "Asia/Shanghai"))
    return dt.datetime.now(tz).date()


def brief_html() -> str:
    """The brief page for the request's filters and language (the PDF renders the same)."""
    waves = queries.wave_choices()
    checked, industries, min_group = request_filters([i for i, _ in waves])
    data = queries.brief(checked.filters, min_group, industries)
    names = chart_labels.names(waves)
    shown = replace(checked.filters, demo=DEMO_DEFAULT)  # the brief never has demo rows anyway
    args: dict[str, Any] = dict(shown.to_args())
    margins = population.load_margins(population.DATA_DIR)
    return render_template(
        "staff/brief.html", b=data, ov=data.overview, names=names, min_group=min_group,
        filters=shown, filter_lines=filter_lines(data.filters, names), waves=waves,
        industries=industries, labels={"industry": industry_labels()},
        filter_action=url_for("staff.brief"), staff_section="brief", today=today(),
        method_version=method_version(), levels=queries.level_bands(),
        priority_high=priority_high(), filter_messages=checked.messages, hide_demo=True,
        credit_classes=CREDIT_CLASSES, credit_rows=credit_rows(data.credit),
        key_findings=findings(data, names), needs_chart=needs_chart(data, names),
        margins=margins, margins_missing=_(", ").join(
            name for dimension, name in (("region", _("region")), ("size", _("size class")),
                                         ("industry", _("industry")))
            if dimension not in margins),
        brief_url=url_for("staff.brief", _external=True, **args),
        pdf_url=url_for("staff.brief_pdf", **args, lang=current_language()),
    )


@bp.get("/brief")
@role_required("admin", "analyst")
def brief() -> str:
    return brief_html()


def _pdf_key() -> str:
    return f"brief-pdf:{current_user.get_id()}"


@bp.get("/brief.pdf")
@role_required("admin", "analyst")
@limiter.limit("10/minute;100/hour", key_func=_pdf_key)
def brief_pdf() -> Response:
    """The brief as an inline PDF with the same filters, in the page's language; audited like
    an export, since it leaves the system as a file. A render takes a second or two of CPU,
    so each account has a generous limit."""
    if not current_app.config["REPORT_PDF"]:
        abort(404)
    checked = request_filters()[0]
    pdf = render_pdf(brief_html(), current_language())
    staff_service.record(current_user, "export.brief_pdf", None,
                         {"format": "pdf", "filters": checked.filters.without_demo().to_args(),
                          "language": current_language()})
    resp = Response(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{PDF_FILENAME}"'
    return no_store(resp)


def findings(data: Brief, names: dict[str, str]) -> list[brief_text.KeyFinding]:
    aware = {s.key: s.aware for s in data.schemes}
    return brief_text.key_findings(data.findings, {**names, **scheme_names()}, aware)


def scheme_names() -> dict[str, str]:
    """"scheme:<question id>" → the scheme's name in the page's language, as the indicators
    page names it."""
    try:
        q = load_questionnaire()
    except QuestionnaireError:
        return {}
    lang = current_language()
    return {f"scheme:{question.id}": scheme_name(question.text).get(lang)
            for question in q.questions.values() if question.grid == SCHEME_GRID}


def needs_chart(data: Brief, names: dict[str, str]) -> Markup | None:
    """The chart of high-priority shares, in the order of the ranking."""
    if not data.recommendations:
        return None
    bars = [(names.get(f"rec:{r.id}", r.id), estimate(r.id, r.high), r.hidden)
            for r in data.recommendations if r.id in RECOMMENDATIONS]
    return brief_text.needs_chart(bars, data.min_group)


def credit_rows(credit: CreditConstraint | None) -> list[tuple[Any, ClassShares]]:
    """The credit-constraint table's rows: everyone ("all"), then each size class."""
    if credit is None:
        return []
    return [("all", credit.total), *((g.key, g) for g in credit.by_size)]


def priority_high() -> str:
    try:
        return f"{load_questionnaire().method.priority_high:g}"
    except QuestionnaireError:
        return "60"
