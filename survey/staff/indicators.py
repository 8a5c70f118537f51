"""Item-level indicators by segment (/staff/indicators) and the same table as CSV.

Thin views: the staff filters (demo rows left out unless the link asks for them), a "by"
dimension, one call to survey.queries.indicators, render. The CSV holds the table the page
shows, with codes beside the labels.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from flask import Response, current_app, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from survey.core.item_indicators import BY_DIMENSIONS
from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.queries import wave_choices
from survey.queries.exports import csv_chunks
from survey.queries.filters import CURRENT_EXPORT_STATUSES, Filters
from survey.queries.indicators import CSV_HEAD, TOTAL, IndicatorTable, csv_rows, indicator_table
from survey.staff import bp, chart_labels
from survey.web import filters as filtering
from survey.web import labels
from survey.web.auth import role_required
from survey.web.i18n import current_language

DEFAULT_BY = "size"


def by_label(by: str) -> str:
    names: dict[str, str] = {"size": _("Size"), "industry": _("Industry"), "region": _("Region"),
                             "export": _("Export status"), "wave": _("Wave")}
    return names.get(by, by)


def request_by() -> tuple[str, str | None]:
    """The "by" dimension of the link, and a message when it named none."""
    raw = (request.args.get("by") or "").strip()
    if not raw:
        return DEFAULT_BY, None
    if raw not in BY_DIMENSIONS:
        return DEFAULT_BY, _("%(field)s: “%(value)s” was not understood and is ignored.",
                             field=_("Split by"), value=raw[:40])
    return raw, None


def real_by_default(filters: Filters, args: Mapping[str, Any]) -> Filters:
    """Demo rows describe nobody: an indicator table leaves them out unless asked."""
    return filters if args.get("demo") else filters.without_demo()


def dimension_order(by: str, waves: list[tuple[int, str]]) -> tuple[Any, ...]:
    orders: dict[str, tuple[Any, ...]] = {
        "size": SIZE_CLASSES, "region": REGIONS, "industry": labels.industry_codes(),
        "export": CURRENT_EXPORT_STATUSES, "wave": tuple(i for i, _ in reversed(waves)),
    }
    return orders[by]


def segment_labels(table: IndicatorTable, waves: list[tuple[int, str]]) -> dict[Hashable, str]:
    names = chart_labels.names(waves)
    out: dict[Hashable, str] = {k: names.get(f"{table.by}:{k}", str(k))
                                for k in table.keys if k is not None}
    out[None] = _("Not stated")
    out[TOTAL] = _("All")
    return out


def _table() -> tuple[IndicatorTable, filtering.Checked, list[tuple[int, str]], list[str]]:
    waves = wave_choices()
    checked = filtering.request_filters([i for i, _ in waves])
    by, problem = request_by()
    filters = real_by_default(checked.filters, request.args)
    min_group = int(current_app.config.get("PRIVACY_MIN_GROUP", 10))
    table = indicator_table(filters, by, min_group, dimension_order(by, waves))
    messages = [*checked.messages, *([problem] if problem else [])]
    return table, checked, waves, messages


@bp.get("/indicators")
@role_required("admin", "analyst")
def indicators() -> str:
    table, checked, waves, messages = _table()
    args = {**table.filters.to_args(), "by": table.by}
    by_rows: dict[str, list[Any]] = {g.id: [] for g in table.groups}
    for row in table.rows:
        by_rows.setdefault(row.indicator.group, []).append(row)
    return render_template(
        "staff/indicators.html", table=table, by_rows=by_rows,
        segment_names=segment_labels(table, waves), lang=current_language(),
        by_choices=[(b, by_label(b)) for b in BY_DIMENSIONS], current_by=table.by,
        by_choice_label=by_label(table.by),
        filters=table.filters, waves=waves, industries=labels.industry_codes(),
        labels={"industry": labels.industry_labels()}, filter_messages=messages,
        filter_action=url_for("staff.indicators"), staff_section="indicators",
        min_group=table.min_group, args=args,
    )


@bp.get("/indicators.csv")
@role_required("admin", "analyst")
def indicators_csv() -> Response:
    """The page's table: UTF-8 with BOM, one line per indicator and segment, codes and labels,
    suppressed cells blank and flagged."""
    table, _checked, waves, _messages = _table()
    body = csv_rows(table, current_language(), segment_labels(table, waves))
    resp = Response(stream_with_context(csv_chunks(CSV_HEAD, body)), mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="indicators_{table.by}.csv"'
    return resp
