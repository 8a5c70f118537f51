"""What the dashboard, the policy brief and GET /api/v1/stats each need, in one call apiece.

The views stay thin: they parse filters, call one function here and render. Each function runs
a fixed set of statements (see the test that counts them at 50 and 500 assessments).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import func

from survey.core import stats as benchmarks
from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.rounding import half_up_optional
from survey.core.scoring import PRIORITIES
from survey.core.stats import Interval, Mean, Share
from survey.extensions import db
from survey.models import Assessment
from survey.queries.base import GroupStats, filtered
from survey.queries.credit import ClassShares, CreditConstraint, credit_constraint
from survey.queries.cube import band_cells, segment_cells, time_cells
from survey.queries.disclosure import guard
from survey.queries.filters import Filters
from survey.queries.overview import (
    FreqTable,
    Overview,
    level_crosstab,
    overview,
    readiness_environment,
)
from survey.queries.segments import Segments, segments
from survey.queries.trends import Trend, by_month, by_wave

PARTS: tuple[str, ...] = ("overview", "segments", "crosstab", "readiness_environment",
                          "months", "waves", "credit")


@dataclass(frozen=True)
class Dashboard:
    """The results behind every chart; a part not asked for is None."""

    filters: Filters
    min_group: int
    overview: Overview | None
    segments: Segments | None
    crosstab: FreqTable | None
    readiness_environment: Mapping[str, FreqTable] | None
    months: Trend | None
    waves: Trend | None
    credit: CreditConstraint | None = None


def dashboard(filters: Filters, min_group: int, industries: Sequence[str] = (),
              parts: Collection[str] = PARTS) -> Dashboard:
    """The dashboard's numbers; `parts` limits the work to what one chart's CSV needs."""
    def want(part: str, run: Callable[[], Any]) -> Any:
        return run() if part in parts else None

    safe = guard(filters, min_group)
    cells = (segment_cells(filters) if {"overview", "segments", "credit"} & set(parts)
             else None)
    times = time_cells(filters) if {"months", "waves"} & set(parts) else None
    bands = band_cells(filters) if {"crosstab", "readiness_environment"} & set(parts) else None
    segs = (segments(filters, min_group, industries, cells, safe)
            if {"segments", "credit"} & set(parts) else None)
    return Dashboard(
        filters, min_group,
        want("overview", lambda: overview(filters, min_group, cells, safe)),
        want("segments", lambda: segs),
        want("crosstab", lambda: level_crosstab(filters, min_group, bands=bands, guard=safe)),
        want("readiness_environment",
             lambda: readiness_environment(filters, min_group, bands, safe)),
        want("months", lambda: by_month(filters, min_group, times, safe)),
        want("waves", lambda: by_wave(filters, min_group, times, safe)),
        want("credit", lambda: credit_constraint(_given(cells), _given(segs).size, min_group,
                                                 safe)),
    )


T = TypeVar("T")


def _given(value: T | None) -> T:
    """A part computed above because the one asking for it needs it."""
    assert value is not None
    return value


# --- The policy brief --------------------------------------------------------------------


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
        for line in (segs.region, segs.size)
    }


def method_versions(filters: Filters) -> dict[str, int]:
    """How many assessments each scoring method version produced (a mix needs saying)."""
    col = Assessment.method_version
    stmt = filtered(col, func.count(), filters=filters).group_by(col).order_by(col)
    rows: Iterable[tuple[str, int]] = db.session.execute(stmt)
    return {str(v): int(n) for v, n in rows}


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
    recs = tuple(
        RankedRecommendation(r.key, highs[r.key], r.rank, r.joint,
                             top_segments(segs, r.key, min_group, fixed=fixed),
                             everyone.priority_hidden(r.key),
                             None if everyone.priority_hidden(r.key)
                             else everyone.applicable.get(r.key),
                             everyone.share(r.key, "unknown"))
        for r in ranks
    ) if not everyone.hidden else ()
    return Brief(filters, min_group, ov, segs, recs, composition(segs), method_versions(filters),
                 credit_constraint(cells, segs.size, min_group, safe))


# --- JSON for GET /api/v1/stats ----------------------------------------------------------


def _ci(interval: Interval | None, digits: int) -> list[float] | None:
    return interval.as_list(digits) if interval else None


def mean_json(m: Mean | None) -> dict[str, Any]:
    if m is None:
        return {"n": None, "mean": None, "ci": None, "low_precision": None}
    return {"n": m.n, "mean": half_up_optional(m.value, 1), "ci": _ci(m.interval, 1),
            "low_precision": m.low_precision}


def share_json(s: Share | None) -> dict[str, Any]:
    if s is None:
        return {"count": None, "share": None, "ci": None}
    return {"count": s.count, "share": half_up_optional(s.value, 4), "ci": _ci(s.interval, 4)}


def group_json(g: GroupStats) -> dict[str, Any]:
    out: dict[str, Any] = {"key": g.key, "n": g.n, "suppressed": g.hidden,
                           "low_precision": None if g.hidden else g.low_precision}
    out["overall"] = mean_json(g.mean("overall"))
    out["areas"] = {a: mean_json(g.mean(a)) for a in AREAS}
    out["high_priority"] = {rec: share_json(g.share(rec)) for rec in RECOMMENDATIONS}
    return out


def class_shares_json(c: ClassShares) -> dict[str, Any]:
    return {"key": c.key, "n": c.n, "suppressed": c.hidden,
            "low_precision": None if c.hidden else c.low_precision,
            "classes": {cls: share_json(None if c.hidden else c.shares.get(cls))
                        for cls in CREDIT_CLASSES}}


def credit_json(credit: CreditConstraint) -> dict[str, Any]:
    return {**class_shares_json(credit.total), "unclassified": credit.unclassified,
            "by_size": [class_shares_json(c) for c in credit.by_size]}


def summary_stats(filters: Filters, min_group: int) -> dict[str, Any]:
    """The aggregate picture as JSON (GET /api/v1/stats). Shape, stable — fields may be added:

    {"n": 1234, "demo_n": 0, "min_group": 10, "suppressed": false,
     "filters": {"region": "east", …},                      # as query parameters
     "starters": {"available": true, "drafts": 80, "submitted": 1234,
                  "dropout_among_starters": {"count": 80, "share": 0.0609, "ci": [lo, hi]}},
     "median_duration_seconds": 742.0, "median_duration_n": 1180,   # web responses only
     "overall": {"n": …, "mean": 57.5, "ci": [55.1, 59.9], "low_precision": false},
     "areas": {"financing": {"n": …, "mean": …, "ci": […], "low_precision": …,
                             "suppressed": false, "applicable": 1234, "not_applicable": 0,
                             "capability": {"n": …, "mean": …, "ci": …, "low_precision": …},
                             "environment": {"n": …, "mean": …, "ci": …, "low_precision": …},
                             "levels": {"emerging": {"count": …, "share": …, "ci": […]}, …}},
               …},                     # levels: share of scored SMEs AT OR ABOVE each level
     "recommendations": {"financial_support": {"n": …, "not_applicable": 0, "known": …,
                                               "suppressed": false,
                                               "high": {"count", "share", "ci"},
                                               "medium": …, "low": …, "unknown": …}, …},
     "credit_constraint": {"n": 800, "suppressed": false, "low_precision": false,
                           "unclassified": 434,
                           "classes": {"no_need": {share…}, "not_constrained": …, …},
                           "by_size": [{"key": "micro", "n": …, "suppressed": …,
                                        "low_precision": …, "classes": {…}}, …]},
     "segments": {"size": [group, …], "region": [group, …], "industry": [group, …]}}

    where group = {"key": "east", "n": 120, "suppressed": false, "low_precision": false,
    "overall": {mean…}, "areas": {area: {mean…}}, "high_priority": {rec: {share…}}}.
    Shares are fractions with Wilson 95 % intervals; means carry mean ± t(0.975, n−1)·sd/√n
    (Student's t); every number is rounded half away from zero (survey.core.rounding). A group
    under `min_group` (or needed to protect one) has "suppressed": true and every number — its
    n included — null; when the whole selection is under `min_group`, "suppressed" is true at the
    top and only n and demo_n are given. Inside a shown group a number is null on its own n
    too: a mean of fewer than `min_group` scored SMEs, shares among fewer SMEs than that. And a
    number is null where another filter setting would isolate a small group by subtraction
    (the relaxation rule, survey.core.disclosure). Demo rows count unless the filters exclude
    them.

    Method 2027.1: an area's numbers are among the SMEs it applies to (`applicable`; it does
    not apply to `not_applicable` of them — overseas markets to firms with no export activity
    or plans); a recommendation's `n` is the SMEs it applies to and `not_applicable` those it
    does not (0 for rows of method 2026.1, where everything applied). Its high, medium and low
    shares are among the `known` SMEs whose priority is known; `unknown` (too few linked
    questions answered) is its own share among the `n`, never in the others' denominator.
    `credit_constraint` counts only SMEs with a class (method 2027.1); `unclassified` are
    those without one.
    """
    safe = guard(filters, min_group)
    cells = segment_cells(filters)
    ov = overview(filters, min_group, cells, safe)
    segs = segments(filters, min_group, cells=cells, guard=safe)
    st = ov.starters
    out: dict[str, Any] = {
        "n": ov.n, "demo_n": ov.n_demo, "min_group": min_group, "suppressed": ov.hidden,
        "filters": filters.to_args(),
        "starters": {
            "available": st.available,
            "drafts": st.drafts if st.available else None,
            "submitted": st.submitted if st.available else None,
            "dropout_among_starters": share_json(st.dropout) if st.dropout else None,
        },
        "median_duration_seconds": ov.median_duration,
        "median_duration_n": ov.durations_n,
    }
    if ov.hidden:
        out.update({"overall": mean_json(None), "areas": {}, "recommendations": {},
                    "segments": {}})
        return out
    overall = ov.metrics["overall"]
    out["overall"] = mean_json(None if overall.hidden else overall.mean)
    out["areas"] = {}
    for area in AREAS:
        mo = ov.metrics[area]
        out["areas"][area] = {
            **mean_json(None if mo.hidden else mo.mean),
            "suppressed": mo.hidden,
            "applicable": mo.applicable,
            "not_applicable": None if mo.hidden else mo.not_applicable,
            "capability": mean_json(mo.capability),
            "environment": mean_json(mo.environment),
            "levels": {ls.level: share_json(ls.at_or_above) for ls in mo.levels},
        }
    everyone = segs.grid.total
    out["recommendations"] = {}
    for rec in RECOMMENDATIONS:
        hidden = everyone.priority_hidden(rec)
        applicable = everyone.applicable.get(rec)
        out["recommendations"][rec] = {
            "n": None if hidden else applicable,
            "not_applicable": None if hidden or applicable is None else ov.n - applicable,
            "known": None if hidden else everyone.known.get(rec),
            "suppressed": hidden,
            **{p: share_json(everyone.share(rec, p)) for p in PRIORITIES},
        }
    out["credit_constraint"] = credit_json(credit_constraint(cells, segs.size, min_group, safe))
    out["segments"] = {line.dimension: [group_json(g) for g in line.groups]
                       for line in segs.lines()}
    return out
