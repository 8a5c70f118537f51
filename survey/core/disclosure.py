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

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

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


def _total(counts: Months, cell: CellRange) -> int:
    """`cell.covers` inlined: the rule runs this some 10⁵ times a page."""
    low, high = cell.low, cell.high
    return sum(v for m, v in counts.items()
               if (low is None or m >= low) and (high is None or m <= high))


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
    inside = [m for m, v in view.items() if v and cell.covers(m)]
    span = CellRange(cell.base, min(inside), max(inside)) if inside else cell
    own = _total(view, span)
    for counts in relaxations:
        added = _total(counts, span) - own
        if small(added, min_group):
            return True
        if added:
            continue
        before = [m for m, v in counts.items() if v and span.low is not None and m < span.low]
        after = [m for m, v in counts.items() if v and span.high is not None and m > span.high]
        if (before and small(counts[max(before)], min_group)) or (
                after and small(counts[min(after)], min_group)):
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
    empty: dict[str, int] = {}
    for key, cell in cells.items():
        bases = (cell.base, *cell.wider)
        hit = frozenset(
            kind for kind in kinds
            if fails(cell, view.get((cell.base, kind), empty),
                     [r.get((b, kind), empty) for r in relaxations for b in bases],
                     min_group))
        if hit:
            out[key] = hit
    return out
