"""The three scans everything else is summed from: by segment, by period, by level band.

Counting, summing and summing squares are additive, so one GROUP BY at the finest grain a page
needs answers every coarser question by addition in Python: the segment cube (industry × size ×
region) carries everything the headline numbers need too — threshold counts for level shares
and histogram bins, environment moments, demo counts — the time cube (month × wave ×
questionnaire version) carries the trends, and the band counts the two-way tables.

Each is read from the pre-aggregated cells (survey.queries.cells), so its cost follows the
number of cells, not of firms; the `*_scan` forms read the assessments themselves, for a
questionnaire the cells cannot answer and as the recomputation the tests hold the cells to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from survey.core.cells import (
    ALL_METRICS,
    BANDS,
    CAPABILITY_METRICS,
    CROSSTABS,
    ENV_METRICS,
    applies_key,
    credit_key,
    crosstab_key,
    ge_key,
)
from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES, METRICS
from survey.core.scoring import PRIORITIES_2027
from survey.extensions import db
from survey.models import Assessment
from survey.queries import cells
from survey.queries.base import (
    Group,
    applies_columns,
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


def thresholds(levels: Sequence[tuple[str, float]]) -> list[float]:
    """Every lower bound a share "at or above" is asked for: histogram edges and levels."""
    return sorted({float(e) for e in HISTOGRAM_EDGES[1:]} | {lo for _, lo in levels if lo > 0})


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


def _segment_counts(limits: Sequence[float]) -> list[str]:
    return (["n_demo", *(ge_key(m, t) for m in METRICS for t in limits)]
            + [applies_key(area) for area in AREAS] + [credit_key(c) for c in CREDIT_CLASSES])


def _group(key: Any, row: Any, counts: Sequence[str]) -> Group:
    return Group.from_row(key, row, ALL_METRICS, counts)


def segment_cells(filters: Filters) -> SegmentCells:
    if cells.usable():
        return _segment_from_cells(filters)
    return segment_scan(filters)


def _segment_from_cells(filters: Filters) -> SegmentCells:
    limits = thresholds(level_bands())
    counts = _segment_counts(limits)
    names = ["n", *counts, *(f"{m}__{p}" for m in ALL_METRICS for p in ("n", "s", "ss"))]
    names += [f"{rec}__{p}" for rec in RECOMMENDATIONS for p in PRIORITIES_2027]
    stmt = cells.summed(cells.plain(names), filters, ("industry", "size_class", "region"))
    return SegmentCells(tuple(
        _group((row["industry"], row["size_class"], row["region"]), row, counts)
        for row in db.session.execute(stmt).mappings()))


def segment_scan(filters: Filters) -> SegmentCells:
    """The segment cube read from the assessments themselves (what the cells must equal)."""
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
    if not cells.usable():
        return time_scan(filters)
    names = ["n", *(f"{m}__{p}" for m in METRICS for p in ("n", "s", "ss"))]
    stmt = cells.summed(cells.plain(names), filters,
                        ("month", "wave_id", "questionnaire_version"),
                        {"questionnaire_version": "version"})
    return tuple(
        TimeCell(str(row["month"]), row["wave_id"], str(row["version"]),
                 Group.from_row(None, row))
        for row in db.session.execute(stmt).mappings()
    )


def time_scan(filters: Filters) -> tuple[TimeCell, ...]:
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
    if cells.usable():
        return _bands_from_cells(filters)
    return band_scan(filters)


def _bands_from_cells(filters: Filters) -> tuple[BandCell, ...]:
    """The band combinations the cells count: each two-way table's pairs of bands, with the
    other columns unknown (each table reads only its own two)."""
    keys = {(r, c, i, j): crosstab_key(r, c, i, j) for r, c in CROSSTABS
            for i in range(len(BANDS)) for j in range(len(BANDS))}
    row = db.session.execute(cells.summed(cells.plain(list(keys.values())), filters)
                             ).mappings().one()
    return tuple(
        BandCell({**dict.fromkeys(BAND_COLUMNS), r: i, c: j}, int(row[name]))
        for (r, c, i, j), name in keys.items() if row[name])


def band_scan(filters: Filters) -> tuple[BandCell, ...]:
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
