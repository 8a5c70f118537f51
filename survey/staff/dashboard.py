"""The aggregate dashboard (/staff/) and each chart's numbers as CSV (/staff/charts/<id>.csv).

Thin views: parse the filters from the query string (so every view is a shareable URL), call
survey.queries once, turn the results into charts (survey.core.charts, pure) and render. The CSV of
a chart is the same table the page shows as the chart's text alternative, with ids instead of
names, so what an analyst downloads is exactly what they saw.
"""

from __future__ import annotations

from collections.abc import Collection

from flask import (
    Response,
    abort,
    current_app,
    render_template,
    stream_with_context,
    url_for,
)

from survey import queries
from survey.core.charts import CHART_IDS, CHART_PARTS, build_all, csv_rows, page_notes
from survey.core.questionnaire import QuestionnaireError, load_questionnaire
from survey.queries.exports import csv_chunks
from survey.staff import bp, chart_labels
from survey.web import filters as filtering
from survey.web import labels
from survey.web.auth import role_required


def request_filters(known_waves: Collection[int] | None = None
                    ) -> tuple[filtering.Checked, tuple[str, ...], int]:
    """The page's filters (checked, with messages), the industry codes and the minimum group."""
    return (filtering.request_filters(known_waves), labels.industry_codes(),
            int(current_app.config.get("PRIVACY_MIN_GROUP", 10)))


def method_version() -> str | None:
    try:
        return load_questionnaire().method_version
    except QuestionnaireError:
        return None


@bp.get("/")
@role_required("admin", "analyst")
def dashboard() -> str:
    waves = queries.wave_choices()
    checked, industries, min_group = request_filters([i for i, _ in waves])
    filters = checked.filters
    data = queries.dashboard(filters, min_group, industries)
    names = chart_labels.names(waves)
    charts = build_all(data, queries.level_bands(), chart_labels.labels(), names)
    return render_template(
        "staff/dashboard.html", data=data, ov=data.overview, charts=charts, names=names,
        method_notes=page_notes(charts),
        filters=filters, waves=waves, industries=industries,
        labels={"industry": labels.industry_labels()}, filter_action=url_for("staff.dashboard"),
        staff_section="dashboard", min_group=min_group, args=filters.to_args(),
        levels=queries.level_bands(), filter_messages=checked.messages,
    )


@bp.get("/charts/<chart_id>.csv")
@role_required("admin", "analyst")
def chart_csv(chart_id: str) -> Response:
    """One chart's table: UTF-8 with BOM, ids not names, suppressed cells blank and flagged."""
    if chart_id not in CHART_IDS:
        abort(404)
    checked, industries, min_group = request_filters()
    filters = checked.filters
    data = queries.dashboard(filters, min_group, industries, parts={CHART_PARTS[chart_id]})
    waves = queries.wave_choices() if chart_id == "trend_waves" else []
    chart = build_all(data, queries.level_bands(), chart_labels.labels(),
                      chart_labels.names(waves), only=chart_id)[0]
    head = [c.id for c in chart.table.columns]
    body = csv_rows(chart)
    resp = Response(stream_with_context(csv_chunks(head, body)),
                    mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="{chart_id}.csv"'
    return resp
