"""Which numbers of a filtered view could be worked out by differencing with another view.

Pure (no Flask, no SQLAlchemy). survey.core.suppression protects the cells *within* one table;
this module protects them *across* filter settings. Every number a staff page or the API
publishes stands on its own set of firms (its "own n": the firms of the cell, under the
filters, that have that value), and every such set is a conjunction of one predicate per
dimension: industry, size, region, export status, wave (each "= value"), demo ("only" or not),
and a month range. Two published numbers on sets O₁ ⊋ O₂ give away the firms O₁ ∖ O₂; the
rule below keeps that difference either empty or at least `min_group` real firms.

The rule (the *relaxation rule*): a number on O is shown only if, for every *relaxation* of its
conjunction — any subset of its equality filters dropped, and its month range widened to any
wider range — the real firms added are none or at least `min_group`. Within the view's own
tables the cell's own dimensions are relaxed by survey.core.suppression (margins); here the
filters are, and a trend's month cell counts as the month range [m, m].

Why it holds: if O₂ is shown and O₁ = S(Q) ⊋ O₂ is the set of any other published number, Q
is a conjunction of the same dimensions whose every predicate holds for O₂'s firms; with Q's
predicates added to O₂'s own conjunction nothing changes (they hold for O₂), and dropping O₂'s
other predicates is a relaxation — so |O₁ ∖ O₂| is one of the differences checked for O₂ as
long as Q's predicates on O₂'s dimensions are relaxations of O₂'s. Where Q's predicate on a
dimension is not (Q names a value O₂'s filters do not), the test in
tests/queries/test_differencing.py checks the pair directly on seeded data.

Month widening needs only the nearest non-empty month on each side: widening only adds firms,
so if no firm is added inside the range, every wider range adds at least the nearest month's
firms; if that is 0 or ≥ `min_group`, so is every widening on that side (and both sides
together add at least as many as either).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Months = Mapping[str, int]
"""Real firms per month ("YYYY-MM") of one cell under one relaxation."""


@dataclass(frozen=True)
class CellRange:
    """A cell for the rule: the base cell whose month-resolved counts apply and the month
    range it covers (None: unbounded on that side)."""

    base: Hashable
    low: str | None
    high: str | None

    def covers(self, month: str) -> bool:
        return (self.low is None or month >= self.low) and (self.high is None
                                                            or month <= self.high)


def small(d: int, min_group: int) -> bool:
    return 0 < d < min_group


def fails(cell: CellRange, view: Months, relaxations: Iterable[Months],
          min_group: int) -> bool:
    """The relaxation rule for one number of one cell.

    `view` holds the real firms per month of the cell's base under the view's own equality
    filters (month bounds lifted); `relaxations` the same under each relaxation of them (the
    view itself included, for widening its months alone).
    """
    own = sum(v for m, v in view.items() if cell.covers(m))
    for counts in relaxations:
        added = sum(v for m, v in counts.items() if cell.covers(m)) - own
        if small(added, min_group):
            return True
        if added:
            continue
        before = [m for m, v in counts.items() if v and cell.low is not None and m < cell.low]
        after = [m for m, v in counts.items() if v and cell.high is not None and m > cell.high]
        if (before and small(counts[max(before)], min_group)) or (
                after and small(counts[min(after)], min_group)):
            return True
    return False


def failing(cells: Mapping[Hashable, CellRange], kinds: Sequence[str],
            view: Mapping[tuple[Hashable, str], Months],
            relaxations: Sequence[Mapping[tuple[Hashable, str], Months]],
            min_group: int) -> dict[Hashable, frozenset[str]]:
    """Per cell, the kinds of number (own n's: "n", a metric, "priority:<rec>", …) that the
    relaxation rule hides. Counts are keyed by (base cell, kind)."""
    out: dict[Hashable, frozenset[str]] = {}
    empty: dict[str, int] = {}
    for key, cell in cells.items():
        hit = frozenset(
            kind for kind in kinds
            if fails(cell, view.get((cell.base, kind), empty),
                     [r.get((cell.base, kind), empty) for r in relaxations], min_group))
        if hit:
            out[key] = hit
    return out
