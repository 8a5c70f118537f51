"""Staff numbers of the programme directory as shown: n, intervals, suppression (pure).

Per programme: firms shown it (matched), the share of them that asked to be contacted, the
share that came back for a follow-up, and among those the share with a higher overall score.
A share is shown only when its own n reaches the minimum group, as on the dashboard.

T0 → T1: the mean change of the overall score by segment and by whether the firm asked to be
contacted about a programme, with t intervals and the dashboard's table suppression (so a
hidden cell cannot be recovered from a margin). This is an association: firms that ask for
help, and firms that come back, choose to — no number here is the effect of a programme.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.stats import Mean, Moments, Share, mean, share
from survey.core.suppression import MARGIN, suppress_table


@dataclass(frozen=True)
class Counts:
    matched: int
    asked: int
    came_back: int
    higher: int


@dataclass(frozen=True)
class ProgrammeNumbers:
    matched: int | None
    asked: Share | None
    came_back: Share | None
    higher: Share | None

    @property
    def hidden(self) -> bool:
        return self.matched is None


def programme_numbers(c: Counts | None, min_group: int,
                      hides: frozenset[str] = frozenset()) -> ProgrammeNumbers:
    """A programme's numbers, each hidden below `min_group` firms of its own n or where the
    relaxation rule says another filter setting could difference it (`hides`: the kinds
    "matched" and "came_back")."""
    if c is None or c.matched == 0:
        return ProgrammeNumbers(0, None, None, None)
    if c.matched < min_group or "matched" in hides:
        return ProgrammeNumbers(None, None, None, None)
    shown_back = c.came_back >= min_group and "came_back" not in hides
    return ProgrammeNumbers(
        c.matched, share(c.asked, c.matched), share(c.came_back, c.matched),
        share(c.higher, c.came_back) if shown_back else None)


@dataclass(frozen=True)
class ChangeTable:
    """Mean change per (segment, asked) cell and margins (MARGIN keys); None = hidden."""

    rows: tuple[Hashable, ...]
    cols: tuple[bool, ...]
    cells: Mapping[tuple[Hashable, Hashable], Mean | None]

    def cell(self, row: Hashable, col: Hashable) -> Mean | None:
        return self.cells.get((row, col))


def change_table(cells: Mapping[Any, Moments], rows: Sequence[Hashable],
                 min_group: int) -> ChangeTable:
    cols: tuple[bool, ...] = (True, False)
    moments: dict[tuple[Hashable, Hashable], Moments] = {}
    for (r, c), m in cells.items():
        for key in ((r, c), (r, MARGIN), (MARGIN, c), (MARGIN, MARGIN)):
            moments[key] = moments.get(key, Moments()) + m
    counts: dict[tuple[Hashable, Hashable], int] = {
        (r, c): m.n for (r, c), m in cells.items()}
    hidden = suppress_table(counts, min_group, rows=list(rows), cols=list(cols))
    out: dict[tuple[Hashable, Hashable], Mean | None] = {}
    for key, m in moments.items():
        out[key] = None if key in hidden or m.n == 0 else mean(
            m.n, m.total, m.total_sq, bounds=(-100.0, 100.0))
    return ChangeTable(tuple(rows), cols, out)
