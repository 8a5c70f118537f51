"""Which numbers of a filtered view could be worked out by differencing with another view.

Pure (no Flask, no SQLAlchemy). survey.core.suppression protects the cells *within* one table;
this module protects them *across* filter settings. Every number a staff page or the API
publishes stands on its own set of firms (its "own n": the firms of the cell, under the
filters, that have that value), and every such set is a conjunction of one predicate per
dimension: industry, size, region, export status, wave (each "= value"), demo ("only" or not),
and a month range. Two published numbers on sets O₁ ⊋ O₂ give away the firms O₁ ∖ O₂; the
rule below keeps that difference either empty or at least `min_group` real firms.

The rule (the *relaxation rule*): a number on O is shown only if, for every *relaxation* of its
conjunction — any subset of its equality filters dropped, its cell's own keys relaxed (a grid
cell to its margins and everyone, any other cell to everyone), and its month span widened to
any wider range — the real firms added are none or at least `min_group`. That covers a margin
minus its own cell too, in real firms: survey.core.suppression counts demo rows as members,
so "west, demo excluded" minus "west and micro" could otherwise isolate a few real firms that
the demo rows padded within the table. The month span is that of
the months O's firms actually have, not the filter's bounds: a wave is a month range in
disguise, and a trend's month cell is the range [m, m].

Why it holds: if O₂ is shown and O₁ = S(Q) ⊋ O₂ is the set of any other published number, Q
is a conjunction of the same dimensions whose every predicate holds for O₂'s firms, so its
month range contains O₂'s span and its other predicates are O₂'s own or dropped — Q is one of
the relaxations checked for O₂ — as long as Q names no value that O₂'s conjunction leaves
open. Then only a coincidence of the data makes Q ⊇ O₂ (every exporter of the sample in the
west); tests/queries/test_differencing.py checks every pair on seeded data, that case too.

Month widening needs only the nearest non-empty month on each side: widening only adds firms,
so if a relaxation adds none inside the span, every wider range adds at least the nearest
month's firms; if that is 0 or ≥ `min_group`, so is every widening on that side (and both
sides together add at least as many as either).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

Months = Mapping[str, int]
"""Real firms per month ("YYYY-MM") of one cell under one relaxation."""


@dataclass(frozen=True)
class CellRange:
    """A cell for the rule: the base cell whose month-resolved counts apply, the month range
    it covers (None: unbounded on that side) and the bases its own predicates relax to (a
    grid cell to its industry, its size and everyone; a wave's cell to everyone)."""

    base: Hashable
    low: str | None
    high: str | None
    wider: tuple[Hashable, ...] = ()

    def covers(self, month: str) -> bool:
        return (self.low is None or month >= self.low) and (self.high is None
                                                            or month <= self.high)


def small(d: int, min_group: int) -> bool:
    return 0 < d < min_group


@dataclass(frozen=True)
class _Line:
    """One base cell's counts in month order, so a month range's total is two bisections: the
    rule sums some 10⁵ ranges a page, mostly of the same few hundred count maps."""

    counts: Months
    months: tuple[str, ...]
    running: tuple[int, ...]
    """running[i]: the firms of months[:i]."""
    present: tuple[str, ...]
    """The months with firms."""


def _line(counts: Months) -> _Line:
    months = tuple(sorted(counts))
    return _Line(counts, months, (0, *accumulate(counts[m] for m in months)),
                 tuple(m for m in months if counts[m]))


def _between(line: _Line, low: str | None, high: str | None) -> int:
    """The firms of the months from `low` to `high` (None: unbounded)."""
    i = 0 if low is None else bisect_left(line.months, low)
    j = len(line.months) if high is None else bisect_right(line.months, high)
    return line.running[j] - line.running[i] if j > i else 0


def fails(cell: CellRange, view: Months, relaxations: Iterable[Months],
          min_group: int) -> bool:
    """The relaxation rule for one number of one cell.

    `view` holds the real firms per month of the cell's base under the view's own equality
    filters (month bounds lifted); `relaxations` the same for each relaxation — of the
    filters, of the cell's own predicates, or both.

    The month range checked is the span of the months the cell's firms actually have, not
    only the filter's bounds: a wave is a range of months in disguise ("wave B" is "from
    April"), and "from February" minus "wave B" must not isolate a small March.
    """
    return _fails(cell, _line(view), [_line(c) for c in relaxations], min_group)


def _fails(cell: CellRange, view: _Line, relaxations: Iterable[_Line], min_group: int) -> bool:
    present = view.present
    i = 0 if cell.low is None else bisect_left(present, cell.low)
    j = len(present) if cell.high is None else bisect_right(present, cell.high)
    low, high = (present[i], present[j - 1]) if j > i else (cell.low, cell.high)
    own = _between(view, low, high)
    for line in relaxations:
        added = _between(line, low, high) - own
        if small(added, min_group):
            return True
        if added:
            continue
        # Nothing added inside the span: the nearest month with firms on either side decides.
        if low is not None:
            k = bisect_left(line.present, low)
            if k > 0 and small(line.counts[line.present[k - 1]], min_group):
                return True
        if high is not None:
            k = bisect_right(line.present, high)
            if k < len(line.present) and small(line.counts[line.present[k]], min_group):
                return True
    return False


def failing(cells: Mapping[Hashable, CellRange], kinds: Sequence[str],
            view: Mapping[tuple[Hashable, str], Months],
            relaxations: Sequence[Mapping[tuple[Hashable, str], Months]],
            min_group: int) -> dict[Hashable, frozenset[str]]:
    """Per cell, the kinds of number (own n's: "n", a metric, "priority:<rec>", …) that the
    relaxation rule hides. Counts are keyed by (base cell, kind); `relaxations[0]` is the
    view itself (month bounds lifted), the others relax its equality filters."""
    out: dict[Hashable, frozenset[str]] = {}
    empty = _line({})
    lines: dict[tuple[int, Hashable, str], _Line] = {}

    def line(i: int, counts: Mapping[tuple[Hashable, str], Months], key: tuple[Hashable, str]
             ) -> _Line:
        found = lines.get((i, *key))
        if found is None:
            months = counts.get(key)
            found = lines[(i, *key)] = empty if months is None else _line(months)
        return found

    for key, cell in cells.items():
        bases = (cell.base, *cell.wider)
        hit = frozenset(
            kind for kind in kinds
            if _fails(cell, line(-1, view, (cell.base, kind)),
                      [line(i, r, (b, kind)) for i, r in enumerate(relaxations) for b in bases],
                      min_group))
        if hit:
            out[key] = hit
    return out
