"""Building blocks shared by the aggregate queries: columns, moments, level bands.

Every statistic the dashboards show is additive in SQL — a count, a sum and a sum of squares —
so groups can be summed into margins in Python without going back to the database, and the
interval maths (survey.core.stats) needs nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from survey.core import stats as benchmarks
from survey.core.questionnaire import RECOMMENDATIONS, QuestionnaireError, load_questionnaire
from survey.core.questionnaire.schema import METRICS
from survey.core.scoring import PRIORITIES
from survey.models import Assessment
from survey.queries.filters import Filters

"""The scores aggregated everywhere: the overall score and the three area scores."""

DEFAULT_LEVELS: tuple[tuple[str, float], ...] = (
    ("beginner", 0.0), ("emerging", 20.0), ("developing", 40.0), ("established", 60.0),
    ("leading", 80.0),
)


def score_column(metric: str) -> Any:
    return getattr(Assessment, f"{metric}_score")


def env_column(area: str) -> Any:
    return getattr(Assessment, f"{area}_env")


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
    return [count_if(priority_column(rec) == p).label(f"{prefix}{rec}__{p}")
            for rec in RECOMMENDATIONS for p in PRIORITIES]


@dataclass(frozen=True)
class Moments:
    """n, Σx and Σx² of one score over a group; adding two gives the union's."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.n + other.n, self.total + other.total,
                       self.total_sq + other.total_sq)

    def mean(self) -> benchmarks.Mean:
        return benchmarks.mean(self.n, self.total, self.total_sq)

    @classmethod
    def from_row(cls, row: Mapping[Any, Any], prefix: str) -> Moments:
        return cls(int(row[f"{prefix}__n"] or 0), float(row[f"{prefix}__s"] or 0.0),
                   float(row[f"{prefix}__ss"] or 0.0))


Priorities = dict[str, dict[str, int]]


def priorities_from_row(row: Mapping[Any, Any], prefix: str = "") -> Priorities:
    return {rec: {p: int(row[f"{prefix}{rec}__{p}"] or 0) for p in PRIORITIES}
            for rec in RECOMMENDATIONS}


def add_priorities(a: Priorities, b: Priorities) -> Priorities:
    return {rec: {p: a.get(rec, {}).get(p, 0) + b.get(rec, {}).get(p, 0) for p in PRIORITIES}
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
                   {m: Moments.from_row(row, m) for m in metrics},
                   priorities_from_row(row) if f"{RECOMMENDATIONS[0]}__high" in row else {},
                   {c: int(row[c] or 0) for c in counts})


def total(groups: Iterable[Group], key: Any = None) -> Group:
    out = Group(key, 0, {m: Moments() for m in METRICS}, {})
    for g in groups:
        out = out + g
    return Group(key, out.n, out.metrics, out.priorities, out.counts)


def filtered(*columns: Any, filters: Filters) -> Any:
    """SELECT the columns FROM assessments, narrowed by the staff filters."""
    return filters.apply(select(*columns).select_from(Assessment))


@dataclass(frozen=True)
class GroupStats:
    """A group as shown: its n and intervals, or nothing at all when it is suppressed.

    A hidden group carries no numbers — not even its n — so no template, chart or CSV can leak
    what suppression hid.
    """

    key: Any
    n: int | None
    means: Mapping[str, benchmarks.Mean]
    priorities: Mapping[str, Mapping[str, benchmarks.Share]]
    hidden: bool

    @property
    def low_precision(self) -> bool:
        return self.n is not None and benchmarks.low_precision(self.n)


def group_stats(group: Group, hidden: bool) -> GroupStats:
    if hidden:
        return GroupStats(group.key, None, {}, {}, True)
    means = {m: group.metrics.get(m, Moments()).mean() for m in METRICS}
    prios = {
        rec: {p: benchmarks.share(counts.get(p, 0), group.n) for p in PRIORITIES}
        for rec, counts in group.priorities.items()
    }
    return GroupStats(group.key, group.n, means, prios, False)
