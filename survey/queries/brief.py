"""The policy brief's numbers in one call: the overview, ranked recommendations with the
segments that need each most, the sample's composition, and the three key findings.

Never demo rows, whatever the filters say. A fixed set of statements, however many rows (the
test that counts them at 50 and 500 assessments covers it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func

from survey.core import findings as kf
from survey.core import stats as benchmarks
from survey.core.findings import Estimate, Finding, SchemeFunnel
from survey.core.item_indicators import scheme_groups
from survey.core.questionnaire import RECOMMENDATIONS, QuestionnaireError, load_questionnaire
from survey.core.stats import Share
from survey.extensions import db
from survey.models import Assessment
from survey.queries import cells
from survey.queries.base import filtered
from survey.queries.credit import CreditConstraint, credit_constraint
from survey.queries.cube import segment_cells
from survey.queries.disclosure import guard
from survey.queries.filters import Filters
from survey.queries.indicators import Cell, indicator_table
from survey.queries.overview import Overview, overview
from survey.queries.segments import Segments, segments


@dataclass(frozen=True)
class SegmentNeed:
    """A segment's high-priority share; `joint` when its interval overlaps another shown or
    considered segment's (the data cannot put one ahead), `rank` as survey.core.stats ranks."""

    dimension: str
    key: Any
    n: int
    high: Share
    rank: int = 1
    joint: bool = False


@dataclass(frozen=True)
class TopSegments:
    """The segments that need a recommendation most, and what the list leaves out: segments
    `withheld` (too few SMEs, or a number hidden to protect one) and `more_joint` segments
    tied with the last one listed."""

    shown: tuple[SegmentNeed, ...]
    withheld: int = 0
    more_joint: int = 0

    def __iter__(self) -> Iterator[SegmentNeed]:
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)


@dataclass(frozen=True)
class RankedRecommendation:
    """`high` is among the SMEs whose priority for the recommendation is known (its n);
    `hidden` when that n is under the minimum group (then `high` is empty and the
    recommendation ranks last). `applicable`: the SMEs it applies to (None when hidden)."""

    id: str
    high: Share
    rank: int
    joint: bool
    segments: TopSegments
    hidden: bool = False
    applicable: int | None = None
    unknown: Share | None = None
    more: int | None = None
    """Joint with the next one below: about how many more responses would separate the two
    (None when their shares are equal, or it is not joint with the next)."""


@dataclass(frozen=True)
class SampleShare:
    """A segment's share of the sample (its n over everyone's); None when suppressed."""

    key: Any
    n: int | None
    share: float | None


@dataclass(frozen=True)
class Brief:
    filters: Filters
    min_group: int
    overview: Overview
    segments: Segments
    recommendations: tuple[RankedRecommendation, ...]
    composition: Mapping[str, tuple[SampleShare, ...]]
    method_versions: Mapping[str, int]
    credit: CreditConstraint | None = None
    findings: tuple[Finding, ...] = ()
    """The largest need, the segment furthest behind, the scheme that fails to reach firms."""
    schemes: tuple[SchemeFunnel, ...] = ()

    @property
    def tie_more(self) -> int | None:
        """When all are tied: about how many more responses would separate the first two."""
        shown = [r for r in self.recommendations if r.high.value is not None]
        if not self.all_tied or len(shown) < 2:
            return None
        first, second = sorted(shown, key=lambda r: -(r.high.value or 0.0))[:2]
        return kf.more_responses(estimate(first.id, first.high),
                                 estimate(second.id, second.high), self.overview.n)

    @property
    def all_tied(self) -> bool:
        """Every recommendation with a share shares the first rank: the data cannot order
        them, and "1 (joint)" five times would only say so less clearly."""
        shown = [r for r in self.recommendations if r.high.value is not None]
        return len(shown) > 1 and all(r.rank == 1 and r.joint for r in shown)


def composition(segs: Segments) -> dict[str, tuple[SampleShare, ...]]:
    total_n = segs.grid.total.n or 0
    return {
        line.dimension: tuple(
            SampleShare(g.key, g.n, (g.n / total_n) if g.n is not None and total_n else None)
            for g in line.groups)
        for line in (segs.region, segs.size, segs.industry)
    }


def method_versions(filters: Filters) -> dict[str, int]:
    """How many assessments each scoring method version produced (a mix needs saying)."""
    if cells.usable():
        stmt = cells.summed({"n": ("n",)}, filters, ("method_version",))
    else:
        col = Assessment.method_version
        stmt = filtered(col, func.count(), filters=filters).group_by(col)
    rows: Iterable[tuple[Any, Any]] = db.session.execute(stmt)
    return dict(sorted((str(v), int(n)) for v, n in rows))


def top_segments(segs: Segments, rec: str, min_group: int, limit: int = 3,
                 fixed: Collection[str] = ()) -> TopSegments:
    """The shown segments with the largest share of high-priority gaps for a recommendation.

    Dimensions in `fixed` (those the filters pin to one value) are skipped: their one segment
    is the whole selection. Segments whose share is withheld are counted, never silently
    dropped.

    Ranked by the lower end of the Wilson interval, so a group of 12 with 7 high (58 %, but
    anywhere from 32 % to 81 %) does not outrank a group of 400 at 55 % on luck alone; a
    segment is `joint` when its interval overlaps another's (survey.core.stats.joint_ranks),
    and ties are never broken silently by the order of the questionnaire: `more_joint` counts
    those left out that tie with the last one listed.
    """
    found: list[SegmentNeed] = []
    withheld = 0
    for seg_line in segs.lines():
        if seg_line.dimension in fixed:
            continue
        for g in seg_line.groups:
            if g.key is None:
                continue
            high = None if g.priority_hidden(rec) else g.share(rec)
            if high is None or g.n is None:
                withheld += 1
                continue
            if high.value is not None:
                found.append(SegmentNeed(seg_line.dimension, g.key, g.n, high))
    ranks = benchmarks.joint_ranks([(str(i), s.high.value, s.high.interval)
                                    for i, s in enumerate(found)])
    ranked = [replace(found[int(r.key)], rank=r.rank, joint=r.joint) for r in ranks]
    ranked.sort(key=lambda s: (s.rank, -(s.high.interval.low if s.high.interval else 0.0),
                               -(s.high.value or 0.0)))
    shown = tuple(ranked[:limit])
    more = (sum(1 for s in ranked[limit:] if s.rank == shown[-1].rank and s.joint)
            if shown else 0)
    return TopSegments(shown, withheld, more)


def estimate(key: str, s: Share | None) -> Estimate:
    if s is None or s.value is None:
        return Estimate(key, None, None, None if s is None else s.n)
    return Estimate(key, s.value, s.interval, s.n)


def _next_more(ranked: Sequence[RankedRecommendation], n: int) -> list[RankedRecommendation]:
    """Each joint recommendation with the responses that would separate it from the next."""
    out = list(ranked)
    for i, (this, below) in enumerate(zip(ranked, ranked[1:], strict=False)):
        a, b = estimate(this.id, this.high), estimate(below.id, below.high)
        if a.value is not None and b.value is not None and kf.overlap(a, b):
            out[i] = replace(this, more=kf.more_responses(a, b, n))
    return out


def segment_means(segs: Segments, fixed: Collection[str],
                  total: int) -> tuple[list[Estimate], int]:
    """Every shown segment's mean overall score, keyed "dimension:key", and how many
    segments are withheld. A dimension the filters fix, or a segment holding every firm of
    the selection, is the selection itself: nothing to set against it."""
    found: list[Estimate] = []
    withheld = 0
    for seg_line in segs.lines():
        if seg_line.dimension in fixed:
            continue
        for g in seg_line.groups:
            if g.key is None or (g.n is not None and g.n >= total):
                continue
            m = None if g.hidden else g.mean("overall")
            if m is None or m.value is None:
                withheld += 1
                continue
            found.append(Estimate(f"{seg_line.dimension}:{g.key}", m.value, m.interval, m.n))
    return found, withheld


def key_findings(ov: Overview, segs: Segments, recs: Sequence[RankedRecommendation],
                 schemes: Sequence[SchemeFunnel], fixed: Collection[str]) -> tuple[Finding, ...]:
    n = ov.n
    need = kf.largest_need([estimate(r.id, r.high) for r in recs], n)
    overall = ov.metrics.get("overall")
    everyone = (Estimate("all", None, None) if overall is None or overall.hidden
                or overall.mean is None
                else Estimate("all", overall.mean.value, overall.mean.interval, overall.mean.n))
    means, withheld = segment_means(segs, fixed, n)
    behind = kf.furthest_behind(means, everyone, n, withheld)
    return need, behind, kf.weakest_scheme(schemes, n)


FUNNEL_STAGES = ("aware", "applied", "received")


def _cell_estimate(key: str, cell: Cell | None) -> Estimate:
    if cell is None or cell.suppressed:
        return Estimate(key, None, None)
    return estimate(key, cell.share)


def scheme_funnels(filters: Filters, min_group: int) -> tuple[SchemeFunnel, ...]:
    """Each support scheme's awareness and reach, from the item indicators' funnel
    (survey.core.item_indicators, counted by survey.queries.indicators).

    Reach — received among the firms that had heard of it — is the "received" indicator's
    numerator over the "applied" indicator's n (the firms aware of the scheme): two numbers
    the indicators already publish, shown only where both are (so a scheme with fewer than
    the minimum group of decided applications has no reach, and the finding falls back to
    awareness when fewer than two schemes have one)."""
    try:
        q = load_questionnaire()
    except QuestionnaireError:
        return ()
    schemes = [g.id for g in scheme_groups(q)]
    if not schemes:
        return ()
    only = {f"{sid}.{stage}" for sid in schemes for stage in FUNNEL_STAGES}
    table = indicator_table(filters, "size", min_group, only=only)
    totals = {row.indicator.id: row.total for row in table.rows}
    out = []
    for sid in schemes:
        aware, applied, received = (totals.get(f"{sid}.{stage}") for stage in FUNNEL_STAGES)
        if aware is None:
            continue
        reach = Estimate(sid, None, None)
        if (applied is not None and received is not None and not applied.suppressed
                and not received.suppressed and applied.n and received.share is not None):
            reach = estimate(sid, benchmarks.share(received.share.count, applied.n))
        out.append(SchemeFunnel(sid, _cell_estimate(sid, aware), reach))
    return tuple(out)


def brief(filters: Filters, min_group: int, industries: Sequence[str] = ()) -> Brief:
    """The brief's numbers: never demo rows, whatever the filters asked."""
    filters = filters.without_demo()
    safe = guard(filters, min_group)
    cells = segment_cells(filters)
    ov = overview(filters, min_group, cells, safe)
    segs = segments(filters, min_group, industries, cells, safe)
    everyone = segs.grid.total
    highs = {rec: everyone.share(rec) or benchmarks.share(0, 0) for rec in RECOMMENDATIONS}
    ranks = benchmarks.joint_ranks([(rec, highs[rec].value, highs[rec].interval)
                                    for rec in RECOMMENDATIONS])
    fixed = [d for d, v in (("industry", filters.industry), ("size", filters.size),
                            ("region", filters.region)) if v]
    recs = tuple(_next_more([
        RankedRecommendation(r.key, highs[r.key], r.rank, r.joint,
                             top_segments(segs, r.key, min_group, fixed=fixed),
                             everyone.priority_hidden(r.key),
                             None if everyone.priority_hidden(r.key)
                             else everyone.applicable.get(r.key),
                             everyone.share(r.key, "unknown"))
        for r in ranks
    ], ov.n)) if not everyone.hidden else ()
    shown = ov.n > 0 and not everyone.hidden
    schemes = scheme_funnels(filters, min_group) if shown else ()
    found = key_findings(ov, segs, recs, schemes, fixed) if shown else ()
    return Brief(filters, min_group, ov, segs, recs, composition(segs), method_versions(filters),
                 credit_constraint(cells, segs.size, min_group, safe), found, schemes)
