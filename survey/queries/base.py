"""Building blocks shared by the aggregate queries: columns, moments, level bands.

Every statistic the dashboards show is additive in SQL — a count, a sum and a sum of squares —
so groups can be summed into margins in Python without going back to the database, and the
interval maths (survey.core.stats) needs nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from survey.core import stats as benchmarks
from survey.core.cells import (
    applies_key,
)
from survey.core.needs import KNOWN_PRIORITIES
from survey.core.questionnaire import RECOMMENDATIONS, QuestionnaireError, load_questionnaire
from survey.core.questionnaire.schema import AREAS, METRICS
from survey.core.scoring import PRIORITIES_2027
from survey.core.stats import Moments
from survey.models import Assessment
from survey.queries.filters import Filters

NOT_APPLICABLE = "not_applicable"
UNKNOWN = "unknown"
_NOT_APPLICABLE_SQL: ColumnElement[str] = literal_column(f"'{NOT_APPLICABLE}'")
"""Inlined, like `number`: the same CASE must read the same in SELECT and GROUP BY."""

DEFAULT_LEVELS: tuple[tuple[str, float], ...] = (
    ("beginner", 0.0), ("emerging", 20.0), ("developing", 40.0), ("established", 60.0),
    ("leading", 80.0),
)


def applies(area: str) -> ColumnElement[bool]:
    """The area applies to the firm: its status is not `not_applicable` (rows stored without
    a status — method 2026.1, where every area applied — count as applying)."""
    status = getattr(Assessment, f"{area}_status")
    return or_(status.is_(None), status != _NOT_APPLICABLE_SQL)


def _where_applicable(area: str, col: Any) -> Any:
    """The column where the area applies, NULL elsewhere: an area's means and shares are
    among the firms for which it applies, whatever a row holds beside a not_applicable."""
    return case((applies(area), col))


def score_column(metric: str) -> Any:
    col = getattr(Assessment, f"{metric}_score")
    return col if metric not in AREAS else _where_applicable(metric, col)


def env_column(area: str) -> Any:
    return _where_applicable(area, getattr(Assessment, f"{area}_env"))


def capability_column(area: str) -> Any:
    return _where_applicable(area, getattr(Assessment, f"{area}_capability"))


def metric_column(metric: str) -> Any:
    """The column behind a name of ALL_METRICS ("financing", "financing_cap", …)."""
    if metric.endswith("_cap"):
        return capability_column(metric.removesuffix("_cap"))
    if metric.endswith("_env"):
        return env_column(metric.removesuffix("_env"))
    return score_column(metric)


def priority_column(rec: str) -> Any:
    return getattr(Assessment, f"priority_{rec}")


def level_bands() -> tuple[tuple[str, float], ...]:
    """(level id, lower bound) of the current questionnaire, lowest first.

    Levels are data, not code; the DESIGN defaults stand in only if the data file cannot be
    read, so a broken deploy still shows its dashboard rather than a 500.
    """
    try:
        q = load_questionnaire()
    except QuestionnaireError:
        return DEFAULT_LEVELS
    return tuple((lv.id, lv.min) for lv in q.levels)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """COUNT of rows meeting a condition, as SUM(CASE …) so SQLite and PostgreSQL agree."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def band_expr(col: Any, bounds: Sequence[float]) -> ColumnElement[Any]:
    """The index of the half-open band [bounds[i], bounds[i+1]) holding the value (NULL stays
    NULL); the top band is closed so 100 falls in it."""
    whens: list[tuple[Any, Any]] = [(col.is_(None), None)]
    whens += [(col >= number(lo), literal_column(str(i)))
              for i, lo in reversed(list(enumerate(bounds))) if i > 0]
    return case(*whens, else_=literal_column("0"))


def number(x: float) -> ColumnElement[Any]:
    """A constant written into the SQL text rather than bound.

    PostgreSQL binds parameters server-side, so a CASE with bound thresholds in the SELECT list
    and the "same" CASE in GROUP BY are different expressions to it; inlined constants match.
    """
    return literal_column(repr(float(x)))


def moment_columns(col: Any, prefix: str) -> list[ColumnElement[Any]]:
    return [
        func.count(col).label(f"{prefix}__n"),
        func.sum(col).label(f"{prefix}__s"),
        func.sum(col * col).label(f"{prefix}__ss"),
    ]


def priority_columns(prefix: str = "") -> list[ColumnElement[Any]]:
    """Counts of each priority of each recommendation, `not_applicable` (method 2027.1) too."""
    return [count_if(priority_column(rec) == p).label(f"{prefix}{rec}__{p}")
            for rec in RECOMMENDATIONS for p in PRIORITIES_2027]


def applies_columns() -> list[ColumnElement[Any]]:
    """Per area, how many firms it applies to (the n its shares and means are among)."""
    return [count_if(applies(area)).label(applies_key(area)) for area in AREAS]


def moments_from_row(row: Mapping[Any, Any], prefix: str) -> Moments:
    return Moments(int(row[f"{prefix}__n"] or 0), float(row[f"{prefix}__s"] or 0.0),
                   float(row[f"{prefix}__ss"] or 0.0))


Priorities = dict[str, dict[str, int]]


def priorities_from_row(row: Mapping[Any, Any], prefix: str = "") -> Priorities:
    return {rec: {p: int(row[f"{prefix}{rec}__{p}"] or 0) for p in PRIORITIES_2027}
            for rec in RECOMMENDATIONS}


def add_priorities(a: Priorities, b: Priorities) -> Priorities:
    return {rec: {p: a.get(rec, {}).get(p, 0) + b.get(rec, {}).get(p, 0)
                  for p in PRIORITIES_2027}
            for rec in RECOMMENDATIONS}


@dataclass(frozen=True)
class Group:
    """Additive statistics of one group of assessments (a segment, a period, everyone).

    `metrics` holds moments by name (the scores, and "<area>_env" where asked for), `counts`
    plain additive counts ("n_demo", "<metric>__ge_<threshold>").
    """

    key: Any
    n: int = 0
    metrics: Mapping[str, Moments] = field(default_factory=dict)
    priorities: Priorities = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)

    def __add__(self, other: Group) -> Group:
        return Group(
            self.key, self.n + other.n,
            {m: self.metrics.get(m, Moments()) + other.metrics.get(m, Moments())
             for m in self.metrics.keys() | other.metrics.keys()},
            add_priorities(self.priorities, other.priorities)
            if self.priorities or other.priorities else {},
            {c: self.counts.get(c, 0) + other.counts.get(c, 0)
             for c in self.counts.keys() | other.counts.keys()},
        )

    @classmethod
    def from_row(cls, key: Any, row: Mapping[Any, Any], metrics: Iterable[str] = METRICS,
                 counts: Iterable[str] = ()) -> Group:
        return cls(key, int(row["n"] or 0),
                   {m: moments_from_row(row, m) for m in metrics},
                   priorities_from_row(row) if f"{RECOMMENDATIONS[0]}__high" in row else {},
                   {c: int(row[c] or 0) for c in counts})


def total(groups: Iterable[Group], key: Any = None) -> Group:
    """The groups added up, in one pass (adding them pairwise would build a Group per step)."""
    n = 0
    sums: dict[str, list[float]] = {m: [0, 0.0, 0.0] for m in METRICS}
    prios: dict[str, dict[str, int]] = {}
    counts: dict[str, int] = {}
    for g in groups:
        n += g.n
        for m, mo in g.metrics.items():
            acc = sums.setdefault(m, [0, 0.0, 0.0])
            acc[0] += mo.n
            acc[1] += mo.total
            acc[2] += mo.total_sq
        for rec, by_priority in g.priorities.items():
            into = prios.setdefault(rec, {})
            for p, k in by_priority.items():
                into[p] = into.get(p, 0) + k
        for name, v in g.counts.items():
            counts[name] = counts.get(name, 0) + v
    priorities = ({rec: {p: prios.get(rec, {}).get(p, 0) for p in PRIORITIES_2027}
                   for rec in RECOMMENDATIONS} if prios else {})
    return Group(key, n, {m: Moments(int(a[0]), a[1], a[2]) for m, a in sums.items()},
                 priorities, counts)


def filtered(*columns: Any, filters: Filters) -> Any:
    """SELECT the columns FROM assessments, narrowed by the staff filters."""
    return filters.apply(select(*columns).select_from(Assessment))


@dataclass(frozen=True)
class GroupStats:
    """A group as shown: its n and intervals, or nothing at all when it is suppressed.

    A hidden group carries no numbers — not even its n — so no template, chart or CSV can leak
    what suppression hid. Inside a shown group, a number is hidden on its own n too (a mean of
    7 scored firms in a group of 25; high-priority shares among 4 firms a recommendation
    applies to): its name is in `hidden_metrics` ("overseas_markets", "priority:<rec>") and
    it is missing from `means` / `priorities`.

    High, medium and low priority shares are among the firms whose priority for the
    recommendation is known (`known`, keyed by recommendation): method 2027.1's
    `not_applicable` and the `unknown` (too few linked questions answered) are in no such
    denominator. The `unknown` share stands apart, among the firms the recommendation applies
    to (`applicable`, keyed by recommendation and by area).
    """

    key: Any
    n: int | None
    means: Mapping[str, benchmarks.Mean]
    priorities: Mapping[str, Mapping[str, benchmarks.Share]]
    hidden: bool
    applicable: Mapping[str, int] = field(default_factory=dict)
    hidden_metrics: frozenset[str] = frozenset()
    known: Mapping[str, int] = field(default_factory=dict)

    @property
    def low_precision(self) -> bool:
        return self.n is not None and benchmarks.low_precision(self.n)

    def mean(self, metric: str) -> benchmarks.Mean | None:
        return None if self.hidden else self.means.get(metric)

    def share(self, rec: str, priority: str = "high") -> benchmarks.Share | None:
        return None if self.hidden else self.priorities.get(rec, {}).get(priority)

    def is_hidden(self, name: str) -> bool:
        """The group, or this one number of it ("financing", "priority:<rec>"), is hidden."""
        return self.hidden or name in self.hidden_metrics

    def priority_hidden(self, rec: str) -> bool:
        """The priority shares of `rec` are hidden (the group, or their own n)."""
        return self.is_hidden(priority_key(rec))


def priority_key(rec: str) -> str:
    return f"priority:{rec}"


def known_count(counts: Mapping[str, int]) -> int:
    """Firms with a known priority (high, medium or low): the denominator of those shares."""
    return sum(counts.get(p, 0) for p in KNOWN_PRIORITIES)


def own_counts(group: Group) -> dict[str, int]:
    """The n behind each number of a group: every mean's (its scored firms), and each
    recommendation's firms with a known priority (the denominator of its priority shares)."""
    out = {m: mo.n for m, mo in group.metrics.items()}
    for rec, counts in group.priorities.items():
        out[priority_key(rec)] = known_count(counts)
    return out


def group_stats(group: Group, hidden: bool, min_group: int = 0,
                also_hidden: Iterable[str] = ()) -> GroupStats:
    """A group as shown. Numbers whose own n is 1 … min_group − 1, and those in `also_hidden`
    (hidden so that a total cannot give them away), are left out and listed as hidden."""
    if hidden:
        return GroupStats(group.key, None, {}, {}, True)
    own = own_counts(group)
    hide = {name for name, n in own.items() if 0 < n < min_group} | set(also_hidden)
    means = {m: group.metrics.get(m, Moments()).mean()
             for m in (*METRICS, *(m for m in group.metrics if m not in METRICS))
             if m not in hide}
    shown_recs = [rec for rec in group.priorities if priority_key(rec) not in hide]
    applicable = {rec: group.n - group.priorities[rec].get(NOT_APPLICABLE, 0)
                  for rec in shown_recs}
    prios = {
        rec: {**{p: benchmarks.share(group.priorities[rec].get(p, 0), own[priority_key(rec)])
                 for p in KNOWN_PRIORITIES},
              UNKNOWN: benchmarks.share(group.priorities[rec].get(UNKNOWN, 0), applicable[rec])}
        for rec in shown_recs
    }
    known = {rec: own[priority_key(rec)] for rec in shown_recs}
    applicable_all: dict[str, int] = dict(applicable)
    applicable_all.update({area: group.counts[applies_key(area)] for area in AREAS
                           if applies_key(area) in group.counts})
    return GroupStats(group.key, group.n, means, prios, False, applicable_all,
                      frozenset(h for h in hide if h in own), known)
