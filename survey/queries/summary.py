"""What the dashboard and GET /api/v1/stats each need, in one call apiece (the policy brief's
is survey.queries.brief).

The views stay thin: they parse filters, call one function here and render. Each function runs
a fixed set of statements (see the test that counts them at 50 and 500 assessments).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.core.rounding import half_up_optional
from survey.core.scoring import PRIORITIES
from survey.core.stats import Interval, Mean, Share
from survey.queries.base import GroupStats
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
     "median_duration_estimated": false,   # true past 20,000 of them: from 10 %-wide bins
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
        "median_duration_estimated": ov.median_estimated,
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
