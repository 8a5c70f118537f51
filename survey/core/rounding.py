"""The one rounding rule for every number shown or published: half away from zero, on decimals.

Python's round() rounds half to even, and on binary floats: round(2.675, 2) is 2.67 and
round(0.5) is 0. A reader checks a figure by hand the school way (2.675 → 2.68, 52.5 → 53,
−0.5 → −1), so scores, means, shares, medians, chart values, exports and the API all round here.

"On decimals" means the number is read as the decimal it stands for, not as its binary
approximation: a float is first turned into its shortest decimal form (repr), and a result of
arithmetic that carries binary noise beyond 12 significant digits (0.285 · 100 =
28.499999999999996) is first brought back to 12 significant digits, the decimal it was meant to
be, before the half-away rule applies. Decimals of up to 12 significant digits round exactly.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal

SIGNIFICANT = 12
"""Digits kept before rounding; beyond this a float's digits are representation noise."""

_CLEAN = Context(prec=SIGNIFICANT, rounding=ROUND_HALF_EVEN)


def to_decimal(x: float | int | Decimal) -> Decimal:
    """The decimal a number stands for (at most SIGNIFICANT significant digits)."""
    d = x if isinstance(x, Decimal) else Decimal(repr(float(x)) if isinstance(x, float)
                                                  else x)
    return _CLEAN.plus(d) if len(d.as_tuple().digits) > SIGNIFICANT else d


def round_decimal(x: float | int | Decimal, digits: int = 0) -> Decimal:
    """`x` rounded half away from zero to `digits` decimal places, as a Decimal."""
    d = to_decimal(x)
    quantum = Decimal(1).scaleb(-digits)
    return d.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=60))


def half_up(x: float | int | Decimal, digits: int = 0) -> float:
    """`x` rounded half away from zero to `digits` decimal places (2.675 → 2.68, 52.5 → 53,
    −0.5 → −1). Infinities and NaN pass through; −0.0 comes back as 0.0."""
    if isinstance(x, float) and not math.isfinite(x):
        return x
    return float(round_decimal(x, digits)) + 0.0


def half_up_optional(x: float | None, digits: int = 0) -> float | None:
    return None if x is None else half_up(x, digits)


def half_up_int(x: float | int | Decimal) -> int:
    """`x` rounded half away from zero to a whole number, as an int."""
    return int(round_decimal(x, 0))
