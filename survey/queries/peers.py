"""The peer benchmark of one SME's report (DESIGN.md §2 "Benchmark", §4 "benchmark").

Peers are real assessments scored by the same method version as the SME's own (scores of two
methods are different measures). The industry-and-size and the industry groups are counted in
one statement (both served by the segment index), everyone only when neither is big enough;
then one statement counts, within the chosen group, the peers below and equal to the SME on
every score, and one per score reads the group's median.

Each number stands on its own peers: a score is compared only when at least the minimum number
of peers *have that score*, so twenty peers of whom nineteen have no overall score never give an
overall comparison. Percentile rank = (below + ½·equal) / peers with that score, the mid-rank
definition, so an SME tied with everyone sits at 50, not at 0 or 100. The median is what the
report draws on each bar: "the typical similar firm" is easier to read than a rank.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select

from survey.core.questionnaire.schema import METRICS
from survey.core.rounding import half_up, half_up_int
from survey.extensions import db
from survey.models import Assessment
from survey.queries.base import count_if, score_column

GROUPS: tuple[str, ...] = ("industry_size", "industry", "all")


def _peers(row: Any) -> ColumnElement[bool]:
    """Real assessments of the same method other than the SME's own: demo rows are never
    peers."""
    cond: ColumnElement[bool] = Assessment.is_demo.is_(False)
    method = getattr(row, "method_version", None)
    if method is not None:
        cond = and_(cond, Assessment.method_version == method)
    own = getattr(row, "id", None)
    if own is not None:
        cond = and_(cond, Assessment.id != own)
    return cond


def _group_condition(group: str, row: Any) -> ColumnElement[bool] | None:
    industry, size = getattr(row, "industry", None), getattr(row, "size_class", None)
    if group == "industry_size":
        if industry is None or size is None:
            return None
        return and_(Assessment.industry == industry, Assessment.size_class == size)
    if group == "industry":
        return None if industry is None else Assessment.industry == industry
    return Assessment.id.is_not(None)


def _median(where: list[ColumnElement[bool]], metric: str, n: int) -> Any:
    """The median of the `n` non-null values as a scalar subquery: the mean of the middle one
    or two values, so every score's median comes back in one statement."""
    col = score_column(metric)
    middle = (select(col.label("v")).where(*where, col.is_not(None)).order_by(col)
              .offset((n - 1) // 2).limit(2 - n % 2).subquery())
    return select(func.avg(middle.c.v)).scalar_subquery().label(metric)


def peer_percentiles(assessment_row: Any, min_peers: int) -> dict[str, Any] | None:
    """{"group": "industry_size"|"industry"|"all", "n": peers in the group,
    "percentiles": {"overall": 63, "financing": …}, "medians": {"overall": 58.4, …},
    "peers": {"overall": 41, …}} for the narrowest group with at least `min_peers` peers, else
    None.

    `assessment_row` is an `Assessment` (or anything with id, method_version, industry,
    size_class and the score attributes). A score the SME does not have, or that fewer than
    `min_peers` peers have, has None for its percentile and median; "peers" counts the peers
    with each score.
    """
    base = _peers(assessment_row)
    conditions = {g: c for g in GROUPS if (c := _group_condition(g, assessment_row)) is not None}
    chosen, size = None, 0
    for batch in ([g for g in conditions if g != "all"], ["all"]):
        counts = [
            select(func.count()).select_from(Assessment).where(base, conditions[g])
            .scalar_subquery().label(g)
            for g in batch
        ]
        if not counts:
            continue
        sizes = db.session.execute(select(*counts)).mappings().one()
        chosen = next((g for g in batch if int(sizes[g] or 0) >= min_peers), None)
        if chosen is not None:
            size = int(sizes[chosen])
            break
    if chosen is None:
        return None
    where = [base, conditions[chosen]]
    cols: list[Any] = []
    mine: dict[str, float] = {}
    for m in METRICS:
        col = score_column(m)
        cols.append(func.count(col).label(f"{m}__n"))
        value = getattr(assessment_row, f"{m}_score", None)
        if value is not None:
            mine[m] = float(value)
            cols += [count_if(col < mine[m]).label(f"{m}__lt"),
                     count_if(col == mine[m]).label(f"{m}__eq")]
    row = db.session.execute(select(*cols).select_from(Assessment).where(*where)).mappings().one()
    peers = {m: int(row[f"{m}__n"] or 0) for m in METRICS}
    percentiles: dict[str, int | None] = dict.fromkeys(METRICS)
    medians: dict[str, float | None] = dict.fromkeys(METRICS)
    compared = [m for m in METRICS if m in mine and peers[m] >= min_peers]
    for m in compared:
        below, equal = int(row[f"{m}__lt"] or 0), int(row[f"{m}__eq"] or 0)
        percentiles[m] = half_up_int(100 * (below + 0.5 * equal) / peers[m])
    if compared:
        middles = db.session.execute(
            select(*(_median(where, m, peers[m]) for m in compared))).mappings().one()
        medians.update({m: half_up(float(middles[m]), 1) for m in compared})
    return {"group": chosen, "n": size, "percentiles": percentiles, "medians": medians,
            "peers": peers}


def benchmark_for(assessment: Assessment) -> dict[str, Any] | None:
    """The benchmark of a report or an API record: None for a demo assessment (demo rows are
    never compared) and while the peer group is smaller than BENCHMARK_MIN_PEERS."""
    if assessment.is_demo:
        return None
    result = peer_percentiles(assessment, int(current_app.config.get("BENCHMARK_MIN_PEERS", 20)))
    return dict(result) if result is not None else None
