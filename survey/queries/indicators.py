"""Item-level indicators by segment: each share with its own n, Wilson interval and suppression.

One GROUP BY over the segment dimension counts every indicator's numerator, denominator and
answers reported apart (survey.queries.indicator_sql); the total is the sum of the segments
(the counts are additive), and the relaxation rule costs one more statement per relaxation of
the filters. A fixed number of statements per table, however many indicators or rows.

Each number is suppressed on its own n — the indicator's denominator in that cell — when it is
1 … min_group − 1, or when the relaxation rule says another filter setting would isolate a
small group; then as many more cells of the indicator's row as the line's secondary
suppression needs, so the total minus the shown segments cannot give a hidden one away. The
answers reported apart ("don't know", "still waiting") follow the same rule on the firms
asked, and are shown only where the share is.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from survey.core import stats as benchmarks
from survey.core.item_indicators import (
    APART,
    BY_DIMENSIONS,
    DENOMINATOR,
    NUMERATOR,
    Group,
    Indicator,
    groups,
    indicators,
)
from survey.core.questionnaire import QuestionnaireError, load_questionnaire
from survey.core.rounding import half_up_optional
from survey.core.stats import Share
from survey.core.suppression import suppress_line
from survey.extensions import db
from survey.queries import cells
from survey.queries.disclosure import EVERYONE, NO_GUARD, Guard
from survey.queries.filters import Filters
from survey.queries.indicator_sql import (
    ASKED,
    BY_COLUMNS,
    answered,
    cell_parts,
    count_columns,
    indicator_guard,
    kind,
    label,
)

TOTAL = "all"
"""The key of the total column in the table, its JSON and its CSV."""


@dataclass(frozen=True)
class Cell:
    """One indicator in one segment: its share among `n`, and `apart` (answers in no
    denominator); a suppressed cell carries none of these."""

    key: Any
    n: int | None
    share: Share | None
    apart: int | None
    suppressed: bool

    @property
    def low_precision(self) -> bool:
        return self.n is not None and benchmarks.low_precision(self.n)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    total: Cell
    cells: tuple[Cell, ...]

    def all_cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.cells)


@dataclass(frozen=True)
class IndicatorTable:
    """Every indicator of the current questionnaire by one segment dimension."""

    filters: Filters
    by: str
    min_group: int
    keys: tuple[Any, ...]
    rows: tuple[Row, ...]
    groups: tuple[Group, ...]
    n: int


Tallies = dict[Any, dict[str, int]]


def _tallies(filters: Filters, by: str,
             inds: Sequence[Indicator]) -> tuple[Tallies, dict[Any, int]]:
    parts = cell_parts(inds)
    if parts is not None:
        column = BY_COLUMNS[by].key
        stmt = cells.summed({"n": ("n",), **parts}, filters, (column,), {column: "seg"})
    else:
        table, values = answered(filters, inds, BY_COLUMNS[by].label("seg"))
        stmt = select(table.c.seg, func.count().label("n"),
                      *count_columns(inds, values)).group_by(table.c.seg)
    tallies: Tallies = {}
    firms: dict[Any, int] = {}
    for row in db.session.execute(stmt).mappings():
        key = row["seg"]
        firms[key] = int(row["n"] or 0)
        tallies[key] = {f"{i}:{part}": int(row[label(i, part)] or 0)
                        for i in range(len(inds)) for part in (NUMERATOR, DENOMINATOR, APART)}
    return tallies, firms


def _order(keys: Sequence[Any], by: str, order: Sequence[Any]) -> tuple[Any, ...]:
    """Segments in the order of the dimension's codes, unknown codes after, "not stated"
    (None) last."""
    rank = {k: i for i, k in enumerate(order)}
    return tuple(sorted(keys, key=lambda k: (k is None, rank.get(k, len(rank)), str(k))))


def _hidden(counts: Mapping[Any, int], total: int, cell_kind: str, guard: Guard,
            by: str, min_group: int) -> tuple[bool, frozenset[Any]]:
    """Whether the total is hidden, and which segments are, for one kind of number."""
    total_hidden = (0 < total < min_group) or (total > 0 and guard.hides_kind(EVERYONE,
                                                                             cell_kind))
    forced = [k for k, n in counts.items() if n and guard.hides_kind((by, k), cell_kind)]
    return total_hidden, suppress_line(counts, min_group, forced, total_hidden)


def _row(i: int, ind: Indicator, keys: Sequence[Any], tallies: Tallies, guard: Guard,
         by: str, min_group: int) -> Row:
    def get(key: Any, part: str) -> int:
        return tallies.get(key, {}).get(f"{i}:{part}", 0)

    den = {k: get(k, DENOMINATOR) for k in keys}
    asked = {k: den[k] + get(k, APART) for k in keys}
    total_hidden, hidden = _hidden(den, sum(den.values()), kind(ind), guard, by, min_group)
    asked_total_hidden, asked_hidden = (
        _hidden(asked, sum(asked.values()), kind(ind, ASKED), guard, by, min_group)
        if ind.apart else (total_hidden, hidden))

    def cell(key: Any, n: int, num: int, apart: int, hide: bool, hide_apart: bool) -> Cell:
        if hide:
            return Cell(key, None, None, None, True)
        return Cell(key, n, benchmarks.share(num, n), None if hide_apart else apart, False)

    total = cell(TOTAL, sum(den.values()), sum(get(k, NUMERATOR) for k in keys),
                 sum(get(k, APART) for k in keys), total_hidden, asked_total_hidden)
    cells = tuple(cell(k, den[k], get(k, NUMERATOR), get(k, APART), k in hidden,
                       k in asked_hidden) for k in keys)
    return Row(ind, total, cells)


def indicator_table(filters: Filters, by: str, min_group: int, order: Sequence[Any] = (),
                    only: Collection[str] | None = None) -> IndicatorTable:
    """The table of every indicator by `by` (one of BY_DIMENSIONS) under the filters;
    `order` lists the dimension's codes in display order; `only` keeps the indicators with
    those ids (each indicator's numbers depend on its own counts alone)."""
    if by not in BY_DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    try:
        q = load_questionnaire()
    except QuestionnaireError:
        return IndicatorTable(filters, by, min_group, (), (), (), 0)
    inds = tuple(i for i in indicators(q) if only is None or i.id in only)
    tallies, firms = _tallies(filters, by, inds)
    keys = _order(list(tallies), by, order)
    guard = indicator_guard(filters, by, inds, min_group) if tallies else NO_GUARD
    rows = tuple(_row(i, ind, keys, tallies, guard, by, min_group)
                 for i, ind in enumerate(inds))
    return IndicatorTable(filters, by, min_group, keys, rows, groups(q), sum(firms.values()))


# --- JSON for GET /api/v1/indicators ------------------------------------------------------


def cell_json(c: Cell) -> dict[str, Any]:
    share = c.share
    return {"key": c.key, "n": c.n, "count": share.count if share else None,
            "share": half_up_optional(share.value, 4) if share else None,
            "interval": share.interval.as_list(4) if share and share.interval else None,
            "apart": c.apart, "suppressed": c.suppressed,
            "low_precision": None if c.suppressed else c.low_precision}


def definition_json(ind: Indicator, lang: str) -> dict[str, Any]:
    return {
        "id": ind.id, "group": ind.group, "label": ind.label.get(lang),
        "among": ind.among.get(lang), "source": ind.source, "multi": ind.multi,
        "numerator": list(ind.numerator),
        "denominator": list(ind.denominator) if not ind.multi else None,
        "apart": list(ind.apart),
    }


def table_json(table: IndicatorTable, lang: str) -> dict[str, Any]:
    """The table as JSON (GET /api/v1/indicators); documented in docs/api.md."""
    return {
        "n": table.n, "by": table.by, "min_group": table.min_group,
        "filters": table.filters.to_args(),
        "segments": [None if k is None else k for k in table.keys],
        "groups": [{"id": g.id, "title": g.title.get(lang)} for g in table.groups],
        "indicators": [{**definition_json(r.indicator, lang),
                        "total": cell_json(r.total),
                        "by_segment": [cell_json(c) for c in r.cells]}
                       for r in table.rows],
    }


def csv_rows(table: IndicatorTable, lang: str,
             segment_label: Mapping[Hashable, str]) -> list[list[Any]]:
    """One line per indicator and segment (the total first): codes and labels, the numbers
    as the page shows them, suppressed cells blank and flagged."""
    out: list[list[Any]] = []
    for r in table.rows:
        ind = r.indicator
        for c in r.all_cells():
            share = c.share
            interval = share.interval if share else None
            out.append([
                ind.id, ind.label.get(lang), ind.among.get(lang), table.by,
                "" if c.key is None else c.key, segment_label.get(c.key, str(c.key)),
                c.n, share.count if share else None,
                half_up_optional(share.value, 4) if share else None,
                half_up_optional(interval.low, 4) if interval else None,
                half_up_optional(interval.high, 4) if interval else None,
                c.apart, int(c.suppressed),
            ])
    return out


CSV_HEAD = ("indicator", "label", "among", "by", "segment", "segment_label", "n", "count",
            "share", "ci_low", "ci_high", "apart", "suppressed")
