"""Honest numbers from counts and sums: intervals, precision flags, suppression, joint ranks.

Pure by design (no Flask, no SQLAlchemy): the SQL layer hands over counts, sums and sums of
squares, and everything a sceptical reader asks about — "how sure is that share?", "is that
group big enough to show?", "is the first recommendation really ahead of the second?" — is
decided here, where it can be tested exhaustively with made-up numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from survey.core.suppression import (
    MARGIN,
    Cell,
    augmented_counts,
    determined,
    leaks,
    recoverable_lines,
    suppress_line,
    suppress_table,
    table_lines,
)

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


# --- Aggregate numbers as text ----------------------------------------------------------
#
# One set of functions turns every aggregate (a mean score, a share, their intervals) into
# text — tables, chart captions, hover labels, the brief and the data tables all call them, so
# one number never reads "52" in one place and "53" in another. Means round half up to whole
# numbers (an SME's own score is truncated to its level band on purpose; a mean is not in a
# band, so it is rounded). Shares are whole percents, with one decimal when a number would
# otherwise read as 0 % or 100 % without being it (5 of 3,006 is "0.2%", not "0%").

NO_VALUE = "—"


def round_half_up(x: float, digits: int = 0) -> float:
    """0.5 rounds up (Python's round() goes to even, and binary fractions such as 0.285·100 =
    28.4999… would round down); the epsilon only mends representation error."""
    scale = 10.0 ** digits
    return math.floor(x * scale + 0.5 + 1e-9) / scale


def format_mean(x: float | None) -> str:
    return NO_VALUE if x is None else f"{round_half_up(x):.0f}"


def format_mean_range(iv: Interval | None) -> str:
    return NO_VALUE if iv is None else f"{format_mean(iv.low)}–{format_mean(iv.high)}"


def share_digits(*values: float | None) -> int:
    """1 when any of the numbers shown together lies strictly between 0 % and 1 % or between
    99 % and 100 %, where whole percents would print a false 0 % or 100 %; else 0."""
    return 1 if any(v is not None and (0 < v < 0.01 or 0.99 < v < 1) for v in values) else 0


def format_percent(p: float | None, digits: int = 0) -> str:
    """A fraction as a percent: exact 0 and 1 stay "0%" and "100%"; a non-zero share too small
    to show at `digits` reads "<0.1%" rather than "0.0%"."""
    if p is None:
        return NO_VALUE
    if p <= 0 or p >= 1:
        return f"{p * 100:.0f}%"
    shown = round_half_up(p * 100, digits)
    if shown == 0:
        return f"<{10 ** -digits:g}%"
    if shown >= 100:
        return f">{100 - 10 ** -digits:g}%"
    return f"{shown:.{digits}f}%"


def format_share(s: Share | None) -> str:
    if s is None or s.value is None:
        return NO_VALUE
    iv = s.interval
    return format_percent(s.value, share_digits(s.value, *(iv.low, iv.high) if iv else ()))


def format_share_range(s: Share | None) -> str:
    if s is None or s.value is None or s.interval is None:
        return NO_VALUE
    iv = s.interval
    digits = share_digits(s.value, iv.low, iv.high)
    return f"{format_percent(iv.low, digits)}–{format_percent(iv.high, digits)}"


def describe_mean(m: Mean | None) -> str:
    """"53 (52–54)": the mean and its 95 % interval, as every page writes it."""
    if m is None or m.value is None:
        return NO_VALUE
    return format_mean(m.value) + (f" ({format_mean_range(m.interval)})" if m.interval else "")


def describe_share(s: Share | None) -> str:
    """"0.2% (0.1%–0.4%)": the share and its 95 % interval, as every page writes it."""
    if s is None or s.value is None:
        return NO_VALUE
    return format_share(s) + (f" ({format_share_range(s)})" if s.interval else "")


# Suppression (survey.core.suppression) is re-exported: callers import everything from here.
__all__ = [
    "MARGIN", "Z95", "Cell", "Interval", "LOW_PRECISION_N", "Mean", "NO_VALUE", "Ranked", "Share",
    "augmented_counts", "describe_mean", "describe_share", "determined", "format_mean",
    "format_mean_range", "format_percent", "format_share", "format_share_range",
    "joint_ranks", "leaks", "low_precision", "mean", "recoverable_lines", "round_half_up",
    "share", "share_digits", "suppress_line", "suppress_table", "table_lines", "wilson",
]
