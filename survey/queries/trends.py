"""Readiness over time: by survey wave and by month, with questionnaire-version breaks.

A change of questionnaire can move scores by itself, so a trend line must say where the
instrument changed: each period lists the versions it holds, and a period whose versions differ
from the previous shown period's starts a break. Both trends are summed from the time cube
(survey.queries.cube), one scan for the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.models import Wave
from survey.queries.base import Group, GroupStats, group_stats, total
from survey.queries.cube import TimeCell, time_cells
from survey.queries.disclosure import EVERYONE, NO_GUARD, Guard
from survey.queries.filters import Filters
from survey.queries.segments import line_hidden, numbers_hidden


@dataclass(frozen=True)
class Period:
    key: Any
    label: str
    versions: tuple[str, ...]
    stats: GroupStats
    break_before: bool

    @property
    def mixed(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class Trend:
    kind: str
    periods: tuple[Period, ...]
    n: int

    @property
    def breaks(self) -> int:
        return sum(1 for p in self.periods if p.break_before or p.mixed)


def _build(kind: str, parts: Mapping[Any, tuple[str, list[tuple[str, Group]]]],
           order: list[Any], min_group: int, guard: Guard = NO_GUARD) -> Trend:
    """Periods suppressed as a line whose total is shown (the selection's n), for the group
    and per number, with what the relaxation rule hides (cells ("month", m), ("wave", id))
    forced."""
    groups = {k: total((g for _, g in parts[k][1]), key=k) for k in order}
    hidden = line_hidden({k: groups[k].n for k in order}, min_group,
                         [k for k in order if guard.hides_kind((kind, k), "n")],
                         guard.hides_kind(EVERYONE, "n"))
    numbers = numbers_hidden(groups, order, hidden, min_group, lambda k: (kind, k), guard)
    periods: list[Period] = []
    previous: tuple[str, ...] | None = None
    for k in order:
        versions = tuple(sorted({v for v, _ in parts[k][1]}))
        brk = previous is not None and versions != previous
        periods.append(Period(k, parts[k][0], versions,
                              group_stats(groups[k], k in hidden, min_group, numbers[k]), brk))
        previous = versions
    return Trend(kind, tuple(periods), sum(g.n for g in groups.values()))


def by_month(filters: Filters, min_group: int,
             cells: Sequence[TimeCell] | None = None, guard: Guard = NO_GUARD) -> Trend:
    parts: dict[Any, tuple[str, list[tuple[str, Group]]]] = {}
    for c in time_cells(filters) if cells is None else cells:
        parts.setdefault(c.month, (c.month, []))[1].append((c.version, c.group))
    return _build("month", parts, sorted(parts), min_group, guard)


def by_wave(filters: Filters, min_group: int,
            cells: Sequence[TimeCell] | None = None, guard: Guard = NO_GUARD) -> Trend:
    """Waves in date order; assessments outside every wave form a last "no wave" period."""
    waves = {int(i): (str(name), start) for i, name, start in db.session.execute(
        select(Wave.id, Wave.name, Wave.starts_on))}
    parts: dict[Any, tuple[str, list[tuple[str, Group]]]] = {}
    for c in time_cells(filters) if cells is None else cells:
        label = waves.get(c.wave_id, ("", None))[0] if c.wave_id is not None else ""
        parts.setdefault(c.wave_id, (label, []))[1].append((c.version, c.group))
    order = sorted(parts, key=lambda k: (k is None, str(waves.get(k, ("", ""))[1] or ""),
                                         k or 0))
    return _build("wave", parts, order, min_group, guard)


def wave_choices() -> list[tuple[int, str]]:
    """(id, name) of every wave, newest first, for the filter form."""
    return [(int(i), str(n)) for i, n in db.session.execute(
        select(Wave.id, Wave.name).order_by(Wave.starts_on.desc(), Wave.id.desc()))]
