"""Honest numbers from counts and sums: intervals, precision flags, suppression, joint ranks.

Pure by design (no Flask, no SQLAlchemy): the SQL layer hands over counts, sums and sums of
squares, and everything a sceptical reader asks about — "how sure is that share?", "is that
group big enough to show?", "is the first recommendation really ahead of the second?" — is
decided here, where it can be tested exhaustively with made-up numbers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

Z95 = 1.96
"""The normal quantile of DESIGN.md's "± 1.96·sd/√n"; the same z for Wilson keeps both kinds
of interval at one stated level (the exact 1.95996… would change no shown digit)."""

LOW_PRECISION_N = 30
"""Below this n a mean or share is shown but marked low precision (DESIGN.md §2)."""

ALL = "__all__"
"""The key of a margin (row or column total) in a suppressed table."""

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def as_list(self, digits: int = 4) -> list[float]:
        return [round(self.low, digits), round(self.high, digits)]


@dataclass(frozen=True)
class Share:
    """k of n, with its Wilson interval (None when n is 0)."""

    count: int
    n: int
    value: float | None
    interval: Interval | None

    @property
    def low_precision(self) -> bool:
        return low_precision(self.n)


@dataclass(frozen=True)
class Mean:
    """A mean from n, Σx and Σx², with mean ± z·sd/√n (None when n < 2)."""

    n: int
    value: float | None
    sd: float | None
    interval: Interval | None

    @property
    def low_precision(self) -> bool:
        return low_precision(self.n)


def low_precision(n: int) -> bool:
    return n < LOW_PRECISION_N


def wilson(count: int, n: int, z: float = Z95) -> Interval | None:
    """Wilson score interval for count/n.

    Wilson rather than the textbook p ± z·√(p(1−p)/n) because SME samples per segment are small
    and shares are often near 0 or 1, where the textbook interval leaves [0, 1] or collapses to
    a point (0/10 would claim certainty).
    """
    if n <= 0:
        return None
    if not 0 <= count <= n:
        raise ValueError(f"count {count} outside 0..{n}")
    p = count / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return Interval(low, high)


def share(count: int | None, n: int | None) -> Share:
    count, n = int(count or 0), int(n or 0)
    return Share(count, n, count / n if n else None, wilson(count, n))


def mean(
    n: int | None,
    total: float | None,
    total_sq: float | None,
    z: float = Z95,
    bounds: tuple[float, float] | None = (0.0, 100.0),
) -> Mean:
    """Mean and its interval from SQL sums, so no row ever needs to leave the database.

    The sample variance (Σx² − (Σx)²/n)/(n − 1) can come out a hair below zero from rounding
    when all values are equal; it is clamped at zero. `bounds` clip the interval to the scale
    (a score interval never claims 103).
    """
    n = int(n or 0)
    if n == 0 or total is None:
        return Mean(n, None, None, None)
    m = float(total) / n
    if n < 2 or total_sq is None:
        return Mean(n, m, None, None)
    var = max(0.0, (float(total_sq) - float(total) * float(total) / n) / (n - 1))
    sd = math.sqrt(var)
    half = z * sd / math.sqrt(n)
    low, high = m - half, m + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Mean(n, m, sd, Interval(low, high))


@dataclass(frozen=True)
class Ranked:
    key: str
    rank: int
    joint: bool


def joint_ranks(items: Sequence[tuple[str, float | None, Interval | None]]) -> list[Ranked]:
    """Rank estimates so that only differences the intervals support count.

    An item's rank is 1 + the number of items whose whole interval lies above its own: two
    recommendations whose intervals overlap are not told apart by the data. `joint` marks an
    item whose interval overlaps another's, so "1st" is never claimed for a coin toss.
    Items without an estimate rank last, in the given order.
    """
    known = [(k, v, iv) for k, v, iv in items if v is not None]
    out: list[Ranked] = []
    for key, value, iv in sorted(known, key=lambda kvi: -(kvi[1] or 0.0)):
        lo = iv.low if iv else value
        hi = iv.high if iv else value
        above = 0
        joint = False
        for other, ov, oiv in known:
            if other == key:
                continue
            olo = oiv.low if oiv else ov
            ohi = oiv.high if oiv else ov
            assert olo is not None and ohi is not None and lo is not None and hi is not None
            if olo > hi:
                above += 1
            if olo <= hi and lo <= ohi:
                joint = True
        out.append(Ranked(key, 1 + above, joint))
    last = len(known) + 1
    out.extend(Ranked(k, last, False) for k, v, _ in items if v is None)
    return out


# --- Small-group suppression -------------------------------------------------------------

Cell = tuple[Hashable, Hashable]


def _sort_key(key: Any) -> tuple[int, str]:
    return (1, "") if key is None else (0, str(key))


def table_lines(
    rows: Sequence[Hashable], cols: Sequence[Hashable], *, row_totals: bool, col_totals: bool
) -> list[list[Cell]]:
    """Every set of cells bound by "these add up to that shown total", totals included.

    A table is seen with its margins: cell (r, ALL) is row r's total, (ALL, c) column c's and
    (ALL, ALL) the grand total. A line is a row or column of that augmented table; in each
    line the last member is the sum of the others, so one hidden member alone can be recovered.
    """
    lines: list[list[Cell]] = []
    if row_totals:
        lines += [[(r, c) for c in cols] + [(r, ALL)] for r in rows]
    if col_totals:
        lines += [[(r, c) for r in rows] + [(ALL, c)] for c in cols]
    if row_totals and len(rows) > 1:
        margins: list[Cell] = [(r, ALL) for r in rows]
        lines.append(margins + [(ALL, ALL)])
    if col_totals and len(cols) > 1:
        col_margins: list[Cell] = [(ALL, c) for c in cols]
        lines.append(col_margins + [(ALL, ALL)])
    return lines


def augmented_counts(
    cells: Mapping[Cell, int], rows: Sequence[Hashable], cols: Sequence[Hashable]
) -> dict[Cell, int]:
    out: dict[Cell, int] = {}
    for r in rows:
        for c in cols:
            out[(r, c)] = int(cells.get((r, c), 0))
    for r in rows:
        out[(r, ALL)] = sum(out[(r, c)] for c in cols)
    for c in cols:
        out[(ALL, c)] = sum(out[(r, c)] for r in rows)
    out[(ALL, ALL)] = sum(out[(r, ALL)] for r in rows)
    return out


def suppress_table(
    cells: Mapping[Cell, int],
    min_group: int,
    *,
    rows: Sequence[Hashable] | None = None,
    cols: Sequence[Hashable] | None = None,
    row_totals: bool = True,
    col_totals: bool = True,
) -> frozenset[Cell]:
    """The cells (and margins, keyed with ALL) to hide so no small group shows or leaks.

    Primary: every non-empty cell or margin with fewer than `min_group` members. Secondary:
    while some line (see `table_lines`) has exactly one hidden member, the line's total would
    give it away by subtraction, so its smallest other non-empty member is hidden too (cells
    before margins on ties). Empty cells are never hidden — "nobody" is not a group — and the
    grand total never is unless the whole table is below `min_group`, in which case everything
    non-empty is hidden.
    """
    rows = list(rows) if rows is not None else sorted({r for r, _ in cells}, key=_sort_key)
    cols = list(cols) if cols is not None else sorted({c for _, c in cells}, key=_sort_key)
    counts = augmented_counts(cells, rows, cols)
    if counts[(ALL, ALL)] < min_group:
        return frozenset(k for k, v in counts.items() if v > 0)
    lines = table_lines(rows, cols, row_totals=row_totals, col_totals=col_totals)
    shown_margins = {k for line in lines for k in line if ALL in k}
    hidden = {
        k for k, v in counts.items()
        if 0 < v < min_group and (ALL not in k or k in shown_margins)
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for k in line if k in hidden) != 1:
                continue
            candidates = [k for k in line
                          if k not in hidden and counts[k] > 0 and k != (ALL, ALL)]
            if not candidates:
                candidates = [k for k in line if k not in hidden and counts[k] > 0]
            if not candidates:
                continue
            best = min(candidates, key=lambda k: (counts[k], ALL in k,
                                                   _sort_key(k[0]), _sort_key(k[1])))
            hidden.add(best)
            changed = True
    return frozenset(hidden)


def suppress_line(counts: Mapping[K, int], min_group: int) -> frozenset[K]:
    """The categories of a one-way table (whose total is shown) to hide."""
    cells: dict[Cell, int] = {(0, k): v for k, v in counts.items()}
    cols = sorted(counts, key=_sort_key)
    hidden = suppress_table(cells, min_group, rows=[0], cols=cols, row_totals=True,
                            col_totals=False)
    return frozenset(k for r, k in hidden if r == 0 and k != ALL)  # type: ignore[misc]


def recoverable_lines(
    hidden: Iterable[Cell],
    rows: Sequence[Hashable],
    cols: Sequence[Hashable],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> list[list[Cell]]:
    """Lines with exactly one hidden member: what suppression must never leave behind."""
    hidden = set(hidden)
    return [line for line in table_lines(rows, cols, row_totals=row_totals,
                                         col_totals=col_totals)
            if sum(1 for k in line if k in hidden) == 1]
