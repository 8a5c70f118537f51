"""The two scans everything else is summed from: by segment, and by period.

Counting, summing and summing squares are additive, so one GROUP BY at the finest grain a page
needs answers every coarser question by addition in Python: the segment cube (industry × size ×
region) carries everything the headline numbers need too — threshold counts for level shares
and histogram bins, environment moments, demo counts — and the time cube (month ×
wave × questionnaire version) carries the trends. Two table scans instead of one per chart is
what keeps the dashboard usable at a million rows on SQLite, whose GROUP BY sorts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from survey.core.questionnaire import AREAS
from survey.core.questionnaire.schema import CREDIT_CLASSES, METRICS
from survey.extensions import db
from survey.models import Assessment
from survey.queries.base import (
    CAPABILITY_METRICS,
    ENV_METRICS,
    Group,
    applies_columns,
    applies_key,
    band_expr,
    count_if,
    filtered,
    level_bands,
    metric_column,
    moment_columns,
    priority_columns,
    score_column,
    total,
)
from survey.queries.filters import Filters

HISTOGRAM_WIDTH = 10
HISTOGRAM_EDGES: tuple[int, ...] = tuple(range(0, 100, HISTOGRAM_WIDTH))


def credit_key(cls: str) -> str:
    """The count of SMEs in one credit-constraint class (rows of method 2026.1 have none)."""
    return f"credit__{cls}"


def thresholds(levels: Sequence[tuple[str, float]]) -> list[float]:
    """Every lower bound a share "at or above" is asked for: histogram edges and levels."""
    return sorted({float(e) for e in HISTOGRAM_EDGES[1:]} | {lo for _, lo in levels if lo > 0})


def ge_key(metric: str, threshold: float) -> str:
    return f"{metric}__ge_{str(float(threshold)).replace('.', '_')}"


@dataclass(frozen=True)
class SegmentCells:
    """The finest cells (industry, size, region) of the filtered assessments."""

    cells: tuple[Group, ...]

    def by(self, key: Any) -> dict[Any, Group]:
        out: dict[Any, list[Group]] = {}
        for g in self.cells:
            out.setdefault(key(g.key), []).append(g)
        return {k: total(v, key=k) for k, v in out.items()}

    @property
    def everyone(self) -> Group:
        return total(self.cells)


def segment_cells(filters: Filters) -> SegmentCells:
    a = Assessment
    limits = thresholds(level_bands())
    counts = ["n_demo"]
    cols: list[Any] = [a.industry, a.size_class, a.region, func.count().label("n"),
                       count_if(a.is_demo.is_(True)).label("n_demo")]
    for m in METRICS:
        col = score_column(m)
        cols += moment_columns(col, m)
        for t in limits:
            cols.append(count_if(col >= t).label(ge_key(m, t)))
            counts.append(ge_key(m, t))
    for m in (*CAPABILITY_METRICS, *ENV_METRICS):
        cols += moment_columns(metric_column(m), m)
    cols += priority_columns()
    cols += applies_columns()
    counts += [applies_key(area) for area in AREAS]
    for cls in CREDIT_CLASSES:
        cols.append(count_if(a.credit_constraint == cls).label(credit_key(cls)))
        counts.append(credit_key(cls))
    stmt = filtered(*cols, filters=filters).group_by(a.industry, a.size_class, a.region)
    return SegmentCells(tuple(
        Group.from_row((row["industry"], row["size_class"], row["region"]), row,
                       (*METRICS, *CAPABILITY_METRICS, *ENV_METRICS), counts)
        for row in db.session.execute(stmt).mappings()
    ))


@dataclass(frozen=True)
class TimeCell:
    month: str
    wave_id: int | None
    version: str
    group: Group


def time_cells(filters: Filters) -> tuple[TimeCell, ...]:
    a = Assessment
    cols: list[Any] = [a.month, a.wave_id, a.questionnaire_version.label("version"),
                       func.count().label("n")]
    for m in METRICS:
        cols += moment_columns(score_column(m), m)
    stmt = filtered(*cols, filters=filters).group_by(a.month, a.wave_id,
                                                     a.questionnaire_version)
    return tuple(
        TimeCell(str(row["month"]), row["wave_id"], str(row["version"]),
                 Group.from_row(None, row))
        for row in db.session.execute(stmt).mappings()
    )


CROSSTAB_AREAS: tuple[str, ...] = ("digital_technology", "financing")
"""The two area scores the level cross-tab sets against each other."""
BAND_COLUMNS: tuple[str, ...] = (*CROSSTAB_AREAS, *CAPABILITY_METRICS, *ENV_METRICS)


@dataclass(frozen=True)
class BandCell:
    """How many SMEs share one combination of level bands (None: that score is missing)."""

    bands: dict[str, int | None]
    count: int


def band_cells(filters: Filters) -> tuple[BandCell, ...]:
    """One GROUP BY over the bands of the two cross-tabbed area scores and of every area's
    capability and environment, from which the level cross-tab and the capability-against-
    environment tables are summed: one scan for four tables. Bands are the level bands
    (thresholds written into the SQL, so PostgreSQL sees the same expression in SELECT and
    GROUP BY)."""
    bounds = [lo for _, lo in level_bands()]
    exprs = [band_expr(score_column(a), bounds).label(a) for a in CROSSTAB_AREAS]
    exprs += [band_expr(metric_column(m), bounds).label(m)
              for m in (*CAPABILITY_METRICS, *ENV_METRICS)]
    stmt = filtered(*exprs, func.count().label("k"), filters=filters).group_by(*exprs)
    return tuple(
        BandCell({c: None if row[c] is None else int(row[c]) for c in BAND_COLUMNS},
                 int(row["k"]))
        for row in db.session.execute(stmt).mappings()
    )
