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
from functools import lru_cache

from survey.core.rounding import half_up

Z95 = 1.96
"""The normal quantile of the Wilson intervals (the exact 1.95996… would change no shown
digit). Means use Student's t instead (`t_quantile`): at n = 10, 1.96 is 13 % narrower than
the 2.262 a sample of ten warrants."""

LEVEL = 0.95

LOW_PRECISION_N = 30
"""Below this n a mean or share is shown but marked low precision (DESIGN.md §2)."""



@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def as_list(self, digits: int = 4) -> list[float]:
        return [half_up(self.low, digits), half_up(self.high, digits)]


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
    """A mean from n, Σx and Σx², with mean ± t(0.975, n−1)·sd/√n (None when n < 2)."""

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


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (modified Lentz;
    Press et al., Numerical Recipes, §6.4), which converges fast for x < (a + 1)/(a + b + 2)."""
    tiny, eps = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """P(T ≤ t) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=4096)
def t_quantile(p: float, df: int) -> float:
    """The p-quantile of Student's t with `df` ≥ 1 degrees of freedom (p in (0, 1)).

    Pure Python, so the runtime needs no scipy: bisection on `t_cdf` to 1e-12, which the
    tests hold against published table values (t(0.975, 9) = 2.262157…).
    """
    if df < 1:
        raise ValueError(f"degrees of freedom {df} < 1")
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability {p} outside (0, 1)")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    while high - low > 1e-12 * max(1.0, high):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


def mean(
    n: int | None,
    total: float | None,
    total_sq: float | None,
    level: float = LEVEL,
    bounds: tuple[float, float] | None = (0.0, 100.0),
) -> Mean:
    """Mean and its interval from SQL sums, so no row ever needs to leave the database.

    The interval is Student's: mean ± t((1 + level)/2, n − 1)·sd/√n. A normal z would be too
    narrow for the small groups a segment breakdown produces (13 % at n = 10).

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
    half = t_quantile((1.0 + level) / 2.0, n - 1) * sd / math.sqrt(n)
    low, high = m - half, m + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Mean(n, m, sd, Interval(low, high))


@dataclass(frozen=True)
class Moments:
    """n, Σx and Σx² of one quantity over a group: what SQL sums, and what a mean and its t
    interval need. Adding two gives the union's."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.n + other.n, self.total + other.total,
                       self.total_sq + other.total_sq)

    def mean(self) -> Mean:
        return mean(self.n, self.total, self.total_sq)


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


def median_from_bins(counts: Sequence[int], edges: Sequence[float]) -> float | None:
    """The median of values counted in bins, interpolated linearly inside the bin holding the
    middle: bin 0 is below edges[0], bin k is [edges[k−1], edges[k]), the last is at or above
    edges[-1]. The two open bins have no width to spread over, so a middle falling in one
    reads as its edge. None when nothing is counted.

    The middle is the mean of the n/2-th and (n/2+1)-th values for an even n, as for an exact
    median; each is placed at the centre of its share of the bin (rank r of c values in a bin
    sits at lo + (r − ½)/c of the way), so values spread evenly across a bin give their exact
    median.
    """
    n = sum(counts)
    if n <= 0:
        return None

    def value(rank: int) -> float:
        below = 0
        for k, c in enumerate(counts):
            if c and below + c >= rank:
                if k == 0:
                    return float(edges[0])
                if k == len(edges):
                    return float(edges[-1])
                lo, hi = edges[k - 1], edges[k]
                return lo + (hi - lo) * (rank - below - 0.5) / c
            below += c
        return float(edges[-1])

    if n % 2:
        return value(n // 2 + 1)
    return (value(n // 2) + value(n // 2 + 1)) / 2
