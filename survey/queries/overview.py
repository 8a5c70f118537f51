"""The headline numbers and the distributions of the filtered assessments.

Everything that is a count or a sum over the filtered set (n, means, shares at or above each
level, histogram bins) is summed from the segment cube (survey.queries.cube); a median, a
drop-out count and the band cube (for the two-way tables) follow. The number of statements
never depends on the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping, and_, case, func, or_, select

from survey.aggregates import ResponseStart
from survey.core import stats as benchmarks
from survey.core import suppression
from survey.core.cells import (
    DURATION_EDGES,
    DURATION_KEYS,
    EXACT_MEDIAN_MAX,
    WEB_TIMED,
    applies_key,
    ge_key,
)
from survey.core.questionnaire import AREAS
from survey.core.questionnaire.schema import METRICS
from survey.core.stats import Mean, Moments, Share, median_from_bins
from survey.core.suppression import MARGIN
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.queries import cells
from survey.queries.base import (
    Group,
    count_if,
    filtered,
    level_bands,
)
from survey.queries.cells import WEB
from survey.queries.cube import (
    HISTOGRAM_EDGES,
    HISTOGRAM_WIDTH,
    BandCell,
    SegmentCells,
    band_cells,
    segment_cells,
)
from survey.queries.disclosure import EVERYONE, NO_GUARD, Guard, both_key
from survey.queries.filters import Filters


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
    """One score over the filtered set: its mean, level shares and histogram among the firms
    it was computed for; an area's among the firms it applies to (`applicable` of `n`, method
    2027.1's `not_applicable` in no denominator), with its capability and environment beside.

    `hidden`: fewer than the minimum group have this score (its own n), so no number of it is
    given — not even through the capability or the environment, whose n is at most its own.
    """

    metric: str
    mean: Mean
    environment: Mean | None
    levels: tuple[LevelShare, ...]
    bins: tuple[Bin, ...]
    capability: Mean | None = None
    applicable: int | None = None
    hidden: bool = False
    n_all: int = 0

    @property
    def not_applicable(self) -> int:
        """Firms in the selection the area does not apply to (0 for the overall score)."""
        return 0 if self.applicable is None else self.n_all - self.applicable


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
    median_estimated: bool = False
    """The median time is estimated from binned durations (over EXACT_MEDIAN_MAX of them)."""


def overview(filters: Filters, min_group: int, cells: SegmentCells | None = None,
             guard: Guard = NO_GUARD) -> Overview:
    """Headline numbers, summed from the segment cube (run here unless given); hidden, or a
    score's numbers hidden, also where the relaxation rule (`guard`) says another filter
    setting could isolate them."""
    everyone = (cells or segment_cells(filters)).everyone
    levels = level_bands()
    n = everyone.n
    hidden = n < min_group or guard.hides_kind(EVERYONE, "n")
    durations, median, estimated = (0, None, False) if hidden else median_duration(filters)
    if durations < min_group:
        median = None
    metrics = {} if hidden else {m: _metric(everyone, m, levels, min_group,
                                            guard.hides(EVERYONE)) for m in METRICS}
    return Overview(n, everyone.counts.get("n_demo", 0), hidden, metrics, durations, median,
                    starters(filters, min_group), estimated and median is not None)


def _metric(everyone: Group, m: str, levels: Sequence[tuple[str, float]],
            min_group: int = 0, forced: Collection[str] = ()) -> MetricOverview:
    moments = everyone.metrics.get(m, Moments())
    scored = moments.n
    applicable = everyone.counts.get(applies_key(m)) if m in AREAS else None
    if 0 < scored < min_group or (scored and m in forced):
        # hidden: how many it applies to would say how few they are
        return MetricOverview(m, benchmarks.mean(0, None, None), None, (), (), None, None,
                              True, everyone.n)

    def at_least(t: float) -> int:
        return scored if t <= 0 else everyone.counts.get(ge_key(m, t), 0)

    level_shares = tuple(LevelShare(lid, lo, benchmarks.share(at_least(lo), scored))
                         for lid, lo in levels)
    bins = []
    for lo in HISTOGRAM_EDGES:
        hi = lo + HISTOGRAM_WIDTH
        count = at_least(lo) - (at_least(hi) if hi < 100 else 0)
        bins.append(Bin(lo, hi, benchmarks.share(count, scored)))
    env = cap = None
    if m in AREAS:
        env = _own_mean(everyone.metrics.get(f"{m}_env", Moments()), min_group,
                        f"{m}_env" in forced)
        cap = _own_mean(everyone.metrics.get(f"{m}_cap", Moments()), min_group,
                        f"{m}_cap" in forced)
    return MetricOverview(m, moments.mean(), env, level_shares, tuple(bins), cap, applicable,
                          False, everyone.n)


def _own_mean(moments: Moments, min_group: int, forced: bool = False) -> Mean | None:
    """A mean, or None when its own n is under the minimum group or the relaxation rule
    hides it (hidden, not empty)."""
    return None if 0 < moments.n < min_group or (forced and moments.n) else moments.mean()


def median_duration(filters: Filters) -> tuple[int, float | None, bool]:
    """(n, median, estimated) of the time to complete over web responses with a known
    duration.

    The cells count the timed responses and bin their durations. Up to EXACT_MEDIAN_MAX of
    them the median is read exactly (`median_duration_scan`); beyond, sorting every duration
    on each page view would cost seconds, and it is estimated from the bins (10 % wide,
    interpolated: survey.core.stats.median_from_bins) and marked so.
    """
    if not cells.usable():
        n, median = median_duration_scan(filters)
        return n, median, False
    row = db.session.execute(cells.summed(
        cells.plain([WEB_TIMED, *DURATION_KEYS]), filters)).mappings().one()
    n = int(row[WEB_TIMED] or 0)
    if n == 0:
        return 0, None, False
    if n <= EXACT_MEDIAN_MAX:
        n, median = median_duration_scan(filters)
        return n, median, False
    counts = [int(row[k] or 0) for k in DURATION_KEYS]
    return n, median_from_bins(counts, DURATION_EDGES), True


def median_duration_scan(filters: Filters) -> tuple[int, float | None]:
    """(n, median) of the time to complete over web responses with a known duration, exactly.

    One statement, portably (SQLite has no percentile_cont): number the durations in order
    with a window function and average the middle one or two.
    """
    a = Assessment
    numbered = filtered(
        a.duration_seconds.label("d"),
        func.row_number().over(order_by=a.duration_seconds).label("rn"),
        func.count().over().label("cnt"),
        filters=filters,
    ).join(Response, Response.id == a.response_id).where(
        a.duration_seconds.is_not(None), Response.source == WEB).subquery()
    middle = or_(numbered.c.rn == (numbered.c.cnt + 1) // 2,
                 numbered.c.rn == (numbered.c.cnt + 2) // 2)
    row = db.session.execute(
        select(func.max(numbered.c.cnt), func.avg(numbered.c.d)).where(middle)).one()
    count = int(row[0] or 0)
    return count, (float(row[1]) if count and row[1] is not None else None)


FIRST_DAY = dt.datetime(1, 1, 1)


def _month_start(month: str) -> dt.datetime:
    """The first moment of a "YYYY-MM" month, clamped into what datetime can hold (year 1 …
    9999), so no link — however odd — can make the query code raise."""
    year, mon = int(month[:4]), int(month[5:7])
    if year < 1:
        return FIRST_DAY
    return dt.datetime(min(year, 9999), min(max(mon, 1), 12), 1)


def _next_month(month: str) -> dt.datetime | None:
    """The first moment after a month, or None when that lies beyond year 9999 (no bound)."""
    start = _month_start(month)
    if int(month[:4]) < 1:
        return FIRST_DAY
    if start.year == 9999 and start.month == 12:
        return None
    return dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1)


def starters(filters: Filters, min_group: int) -> Starters:
    """Drop-out among starters: drafts / (drafts + submitted), by the day a response began.

    Web responses only (see WEB), summed from `response_starts` (survey.services.starts keeps
    it in step), so its cost follows the days the survey has run, not the responses. Filters
    on wave and months are read as "started within" (the UTC date of starting against local
    months: off by at most a few hours at a month's edge).
    """
    if filters.industry or filters.size or filters.region or filters.export:
        return Starters(available=False)
    t = ResponseStart
    stmt = select(func.coalesce(func.sum(case((t.status == "draft", t.n), else_=0)), 0)
                  .label("drafts"),
                  func.coalesce(func.sum(case((t.status == "submitted", t.n), else_=0)), 0)
                  .label("submitted"))
    if filters.demo == "exclude":
        stmt = stmt.where(t.is_demo.is_(False))
    elif filters.demo == "only":
        stmt = stmt.where(t.is_demo.is_(True))
    if filters.month_from:
        stmt = stmt.where(t.started_on >= _month_start(filters.month_from).date())
    if filters.month_to and (end := _next_month(filters.month_to)) is not None:
        stmt = stmt.where(t.started_on < end.date())
    if filters.wave is not None:
        wave = select(Wave).where(Wave.id == filters.wave).subquery()
        stmt = stmt.join_from(t, wave, and_(
            t.started_on >= wave.c.starts_on,
            or_(wave.c.ends_on.is_(None), t.started_on <= wave.c.ends_on)))
    return _starters(db.session.execute(stmt).mappings().one(), min_group)


def _starters(row: RowMapping, min_group: int) -> Starters:
    drafts, submitted = int(row["drafts"]), int(row["submitted"])
    total = drafts + submitted
    dropout = benchmarks.share(drafts, total) if total >= min_group else None
    return Starters(True, drafts, submitted, dropout)


def starters_scan(filters: Filters, min_group: int) -> Starters:
    """`starters` counted from the responses themselves, one scan of them all: what the table
    must agree with (the tests compare the two)."""
    if filters.industry or filters.size or filters.region or filters.export:
        return Starters(available=False)
    r = Response
    stmt = select(count_if(r.status == "draft").label("drafts"),
                  count_if(r.status == "submitted").label("submitted")).select_from(r).where(
        r.source == WEB)
    if filters.demo == "exclude":
        stmt = stmt.where(r.is_demo.is_(False))
    elif filters.demo == "only":
        stmt = stmt.where(r.is_demo.is_(True))
    if filters.month_from:
        stmt = stmt.where(r.created_at >= _month_start(filters.month_from))
    if filters.month_to and (end := _next_month(filters.month_to)) is not None:
        stmt = stmt.where(r.created_at < end)
    if filters.wave is not None:
        wave = select(Wave).where(Wave.id == filters.wave).subquery()
        stmt = stmt.join(wave, and_(
            r.created_at >= wave.c.starts_on,
            or_(wave.c.ends_on.is_(None), func.date(r.created_at) <= wave.c.ends_on)))
    return _starters(db.session.execute(stmt).mappings().one(), min_group)


# --- Frequency tables --------------------------------------------------------------------


@dataclass(frozen=True)
class FreqTable:
    """Counts of a two-way table with its margins (key MARGIN); None marks a suppressed count."""

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    n: int
    hidden: bool
    counts: Mapping[tuple[Any, Any], int | None]

    def count(self, r: Any, c: Any) -> int | None:
        return self.counts.get((r, c))


def freq_table(cells: Mapping[tuple[Any, Any], int], size: int, min_group: int,
               total_forced: bool = False) -> FreqTable:
    """`total_forced`: the relaxation rule hides the table's total (and so every cell)."""
    idx = tuple(range(size))
    counts = suppression.augmented_counts(cells, idx, idx)
    hidden = suppression.suppress_table(cells, min_group, rows=idx, cols=idx,
                                        forced=[(MARGIN, MARGIN)] if total_forced else ())
    n = counts[(MARGIN, MARGIN)]
    return FreqTable(idx, idx, n, n < min_group or (total_forced and n > 0),
                     {k: (None if k in hidden else v) for k, v in counts.items()})


def level_crosstab(filters: Filters, min_group: int, row_metric: str = "digital_technology",
                   col_metric: str = "financing",
                   bands: Sequence[BandCell] | None = None,
                   guard: Guard = NO_GUARD) -> FreqTable:
    """SMEs by level of one area (rows) against another (columns), both scored: the table's
    n counts only the firms with both scores."""
    size = len(level_bands())
    cells: dict[tuple[Any, Any], int] = {}
    for b in band_cells(filters) if bands is None else bands:
        r, c = b.bands[row_metric], b.bands[col_metric]
        if r is not None and c is not None:
            cells[(r, c)] = cells.get((r, c), 0) + b.count
    return freq_table(cells, size, min_group,
                      guard.hides_kind(EVERYONE, both_key(row_metric, col_metric)))


def readiness_environment(filters: Filters, min_group: int,
                          bands: Sequence[BandCell] | None = None,
                          guard: Guard = NO_GUARD) -> dict[str, FreqTable]:
    """Per area, SMEs by capability band (rows: the firm's own, internal questions) against
    environment band (columns: external questions), among the firms the area applies to.

    Binned counts in SQL, never raw points: a scatter of a million dots is neither fast nor
    private. The bands are the level bands, so the rows read as levels. (Method 2026.1's area
    score was its capability; 2027.1's mixes both, so capability is what is set against the
    environment here.)
    """
    bands = band_cells(filters) if bands is None else bands
    return {area: level_crosstab(filters, min_group, f"{area}_cap", f"{area}_env", bands,
                                 guard)
            for area in AREAS}
