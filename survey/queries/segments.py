"""Readiness and recommendation demand by industry, size and region.

The segment cube (survey.queries.cube: one GROUP BY over industry, size class and region)
gives the finest cells with additive statistics; every breakdown the dashboard and the brief
show — industry × size, each dimension alone, everyone — is a sum of those cells, so the
numbers agree with each other and the statement count stays fixed. Suppression is decided once
per table, here, so a group hidden in one chart is hidden in every chart that shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from survey.core import suppression
from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.suppression import MARGIN
from survey.queries.base import Group, GroupStats, group_stats, own_counts
from survey.queries.cube import SegmentCells, segment_cells
from survey.queries.disclosure import EVERYONE, NO_GUARD, Guard
from survey.queries.filters import Filters

DIMENSIONS: tuple[str, ...] = ("industry", "size", "region")

K = TypeVar("K", bound=Hashable)


def line_hidden(counts: Mapping[K, int], min_group: int,
                forced: Collection[K] = (), total_forced: bool = False) -> frozenset[K]:
    """The members of a one-way line (whose total is shown) to hide, given some already hidden.

    Members already hidden (`forced`: their whole group is, or the relaxation rule of
    survey.core.disclosure hides them) stay hidden; then, as `suppression.suppress_line` does,
    members under `min_group` go, and more while the hidden members together are a small group
    (1 … min_group − 1) or one hidden member alone could be worked out from the total — the
    smallest shown member next. Used per number: a mean's own n (firms scored) or a share's
    (firms with a known priority) can be small inside a group that is not, and a total must
    not give it away. `total_forced`: the total is hidden for such a reason, so is every member.
    """
    hidden = set(forced) | set(suppression.suppress_line(counts, min_group, forced,
                                                         total_forced))
    while True:
        filled = [k for k in hidden if counts.get(k, 0) > 0]
        together = sum(counts[k] for k in filled)
        if not (0 < together < min_group or len(filled) == 1):
            return frozenset(hidden)
        shown = [k for k, v in counts.items() if k not in hidden and v > 0]
        if not shown:
            return frozenset(hidden)
        hidden.add(min(shown, key=lambda k: (counts[k], str(k))))


def numbers_hidden(groups: Mapping[Any, Group], keys: Sequence[Any], hidden: Collection[Any],
                   min_group: int, cell: Callable[[Any], Hashable] | None = None,
                   guard: Guard = NO_GUARD, total: Hashable = EVERYONE) -> dict[Any, set[str]]:
    """Per member of a line, the numbers to hide on their own n (see `line_hidden`), with
    those the relaxation rule hides (`guard`, on the member's cell key `cell(k)`) forced."""
    out: dict[Any, set[str]] = {k: set() for k in keys}
    own = {k: own_counts(groups[k]) if k in groups else {} for k in keys}
    names = {name for counts in own.values() for name in counts}
    for name in names:
        counts = {k: own[k].get(name, 0) for k in keys}
        forced = [k for k in keys
                  if k in hidden or (cell is not None and guard.hides_kind(cell(k), name))]
        for k in line_hidden(counts, min_group, forced, guard.hides_kind(total, name)):
            if k not in hidden:
                out[k].add(name)
    return out


def _ordered(keys: Iterable[Any], known: Sequence[str]) -> list[Any]:
    """Known categories in their natural order, then others alphabetically, then "not stated"."""
    keys = set(keys)
    head = [k for k in known if k in keys]
    rest = sorted(k for k in keys if k is not None and k not in known)
    return head + rest + ([None] if None in keys else [])


@dataclass(frozen=True)
class SegmentLine:
    """One dimension's groups (with the everyone total), suppressed as a one-way table."""

    dimension: str
    groups: tuple[GroupStats, ...]
    total: GroupStats

    def get(self, key: Any) -> GroupStats | None:
        return next((g for g in self.groups if g.key == key), None)


@dataclass(frozen=True)
class SegmentGrid:
    """Industry × size with row and column margins, suppressed as one two-way table."""

    rows: tuple[Any, ...]
    cols: tuple[Any, ...]
    cells: Mapping[tuple[Any, Any], GroupStats]
    row_totals: Mapping[Any, GroupStats]
    col_totals: Mapping[Any, GroupStats]
    total: GroupStats


def grid_cell(key: tuple[Any, Any]) -> Hashable:
    """The relaxation rule's key (survey.queries.disclosure) of a cell or margin of the
    industry × size grid."""
    r, c = key
    if r == MARGIN:
        return EVERYONE if c == MARGIN else ("size", c)
    return ("industry", r) if c == MARGIN else ("grid", r, c)


def grid(segments: SegmentCells, min_group: int, industries: Sequence[str] = (),
         guard: Guard = NO_GUARD) -> SegmentGrid:
    """The grid suppressed once for the groups (their n) and once per number on its own n
    (so a mean of 7 scored firms hidden in one cell cannot be had from its row's total), each
    time with what the relaxation rule hides forced."""
    groups = segments.by(lambda k: (k[0], k[1]))
    rows = _ordered((k[0] for k in groups), industries)
    cols = _ordered((k[1] for k in groups), SIZE_CLASSES)
    by_row = segments.by(lambda k: k[0])
    by_col = segments.by(lambda k: k[1])
    everyone = segments.everyone
    empty = Group(None)
    full: dict[tuple[Any, Any], Group] = {(r, c): groups.get((r, c), Group((r, c)))
                                          for r in rows for c in cols}
    full.update({(r, MARGIN): by_row.get(r, empty) for r in rows})
    full.update({(MARGIN, c): by_col.get(c, empty) for c in cols})
    full[(MARGIN, MARGIN)] = everyone

    def table(kind: str, counts: Mapping[tuple[Any, Any], int],
              already: Collection[tuple[Any, Any]] = ()) -> frozenset[tuple[Any, Any]]:
        forced = [k for k in full if k in already or guard.hides_kind(grid_cell(k), kind)]
        return suppression.suppress_table(
            {k: v for k, v in counts.items() if MARGIN not in k}, min_group, rows=rows,
            cols=cols, forced=forced)

    hidden = table("n", {k: g.n for k, g in full.items()})
    own = {k: own_counts(g) for k, g in full.items()}
    numbers: dict[tuple[Any, Any], set[str]] = {k: set() for k in full}
    for kind in own[(MARGIN, MARGIN)]:
        for k in table(kind, {k: o.get(kind, 0) for k, o in own.items()}, hidden):
            numbers[k].add(kind)
    stats = {k: group_stats(g, k in hidden, min_group, numbers[k]) for k, g in full.items()}
    return SegmentGrid(
        tuple(rows), tuple(cols),
        {(r, c): stats[(r, c)] for r in rows for c in cols},
        {r: stats[(r, MARGIN)] for r in rows},
        {c: stats[(MARGIN, c)] for c in cols},
        stats[(MARGIN, MARGIN)],
    )


def line(segments: SegmentCells, dimension: str, min_group: int,
         known: Sequence[str] = (), guard: Guard = NO_GUARD) -> SegmentLine:
    index = DIMENSIONS.index(dimension)
    groups = segments.by(lambda k: k[index])
    keys = _ordered(groups, known)
    everyone = segments.everyone
    hidden = line_hidden({k: groups[k].n for k in keys}, min_group,
                         [k for k in keys if guard.hides_kind((dimension, k), "n")],
                         guard.hides_kind(EVERYONE, "n"))
    numbers = numbers_hidden(groups, keys, hidden, min_group, lambda k: (dimension, k), guard)
    return SegmentLine(
        dimension,
        tuple(group_stats(groups[k], k in hidden, min_group, numbers[k]) for k in keys),
        group_stats(everyone, everyone.n < min_group or guard.hides_kind(EVERYONE, "n"),
                    min_group, guard.hides(EVERYONE)),
    )


@dataclass(frozen=True)
class Segments:
    """Every segment breakdown of one filtered set, suppressed consistently.

    The industry and size lines are the margins of the industry × size grid (so a margin the
    grid hides is hidden everywhere); the region line is its own one-way table.
    """

    grid: SegmentGrid
    industry: SegmentLine
    size: SegmentLine
    region: SegmentLine

    def lines(self) -> tuple[SegmentLine, ...]:
        return (self.size, self.region, self.industry)


def segments(filters: Filters, min_group: int, industries: Sequence[str] = (),
             cells: SegmentCells | None = None, guard: Guard = NO_GUARD) -> Segments:
    cells = cells or segment_cells(filters)
    g = grid(cells, min_group, industries, guard)
    return Segments(
        g,
        SegmentLine("industry", tuple(g.row_totals[r] for r in g.rows), g.total),
        SegmentLine("size", tuple(g.col_totals[c] for c in g.cols), g.total),
        line(cells, "region", min_group, REGIONS, guard),
    )
