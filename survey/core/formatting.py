"""Aggregate numbers as text, one way everywhere (pure).

Tables, chart captions, hover labels, the brief and the data tables all call these, so one
number never reads "52" in one place and "53" in another. Means round half away from zero
(survey.core.rounding, the one rule) to whole numbers
(an SME's own score is truncated to its level band on purpose; a mean is not in a band, so it
is rounded). Shares are whole percents, with one decimal when a number would otherwise read as
0 % or 100 % without being it (5 of 3,006 is "0.2%", not "0%").
"""

from __future__ import annotations

from survey.core.rounding import half_up
from survey.core.stats import Interval, Mean, Share

NO_VALUE = "—"


def format_mean(x: float | None) -> str:
    return NO_VALUE if x is None else f"{half_up(x):.0f}"


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
    shown = half_up(p * 100, digits)
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
