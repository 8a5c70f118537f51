"""The headline numbers and the distributions of the filtered assessments.

Everything that is a count or a sum over the filtered set (n, means, shares at or above each
level, histogram bins) is summed from the segment cube (survey.queries.cube); a median, a
drop-out count and the band cube (for the two-way tables) follow. The number of statements
never depends on the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select

from .. import benchmarks
from ..benchmarks import ALL, Mean, Share
from ..extensions import db
from ..filters import Filters
from ..models import Assessment, Response, Wave
from ..questionnaire import AREAS
from .base import (
    METRICS,
    Group,
    Moments,
    count_if,
    filtered,
    level_bands,
)
from .cube import (
    HISTOGRAM_EDGES,
    HISTOGRAM_WIDTH,
    BandCell,
    SegmentCells,
    band_cells,
    ge_key,
    segment_cells,
)


@dataclass(frozen=True)
class LevelShare:
    level: str
    min: float
    at_or_above: Share


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    share: Share


@dataclass(frozen=True)
class MetricOverview:
    metric: str
    mean: Mean
    environment: Mean | None
    levels: tuple[LevelShare, ...]
    bins: tuple[Bin, ...]


@dataclass(frozen=True)
class Starters:
    """Drafts started but unfinished against submitted, among people who started.

    `available` is False when the filters name a segment (industry, size, region, export): a
    draft's profile is not stored flat, so its segment is unknown and a ratio would mislead.
    """

    available: bool
    drafts: int = 0
    submitted: int = 0
    dropout: Share | None = None


@dataclass(frozen=True)
class Overview:
    n: int
    n_demo: int
    hidden: bool
    metrics: Mapping[str, MetricOverview]
    durations_n: int
    median_duration: float | None
    starters: Starters


def overview(filters: Filters, min_group: int, cells: SegmentCells | None = None) -> Overview:
    """Headline numbers, summed from the segment cube (run here unless given)."""
    everyone = (cells or segment_cells(filters)).everyone
    levels = level_bands()
    n, durations = everyone.n, everyone.counts.get("durations", 0)
    hidden = n < min_group
    median = None if hidden else median_duration(filters, durations)
    metrics = {} if hidden else {m: _metric(everyone, m, levels) for m in METRICS}
    return Overview(n, everyone.counts.get("n_demo", 0), hidden, metrics, durations, median,
                    starters(filters, min_group))


def _metric(everyone: Group, m: str, levels: Sequence[tuple[str, float]]) -> MetricOverview:
    moments = everyone.metrics.get(m, Moments())
    scored = moments.n

    def at_least(t: float) -> int:
        return scored if t <= 0 else everyone.counts.get(ge_key(m, t), 0)

    level_shares = tuple(LevelShare(lid, lo, benchmarks.share(at_least(lo), scored))
                         for lid, lo in levels)
    bins = []
    for lo in HISTOGRAM_EDGES:
        hi = lo + HISTOGRAM_WIDTH
        count = at_least(lo) - (at_least(hi) if hi < 100 else 0)
        bins.append(Bin(lo, hi, benchmarks.share(count, scored)))
    env = everyone.metrics.get(f"{m}_env", Moments()).mean() if m in AREAS else None
    return MetricOverview(m, moments.mean(), env, level_shares, tuple(bins))


def median_duration(filters: Filters, count: int) -> float | None:
    """The median time to complete, portably: ORDER BY with OFFSET (no percentile_cont on
    SQLite); the middle two are averaged when the count is even."""
    if count == 0:
        return None
    col = Assessment.duration_seconds
    stmt = (filtered(col, filters=filters).where(col.is_not(None)).order_by(col)
            .offset((count - 1) // 2).limit(1 if count % 2 else 2))
    values = [float(v) for v in db.session.scalars(stmt)]
    return sum(values) / len(values) if values else None


def _month_start(month: str) -> dt.datetime:
    return dt.datetime(int(month[:4]), int(month[5:7]), 1)


def _next_month(month: str) -> dt.datetime:
    start = _month_start(month)
    return dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1)


def starters(filters: Filters, min_group: int) -> Starters:
    """Drop-out among starters: drafts / (drafts + submitted), by the day a response began.

    Filters on wave and months are read as "started within" (UTC timestamps against local
    months: off by at most a few hours at a month's edge). Demo filters apply as usual.
    """
    if filters.industry or filters.size or filters.region or filters.export:
        return Starters(available=False)
    r = Response
    stmt = select(count_if(r.status == "draft").label("drafts"),
                  count_if(r.status == "submitted").label("submitted")).select_from(r)
    if filters.demo == "exclude":
        stmt = stmt.where(r.is_demo.is_(False))
    elif filters.demo == "only":
        stmt = stmt.where(r.is_demo.is_(True))
    if filters.month_from:
        stmt = stmt.where(r.created_at >= _month_start(filters.month_from))
    if filters.month_to:
        stmt = stmt.where(r.created_at < _next_month(filters.month_to))
    if filters.wave is not None:
        wave = select(Wave).where(Wave.id == filters.wave).subquery()
        stmt = stmt.join(wave, and_(
            r.created_at >= wave.c.starts_on,
            or_(wave.c.ends_on.is_(None), func.date(r.created_at) <= wave.c.ends_on)))
    row = db.session.execute(stmt).mappings().one()
    drafts, submitted = int(row["drafts"]), int(row["submitted"])
    total = drafts + submitted
    dropout = benchmarks.share(drafts, total) if total >= min_group else None
    return Starters(True, drafts, submitted, dropout)


# --- Frequency tables --------------------------------------------------------------------


@dataclass(frozen=True)
class FreqTable:
    """Counts of a two-way table with its margins (key ALL); None marks a suppressed count."""

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    n: int
    hidden: bool
    counts: Mapping[tuple[Any, Any], int | None]

    def count(self, r: Any, c: Any) -> int | None:
        return self.counts.get((r, c))


def freq_table(cells: Mapping[tuple[Any, Any], int], size: int, min_group: int) -> FreqTable:
    idx = tuple(range(size))
    counts = benchmarks.augmented_counts(cells, idx, idx)
    hidden = benchmarks.suppress_table(cells, min_group, rows=idx, cols=idx)
    n = counts[(ALL, ALL)]
    return FreqTable(idx, idx, n, n < min_group,
                     {k: (None if k in hidden else v) for k, v in counts.items()})


def level_crosstab(filters: Filters, min_group: int, row_metric: str = "digital_technology",
                   col_metric: str = "financing",
                   bands: Sequence[BandCell] | None = None) -> FreqTable:
    """SMEs by level of one area (rows) against another (columns), both scored."""
    size = len(level_bands())
    cells: dict[tuple[Any, Any], int] = {}
    for b in band_cells(filters) if bands is None else bands:
        r, c = b.bands[row_metric], b.bands[col_metric]
        if r is not None and c is not None:
            cells[(r, c)] = cells.get((r, c), 0) + b.count
    return freq_table(cells, size, min_group)


def readiness_environment(filters: Filters, min_group: int,
                          bands: Sequence[BandCell] | None = None) -> dict[str, FreqTable]:
    """Per area, SMEs by readiness band (rows) against environment band (columns).

    Binned counts in SQL, never raw points: a scatter of a million dots is neither fast nor
    private. The bands are the level bands, so the rows read as levels.
    """
    bands = band_cells(filters) if bands is None else bands
    return {area: level_crosstab(filters, min_group, area, f"{area}_env", bands)
            for area in AREAS}
