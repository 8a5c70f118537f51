"""The SQL form of the item indicators' definitions (survey.core.item_indicators), and the
relaxation rule's counts for a table of them.

How an answer is read is survey.queries.answer_sql's. These scans are what the cells
(survey.queries.cells) must equal, and what answers a questionnaire the cells do not count.

The relaxation rule (survey.core.disclosure) is applied as survey.queries.disclosure applies it
to the dashboard, over this view's own kinds of number: each indicator's denominator, and the
firms asked (denominator plus the answers reported apart). Those kinds are published nowhere
else, so the cells of this view and the relaxations of its filters are all a differencing
reader could combine them with. One GROUP BY per relaxation (2^f for f equality filters).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from survey.core.cells import indicator_parts
from survey.core.item_indicators import APART, DENOMINATOR, NUMERATOR, Indicator
from survey.extensions import db
from survey.models import Assessment, Response
from survey.queries import cells
from survey.queries.answer_sql import listed, reading, ticked
from survey.queries.base import count_if, filtered
from survey.queries.disclosure import EVERYONE, Counts, Guard, fold, guard_over
from survey.queries.filters import Filters

BY_COLUMNS: dict[str, Any] = {
    "industry": Assessment.industry, "size": Assessment.size_class,
    "region": Assessment.region, "export": Assessment.export_status,
    "wave": Assessment.wave_id,
}
"""The assessment column behind each "by" dimension (survey.core.item_indicators)."""


def _reading(indicator: Indicator) -> Any:
    return reading(indicator.source, indicator.multi)


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
        answered = listed(value)
        chosen = or_(*(ticked(value, v) for v in indicator.numerator))
        return {NUMERATOR: and_(answered, chosen), DENOMINATOR: answered, APART: false()}
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


def cell_parts(indicators: Sequence[Indicator]) -> dict[str, tuple[str, ...]] | None:
    """Each indicator part's label (`label(i, part)`) and the cell measures summed for it;
    None when the cells cannot answer for every indicator (the scan answers instead)."""
    if not cells.usable():
        return None
    out: dict[str, tuple[str, ...]] = {}
    for i, ind in enumerate(indicators):
        parts = indicator_parts(ind)
        if parts is None:
            return None
        out.update({label(i, part): names for part, names in parts.items()})
    return out


def _cell_counts(filters: Filters, indicators: Sequence[Indicator], by: str,
                 parts: Mapping[str, tuple[str, ...]]) -> Counts:
    kinds: dict[str, tuple[str, ...]] = {}
    for i, ind in enumerate(indicators):
        den, apart = parts[label(i, DENOMINATOR)], parts[label(i, APART)]
        kinds[kind(ind)] = den
        if ind.apart:
            kinds[kind(ind, ASKED)] = (*den, *apart)
    sums = {f"k{i}": names for i, names in enumerate(kinds.values())}
    stmt = cells.summed(sums, filters, (BY_COLUMNS[by].key, "month"),
                        {BY_COLUMNS[by].key: "seg"}, real_only=True)
    return fold(db.session.execute(stmt), lambda row: (EVERYONE, (by, row["seg"])),
                list(kinds))


def _counts(filters: Filters, indicators: Sequence[Indicator], by: str) -> Counts:
    table, values = answered(filters, indicators, BY_COLUMNS[by].label("seg"),
                             Assessment.month.label("month"), real_only=True)
    kinds = _kind_columns(indicators, values)
    stmt = select(table.c.seg, table.c.month,
                  *(c.label(f"k{i}") for i, c in enumerate(kinds.values()))).group_by(
        table.c.seg, table.c.month)
    return fold(db.session.execute(stmt), lambda row: (EVERYONE, (by, row["seg"])),
                list(kinds))


def indicator_guard(filters: Filters, by: str, indicators: Sequence[Indicator],
                    min_group: int) -> Guard:
    """Per cell of the table — ("all",) and (by, key) — the kinds the relaxation rule hides.

    Only the view's own segment dimension is grouped: a cell (by, key) under the filters is the
    conjunction of the filters and by = key, and its relaxations drop filters (the statements)
    or its own key (the everyone base), as the dashboard's guard does for its cells."""
    parts = cell_parts(indicators)
    if parts is not None:
        return guard_over(filters, lambda f: _cell_counts(f, indicators, by, parts),
                          min_group)
    return guard_over(filters, lambda f: _counts(f, indicators, by), min_group)
