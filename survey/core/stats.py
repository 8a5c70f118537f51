"""Honest numbers from counts and sums: intervals, precision flags and joint ranks.

Pure by design (no Flask, no SQLAlchemy): the SQL layer hands over counts, sums and sums of
squares, and what a sceptical reader asks about — "how sure is that share?", "is the first
recommendation really ahead of the second?" — is decided here (whether a group is big enough
to show is survey.core.suppression's), where it can be tested exhaustively with made-up numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.96
"""The normal quantile of DESIGN.md's "± 1.96·sd/√n"; the same z for Wilson keeps both kinds
of interval at one stated level (the exact 1.95996… would change no shown digit)."""

LOW_PRECISION_N = 30
"""Below this n a mean or share is shown but marked low precision (DESIGN.md §2)."""



@dataclass(frozen=True)
class Interval:
    low: float
    high: float

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
