"""The policy brief's key findings, decided from estimates and their intervals (pure).

A reader of a brief remembers its first three sentences, so those must never claim more than
the sample can carry. Each finding here compares the estimate it is about with what it is set
against — the largest need with the runner-up, the segment furthest behind with all firms, the
scheme that reaches fewest of the firms that know it with the next one — and says it only when
their 95 % intervals do not overlap (the same test as survey.core.stats.joint_ranks). Where
they overlap it says how many more responses would separate them at the gap seen so far.

"How many more": an interval's half-width shrinks with √n when the spread stays the same.
If both half-widths facing each other add up to h and the gap between the estimates is d,
the intervals stop overlapping once every n is multiplied by k > (h / d)²; with the new
responses in the same mix as those so far, the selection needs n·(k − 1) more. Wilson and t
intervals are not exactly proportional to 1/√n (the t quantile falls a little too), so this
is an estimate, rounded up to two significant digits and always written "about".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from survey.core.stats import Interval

CLEAR = "clear"
"""The intervals do not overlap: the finding can be stated."""
UNSEPARATED = "unseparated"
"""The intervals overlap: the data cannot yet separate the two (`more` says how far off)."""
NO_DIFFERENCE = "no_difference"
"""The two estimates are equal: no number of responses in the same mix would separate them."""
TOO_FEW = "too_few"
"""Fewer than two estimates to compare are shown (too few firms, or withheld)."""

NEED, BEHIND, SCHEME = "need", "behind", "scheme"
REACH, AWARENESS = "reach", "awareness"


@dataclass(frozen=True)
class Estimate:
    """A share or a mean with its 95 % interval and its own n; `value` None when hidden."""

    key: str
    value: float | None
    interval: Interval | None
    n: int | None = None

    @property
    def low(self) -> float:
        assert self.value is not None
        return self.interval.low if self.interval else self.value

    @property
    def high(self) -> float:
        assert self.value is not None
        return self.interval.high if self.interval else self.value


@dataclass(frozen=True)
class Finding:
    """One key finding: `subject` (what the sentence is about) set against `other`.

    `status` is one of CLEAR, UNSEPARATED, NO_DIFFERENCE, TOO_FEW; `more` the responses
    needed to separate them (UNSEPARATED only); `withheld` how many candidates were hidden
    (too few firms, or protecting one) and so not considered; `measure` what a scheme finding
    compares (REACH or AWARENESS)."""

    kind: str
    status: str
    subject: Estimate | None = None
    other: Estimate | None = None
    more: int | None = None
    withheld: int = 0
    measure: str | None = None


def overlap(a: Estimate, b: Estimate) -> bool:
    """Whether two intervals share a point (touching counts: joint_ranks' rule)."""
    return a.low <= b.high and b.low <= a.high


def about(n: float) -> int:
    """`n` rounded up to two significant digits (1,234 → 1,300; 87 → 87): a planning
    figure, which rounding down would understate."""
    whole = math.ceil(n - 1e-9)
    if whole < 100:
        return max(whole, 0)
    step = int(10 ** (len(str(whole)) - 2))
    return math.ceil(whole / step) * step


def more_responses(a: Estimate, b: Estimate, n: int) -> int | None:
    """More responses, on top of the selection's `n`, after which a's and b's intervals would
    no longer overlap (same spread, same mix; see the module docstring): 0 when they do not
    overlap now, None when the estimates are equal (no n separates them) or either is hidden."""
    if a.value is None or b.value is None:
        return None
    high, low = (a, b) if a.value >= b.value else (b, a)
    gap = high.value - low.value  # type: ignore[operator]
    if gap <= 0:
        return None
    if not overlap(a, b):
        return 0
    facing = (high.value - high.low) + (low.high - low.value)  # type: ignore[operator]
    factor = (facing / gap) ** 2
    return max(1, about(n * (factor - 1)))


def compare(kind: str, subject: Estimate, other: Estimate, n: int, withheld: int = 0,
            measure: str | None = None) -> Finding:
    """The finding about `subject` against `other`: CLEAR, or why it cannot be said."""
    if subject.value is None or other.value is None:
        return Finding(kind, TOO_FEW, subject, other, withheld=withheld, measure=measure)
    if not overlap(subject, other):
        return Finding(kind, CLEAR, subject, other, withheld=withheld, measure=measure)
    more = more_responses(subject, other, n)
    status = NO_DIFFERENCE if more is None else UNSEPARATED
    return Finding(kind, status, subject, other, more, withheld, measure)


def _shown(estimates: Sequence[Estimate]) -> tuple[list[Estimate], int]:
    shown = [e for e in estimates if e.value is not None]
    return shown, len(estimates) - len(shown)


def largest_need(recommendations: Sequence[Estimate], n: int) -> Finding:
    """The recommendation with the largest share of high priority, against the runner-up.

    Equal shares keep the given order (the report's), and the finding then says the data show
    no difference rather than naming one of them."""
    shown, withheld = _shown(recommendations)
    if len(shown) < 2:
        return Finding(NEED, TOO_FEW, shown[0] if shown else None, withheld=withheld)
    first, second = sorted(shown, key=lambda e: -(e.value or 0.0))[:2]
    return compare(NEED, first, second, n, withheld)


def furthest_behind(segments: Sequence[Estimate], everyone: Estimate, n: int,
                    withheld: int = 0) -> Finding:
    """The shown segment with the lowest mean overall score, against all firms."""
    shown, hidden = _shown(segments)
    withheld += hidden
    if not shown or everyone.value is None:
        return Finding(BEHIND, TOO_FEW, None, everyone, withheld=withheld)
    lowest = min(shown, key=lambda e: e.value or 0.0)
    return compare(BEHIND, lowest, everyone, n, withheld)


@dataclass(frozen=True)
class SchemeFunnel:
    """A support scheme's first funnel steps: `aware` among the firms asked, and `reach`, the
    share of the firms that knew it that received it (the drop from aware to received)."""

    key: str
    aware: Estimate
    reach: Estimate


def weakest_scheme(schemes: Sequence[SchemeFunnel], n: int) -> Finding:
    """The scheme with the largest drop from aware to received — the lowest reach — against
    the next lowest; where fewer than two schemes show a reach, the one with the lowest
    awareness against the next."""
    for measure in (REACH, AWARENESS):
        estimates = [s.reach if measure == REACH else s.aware for s in schemes]
        shown, withheld = _shown(estimates)
        if len(shown) >= 2:
            first, second = sorted(shown, key=lambda e: e.value or 0.0)[:2]
            return compare(SCHEME, first, second, n, withheld, measure)
    shown, withheld = _shown([s.aware for s in schemes])
    return Finding(SCHEME, TOO_FEW, shown[0] if shown else None, withheld=withheld,
                   measure=AWARENESS if schemes else None)
