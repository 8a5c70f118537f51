"""The counts the relaxation rule (survey.core.disclosure) needs for one filtered view.

For every relaxation of the view's equality filters (each subset of wave, industry, size,
region, export status and demo "only" dropped; month bounds lifted) one GROUP BY over
industry × size × region × wave × month counts the *real* firms behind each kind of number —
demo rows are made up, so a difference made of them discloses nobody. From those, the cells of
every table the view shows (everyone, the industry × size grid and its margins, regions,
months, waves) get their month-resolved counts, and the rule says which numbers of which cells
a differencing reader could isolate. A view with f equality filters costs 2^f statements —
one without filters too: its month and wave cells are month ranges, and "February" must not
differ from "February to March" by a few.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

from sqlalchemy import Result, and_, func

from survey.core.cells import (
    ALL_METRICS,
    CREDIT_ANY,
    CROSSTABS,
    both_scored_key,
    known_priority_key,
)
from survey.core.disclosure import CellRange, failing
from survey.core.needs import KNOWN_PRIORITIES
from survey.core.questionnaire import RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.extensions import db
from survey.models import Assessment
from survey.queries import cells
from survey.queries.base import (
    count_if,
    filtered,
    metric_column,
    priority_column,
    priority_key,
)
from survey.queries.filters import Filters

EQUALITY_FILTERS: tuple[str, ...] = ("wave", "industry", "size", "region", "export")

EVERYONE: tuple[str] = ("all",)
CREDIT = "credit"


def both_key(row: str, col: str) -> str:
    """The own n of a two-way table of `row` against `col`: firms with both scores."""
    return f"both:{row}:{col}"




def _kind_columns() -> dict[str, Any]:
    cols: dict[str, Any] = {"n": func.count()}
    cols.update({m: func.count(metric_column(m)) for m in ALL_METRICS})
    cols.update({priority_key(rec): count_if(priority_column(rec).in_(KNOWN_PRIORITIES))
                 for rec in RECOMMENDATIONS})
    cols[CREDIT] = count_if(Assessment.credit_constraint.in_(CREDIT_CLASSES))
    cols.update({both_key(r, c): count_if(and_(metric_column(r).is_not(None),
                                               metric_column(c).is_not(None)))
                 for r, c in CROSSTABS})
    return cols


def relaxations(filters: Filters) -> list[Filters]:
    """The view's filters without month bounds, then every relaxation of its equality
    filters. Demo "exclude" is never relaxed: it only drops made-up rows."""
    base = replace(filters, month_from=None, month_to=None)
    names = [f for f in EQUALITY_FILTERS if getattr(filters, f) is not None]
    if filters.demo == "only":
        names.append("demo")
    out = []
    for size in range(len(names) + 1):
        for dropped in combinations(names, size):
            changes: dict[str, Any] = {f: None for f in dropped if f != "demo"}
            if "demo" in dropped:
                changes["demo"] = "include"
            out.append(replace(base, **changes))
    return out


def _bases(industry: Any, size: Any, region: Any, wave: Any) -> Iterator[Hashable]:
    yield EVERYONE
    yield ("grid", industry, size)
    yield ("industry", industry)
    yield ("size", size)
    yield ("region", region)
    yield ("wave", wave)


def wider(base: Hashable) -> tuple[Hashable, ...]:
    """The bases a cell's own predicates relax to: its margins, and everyone."""
    if base == EVERYONE:
        return ()
    if isinstance(base, tuple) and base[0] == "grid":
        return (("industry", base[1]), ("size", base[2]), EVERYONE)
    return (EVERYONE,)


Counts = dict[tuple[Hashable, str], dict[str, int]]
"""Per (cell base, kind of number), the real firms counted in each month."""


def fold(result: Result[Any], bases: Callable[[Mapping[Any, Any]], Iterable[Hashable]],
         names: Sequence[str]) -> Counts:
    """Counts from a GROUP BY's result whose rows carry a `month` and the kinds as `k0`, `k1`,
    …: each row adds to every cell base it belongs to (`bases`, given the row by name), month
    by month. The kinds are read by position: a page folds some 10⁵ of them."""
    out: Counts = {}
    keys = list(result.keys())
    month_at = keys.index("month")
    labels = [(keys.index(f"k{i}"), name) for i, name in enumerate(names)]
    for row in result:
        month = str(row[month_at])
        row_bases = tuple(bases(row._mapping))
        for at, name in labels:
            value = row[at]
            if not value:
                continue
            for base in row_bases:
                months = out.setdefault((base, name), {})
                months[month] = months.get(month, 0) + int(value)
    return out


BASES: tuple[tuple[tuple[str, ...], Callable[[Mapping[Any, Any]], Hashable]], ...] = (
    ((), lambda row: EVERYONE),
    (("industry", "size_class"), lambda row: ("grid", row["industry"], row["size_class"])),
    (("industry",), lambda row: ("industry", row["industry"])),
    (("size_class",), lambda row: ("size", row["size_class"])),
    (("region",), lambda row: ("region", row["region"])),
    (("wave_id",), lambda row: ("wave", row["wave_id"])),
)
"""The cell bases of `_bases`, each with the cell dimensions it is grouped by: read from the
cells one GROUP BY per base (each at the smallest grain that holds it), so Python folds a few
hundred rows instead of every cell six times."""


def _cell_kinds() -> dict[str, tuple[str, ...]]:
    """The kinds of `_kind_columns` as cell measures: one column each, so the GROUP BYs of
    every relaxation read a couple of dozen columns, not the ~130 band and class cells they
    are the sums of."""
    out: dict[str, tuple[str, ...]] = {"n": ("n",)}
    out.update({m: (f"{m}__n",) for m in ALL_METRICS})
    out.update({priority_key(rec): (known_priority_key(rec),) for rec in RECOMMENDATIONS})
    out[CREDIT] = (CREDIT_ANY,)
    out.update({both_key(r, c): (both_scored_key(r, c),) for r, c in CROSSTABS})
    return out


def _cell_counts(filters: Filters, kinds: Mapping[str, tuple[str, ...]]) -> Counts:
    sums = {f"k{i}": names for i, names in enumerate(kinds.values())}
    out: Counts = {}
    for dims, base in BASES:
        stmt = cells.summed(sums, filters, (*dims, "month"), real_only=True)
        out.update(fold(db.session.execute(stmt), _one(base), list(kinds)))
    return out


def _one(base: Callable[[Mapping[Any, Any]], Hashable]
         ) -> Callable[[Mapping[Any, Any]], tuple[Hashable]]:
    return lambda row: (base(row),)


def _counts(filters: Filters, kinds: Mapping[str, Any]) -> Counts:
    a = Assessment
    stmt = filtered(a.industry, a.size_class, a.region, a.wave_id, a.month,
                    *(col.label(f"k{i}") for i, col in enumerate(kinds.values())),
                    filters=filters).where(a.is_demo.is_(False)).group_by(
        a.industry, a.size_class, a.region, a.wave_id, a.month)
    return fold(db.session.execute(stmt),
                lambda row: _bases(row["industry"], row["size_class"], row["region"],
                                   row["wave_id"]), list(kinds))


@dataclass(frozen=True)
class Guard:
    """Per cell of a view, the kinds of number the relaxation rule hides. Cells are keyed
    ("all",), ("grid", industry, size), ("industry", i), ("size", s), ("region", r),
    ("month", "YYYY-MM"), ("wave", id)."""

    failing: Mapping[Hashable, frozenset[str]] = field(default_factory=dict)

    def hides(self, cell: Hashable) -> frozenset[str]:
        return self.failing.get(cell, frozenset())

    def hides_kind(self, cell: Hashable, kind: str) -> bool:
        return kind in self.hides(cell)


NO_GUARD = Guard()


def guard_over(filters: Filters, counts_of: Callable[[Filters], Counts], min_group: int, *,
               kinds: Sequence[str] | None = None, month_cells: bool = False) -> Guard:
    """The relaxation rule over any view: `counts_of` counts the view's cells under one
    setting of the filters, and is called for every relaxation of them. `kinds` are the kinds
    of number checked (default: those the view has); `month_cells` adds a cell per month."""
    counts = [counts_of(f) for f in relaxations(filters)]
    view = counts[0]
    low, high = filters.month_from, filters.month_to
    cells: dict[Hashable, CellRange] = {base: CellRange(base, low, high, wider(base))
                                        for base, _ in view}
    if month_cells:
        months = {m for months in view.values() for m in months}
        cells.update({("month", m): CellRange(EVERYONE, m, m) for m in months
                      if CellRange(EVERYONE, low, high).covers(m)})
    names = list(kinds) if kinds is not None else sorted({name for _, name in view})
    return Guard(failing(cells, names, view, counts, min_group))


def guard(filters: Filters, min_group: int) -> Guard:
    """What the relaxation rule hides in the dashboard's view these filters select."""
    if cells.usable():
        sums = _cell_kinds()
        return guard_over(filters, lambda f: _cell_counts(f, sums), min_group,
                          kinds=list(sums), month_cells=True)
    kinds = _kind_columns()
    return guard_over(filters, lambda f: _counts(f, kinds), min_group, kinds=list(kinds),
                      month_cells=True)
