"""The peer benchmark of one SME's report (DESIGN.md §2 "Benchmark", §4 "benchmark").

Two or three statements whatever the table size: one counts the industry-and-size and the
industry peer groups (both served by the segment index), a second counts everyone only when
neither is big enough, and a last one counts, within the chosen group, the peers below and
equal to the SME on every score. Percentile = (below + ½·equal) / peers with that score, the
mid-rank definition, so an SME tied with everyone sits at 50, not at 0 or 100.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select

from survey.core.questionnaire.schema import METRICS
from survey.extensions import db
from survey.models import Assessment
from survey.queries.base import count_if, score_column

GROUPS: tuple[str, ...] = ("industry_size", "industry", "all")


def _peers(row: Any) -> ColumnElement[bool]:
    """Real assessments other than the SME's own: demo rows are never peers."""
    cond: ColumnElement[bool] = Assessment.is_demo.is_(False)
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


def peer_percentiles(assessment_row: Any, min_peers: int) -> dict[str, Any] | None:
    """{"group": "industry_size"|"industry"|"all", "n": peers, "percentiles": {"overall": 63,
    "financing": …}} for the narrowest group with at least `min_peers` peers, else None.

    `assessment_row` is an `Assessment` (or anything with id, industry, size_class and the
    score attributes). A score the SME does not have, or that no peer has, is None.
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
    cols: list[Any] = []
    mine: dict[str, float] = {}
    for m in METRICS:
        value = getattr(assessment_row, f"{m}_score", None)
        if value is None:
            continue
        mine[m] = float(value)
        col = score_column(m)
        cols += [func.count(col).label(f"{m}__n"),
                 count_if(col < mine[m]).label(f"{m}__lt"),
                 count_if(col == mine[m]).label(f"{m}__eq")]
    percentiles: dict[str, int | None] = dict.fromkeys(METRICS)
    if cols:
        stmt = select(*cols).select_from(Assessment).where(base, conditions[chosen])
        row = db.session.execute(stmt).mappings().one()
        for m in mine:
            n = int(row[f"{m}__n"] or 0)
            if n:
                below, equal = int(row[f"{m}__lt"] or 0), int(row[f"{m}__eq"] or 0)
                percentiles[m] = int(100 * (below + 0.5 * equal) / n + 0.5)
    return {"group": chosen, "n": size, "percentiles": percentiles}


def benchmark_for(assessment: Assessment) -> dict[str, Any] | None:
    """The benchmark of a report or an API record: None for a demo assessment (demo rows are
    never compared) and while the peer group is smaller than BENCHMARK_MIN_PEERS."""
    if assessment.is_demo:
        return None
    result = peer_percentiles(assessment, int(current_app.config.get("BENCHMARK_MIN_PEERS", 20)))
    return dict(result) if result is not None else None
