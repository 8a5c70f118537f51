"""The SQL form of the item indicators' definitions (survey.core.item_indicators), and the
relaxation rule's counts for a table of them.

Answers are JSON in `responses.answers`; SQLAlchemy's JSON indexing renders `JSON_EXTRACT` on
SQLite and `->>` / `->` on PostgreSQL, so one expression serves both. A multi-select answer is
a JSON array of option codes, matched as the quoted code inside the array's text (codes are
plain identifiers, and LIKE's wildcards are escaped).

The relaxation rule (survey.core.disclosure) is applied as survey.queries.disclosure applies it
to the dashboard, over this view's own kinds of number: each indicator's denominator, and the
firms asked (denominator plus the answers reported apart). Those kinds are published nowhere
else, so the cells of this view and the relaxations of its filters are all a differencing
reader could combine them with. One GROUP BY per relaxation (2^f for f equality filters).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import String, and_, cast, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from survey.core.disclosure import CellRange, failing
from survey.core.item_indicators import APART, DENOMINATOR, NUMERATOR, Indicator
from survey.extensions import db
from survey.models import Assessment, Response
from survey.queries.base import count_if, filtered
from survey.queries.disclosure import EVERYONE, Guard, relaxations, wider
from survey.queries.filters import Filters

BY_COLUMNS: dict[str, Any] = {
    "industry": Assessment.industry, "size": Assessment.size_class,
    "region": Assessment.region, "export": Assessment.export_status,
    "wave": Assessment.wave_id,
}
"""The assessment column behind each "by" dimension (survey.core.item_indicators)."""


def _reading(indicator: Indicator) -> Any:
    """The value an indicator reads: a stored column, an answer's text (single choice), or a
    multi-select's JSON array as text."""
    column = indicator.column
    if column:
        return getattr(Assessment, column)
    if indicator.multi:
        return cast(Response.answers[indicator.source], String)
    return Response.answers[indicator.source].as_string()


Values = dict[str, Any]
"""Source (question id or "column:<name>") → its column in the answered table."""


def answered(filters: Filters, indicators: Sequence[Indicator], *keys: Any,
             real_only: bool = False) -> tuple[Any, Values]:
    """The filtered assessments as a materialised table: the `keys` (labelled columns) and
    every source the indicators read, each extracted once per row. Reading the JSON once per
    question instead of once per condition is what keeps a hundred indicators affordable:
    otherwise the database parses each row's answers some 300 times."""
    sources: dict[str, Any] = {}
    for ind in indicators:
        sources.setdefault(ind.source, _reading(ind))
    stmt = filtered(*keys, *(expr.label(f"s{i}") for i, expr in enumerate(sources.values())),
                    filters=filters).join(Response, Response.id == Assessment.response_id)
    if real_only:
        stmt = stmt.where(Assessment.is_demo.is_(False))
    table = stmt.cte("answered").prefix_with("MATERIALIZED")
    return table, {src: table.c[f"s{i}"] for i, src in enumerate(sources)}


def conditions(indicator: Indicator, values: Values) -> dict[str, ColumnElement[bool]]:
    """The numerator, denominator and apart conditions of one indicator, as SQL."""
    value = values[indicator.source]
    if indicator.multi:
        listed = and_(value.startswith("["), value.contains('"'))
        ticked = or_(*(value.contains(f'"{v}"', autoescape=True) for v in indicator.numerator))
        return {NUMERATOR: and_(listed, ticked), DENOMINATOR: listed, APART: false()}
    return {NUMERATOR: value.in_(indicator.numerator),
            DENOMINATOR: value.in_(indicator.denominator),
            APART: value.in_(indicator.apart) if indicator.apart else false()}


def label(i: int, part: str) -> str:
    return f"i{i}_{part}"


def count_columns(indicators: Sequence[Indicator], values: Values) -> list[ColumnElement[Any]]:
    return [count_if(cond).label(label(i, part))
            for i, ind in enumerate(indicators)
            for part, cond in conditions(ind, values).items()]


# --- The relaxation rule -----------------------------------------------------------------

ASKED = "asked"


def kind(indicator: Indicator, part: str = DENOMINATOR) -> str:
    """The kind of number for the rule: an indicator's denominator, or its firms asked."""
    return indicator.id if part == DENOMINATOR else f"{indicator.id}:{ASKED}"


def _kind_columns(indicators: Sequence[Indicator],
                  values: Values) -> dict[str, ColumnElement[Any]]:
    out: dict[str, ColumnElement[Any]] = {}
    for ind in indicators:
        cond = conditions(ind, values)
        out[kind(ind)] = count_if(cond[DENOMINATOR])
        if ind.apart:
            out[kind(ind, ASKED)] = count_if(or_(cond[DENOMINATOR], cond[APART]))
    return out


Counts = dict[tuple[Hashable, str], dict[str, int]]


def _counts(filters: Filters, indicators: Sequence[Indicator], by: str) -> Counts:
    table, values = answered(filters, indicators, BY_COLUMNS[by].label("seg"),
                             Assessment.month.label("month"), real_only=True)
    kinds = _kind_columns(indicators, values)
    stmt = select(table.c.seg, table.c.month,
                  *(c.label(f"k{i}") for i, c in enumerate(kinds.values()))).group_by(
        table.c.seg, table.c.month)
    out: Counts = {}
    names = list(kinds)
    for row in db.session.execute(stmt).mappings():
        month = str(row["month"])
        for base in (EVERYONE, (by, row["seg"])):
            for i, name in enumerate(names):
                value = int(row[f"k{i}"] or 0)
                if value:
                    months = out.setdefault((base, name), {})
                    months[month] = months.get(month, 0) + value
    return out


def indicator_guard(filters: Filters, by: str, indicators: Sequence[Indicator],
                    min_group: int) -> Guard:
    """Per cell of the table — ("all",) and (by, key) — the kinds the relaxation rule hides.

    Only the view's own segment dimension is grouped: a cell (by, key) under the filters is the
    conjunction of the filters and by = key, and its relaxations drop filters (the statements)
    or its own key (the everyone base), as the dashboard's guard does for its cells."""
    counts = [_counts(f, indicators, by) for f in relaxations(filters)]
    view = counts[0]
    cells: dict[Hashable, CellRange] = {
        base: CellRange(base, filters.month_from, filters.month_to, wider(base))
        for base, _ in view}
    kinds = sorted({name for _, name in view})
    return Guard(failing(cells, kinds, view, counts, min_group))
