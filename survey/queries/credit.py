"""Credit-constraint classes among the filtered SMEs, for everyone and by size class.

Method 2027.1 stores each firm's class (World Bank Enterprise Surveys: no need, not, partially
or fully constrained, unknown; `survey.core.indicators`); rows scored by method 2026.1 have
none and are in no denominator. The counts come from the segment cube (no statement of their
own); suppression follows the other charts: a group is hidden when fewer than the minimum
group (but some) have a class, and more by size so that the total cannot give a hidden size
away (sizes hidden in the segment tables stay hidden here too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.core import stats as benchmarks
from survey.core.cells import credit_key
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.stats import Share
from survey.queries.base import Group
from survey.queries.cube import SegmentCells
from survey.queries.disclosure import CREDIT, EVERYONE, NO_GUARD, Guard
from survey.queries.segments import SegmentLine, line_hidden


@dataclass(frozen=True)
class ClassShares:
    """One group's shares of each class, among its SMEs that have a class; a hidden group
    carries no numbers, not even its n."""

    key: Any
    n: int | None
    shares: Mapping[str, Share]
    hidden: bool

    @property
    def low_precision(self) -> bool:
        return self.n is not None and benchmarks.low_precision(self.n)


@dataclass(frozen=True)
class CreditConstraint:
    """`total` over the whole selection (key None), `by_size` per size class (key None: size
    not stated); `unclassified`: SMEs of the selection without a class (scored by method
    2026.1), None when the total is hidden (it would give the total's n away)."""

    total: ClassShares
    by_size: tuple[ClassShares, ...]
    unclassified: int | None


def class_counts(group: Group) -> dict[str, int]:
    return {cls: group.counts.get(credit_key(cls), 0) for cls in CREDIT_CLASSES}


def _shares(key: Any, counts: Mapping[str, int], hidden: bool) -> ClassShares:
    if hidden:
        return ClassShares(key, None, {}, True)
    n = sum(counts.values())
    return ClassShares(key, n, {cls: benchmarks.share(counts[cls], n) for cls in CREDIT_CLASSES},
                       False)


def credit_constraint(cells: SegmentCells, size_line: SegmentLine,
                      min_group: int, guard: Guard = NO_GUARD) -> CreditConstraint:
    everyone = cells.everyone
    total_counts = class_counts(everyone)
    n = sum(total_counts.values())
    total_hidden = 0 < n < min_group or (n > 0 and guard.hides_kind(EVERYONE, CREDIT))
    by_size = cells.by(lambda k: k[1])
    keys = [g.key for g in size_line.groups]
    counts = {k: class_counts(by_size[k]) if k in by_size else dict.fromkeys(CREDIT_CLASSES, 0)
              for k in keys}
    hidden = line_hidden({k: sum(c.values()) for k, c in counts.items()}, min_group,
                         [g.key for g in size_line.groups
                          if g.hidden or guard.hides_kind(("size", g.key), CREDIT)],
                         total_hidden)
    return CreditConstraint(
        _shares(None, total_counts, total_hidden),
        tuple(_shares(k, counts[k], total_hidden or k in hidden) for k in keys),
        None if total_hidden else everyone.n - n,
    )
