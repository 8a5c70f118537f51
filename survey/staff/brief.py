"""The policy brief (/staff/brief): one printable A4 page for a government meeting.

Server-rendered (tables and small SVG bars, no plotly) so it prints the same everywhere. It
never includes demo rows, whatever the filters say (survey.queries.brief applies
`without_demo()`), and prints its filters, date and method version so a printed copy can be
traced back to the numbers behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from survey import queries
from survey.core.questionnaire import QuestionnaireError, load_questionnaire
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.queries.credit import ClassShares, CreditConstraint
from survey.queries.filters import DEMO_DEFAULT, Filters
from survey.staff import bp, chart_labels
from survey.staff.dashboard import method_version, request_filters
from survey.web.auth import role_required
from survey.web.labels import industry_labels


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


@bp.get("/brief")
@role_required("admin", "analyst")
def brief() -> str:
    waves = queries.wave_choices()
    checked, industries, min_group = request_filters([i for i, _ in waves])
    data = queries.brief(checked.filters, min_group, industries)
    names = chart_labels.names(waves)
    shown = replace(checked.filters, demo=DEMO_DEFAULT)  # the brief never has demo rows anyway
    return render_template(
        "staff/brief.html", b=data, ov=data.overview, names=names, min_group=min_group,
        filters=shown, filter_lines=filter_lines(data.filters, names), waves=waves,
        industries=industries, labels={"industry": industry_labels()},
        filter_action=url_for("staff.brief"), staff_section="brief", today=today(),
        method_version=method_version(), levels=queries.level_bands(),
        priority_high=priority_high(), filter_messages=checked.messages, hide_demo=True,
        credit_classes=CREDIT_CLASSES, credit_rows=credit_rows(data.credit),
    )


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
