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

`peer_percentiles` reads the group sizes from the cells (segment grain) and each score's
distribution in the group from the score counts (survey.queries.score_counts): a few hundred
to a few thousand rows, whatever the number of firms, instead of counting and sorting the
group. The SME's own stored assessment is in those counts, so it is taken out of them once.
`peer_scan` computes the same from the assessments themselves: the reference the tests hold
the counts to, and the answer for a key value the counts cannot tell from "none".
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select, true

from survey.core.questionnaire.schema import METRICS
from survey.core.rounding import half_up, half_up_int
from survey.extensions import db
from survey.models import Assessment
from survey.queries import cells, score_counts
from survey.queries.base import count_if, score_column
from survey.queries.filters import Filters

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


def _median_sql(where: list[ColumnElement[bool]], metric: str, n: int) -> Any:
    """The median of the `n` non-null values as a scalar subquery: the mean of the middle one
    or two values, so every score's median comes back in one statement."""
    col = score_column(metric)
    middle = (select(col.label("v")).where(*where, col.is_not(None)).order_by(col)
              .offset((n - 1) // 2).limit(2 - n % 2).subquery())
    return select(func.avg(middle.c.v)).scalar_subquery().label(metric)


def peer_scan(assessment_row: Any, min_peers: int) -> dict[str, Any] | None:
    """`peer_percentiles` counted and sorted from the assessments (its reference)."""
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
            select(*(_median_sql(where, m, peers[m]) for m in compared))).mappings().one()
        medians.update({m: half_up(float(middles[m]), 1) for m in compared})
    return {"group": chosen, "n": size, "percentiles": percentiles, "medians": medians,
            "peers": peers}


def _in_group(group: str, row: Any, stored: dict[str, Any]) -> bool:
    """The SME's stored assessment is one of the group's real assessments of its method: the
    counts hold it there, and the group's peers are "other than the SME's own"."""
    method = getattr(row, "method_version", None)
    if stored["is_demo"] or (method is not None and stored["method_version"] != method):
        return False
    if group == "industry_size":
        return bool(stored["industry"] == row.industry and stored["size_class"] == row.size_class)
    if group == "industry":
        return bool(stored["industry"] == row.industry)
    return True


@cache
def _sizes_statement() -> Select[Any]:
    """The real assessments in each cell of method, industry and size class (segment grain),
    each row beside the SME's own stored assessment (`:own`) as the counts hold it — its key
    and each score, `own_…` — or NULLs: one round trip for both."""
    sizes = cells.summed({"n": ("n",)}, Filters(demo="exclude"),
                         by=("method_version", "industry", "size_class"),
                         real_only=True).subquery()
    a = Assessment
    me = select(a.is_demo.label("own_is_demo"), a.method_version.label("own_method_version"),
                a.industry.label("own_industry"), a.size_class.label("own_size_class"),
                *(score_column(m).label(f"own_{m}") for m in METRICS)
                ).where(a.id == bindparam("own")).subquery()
    return select(sizes, me).select_from(sizes.outerjoin(me, true()))


def _sizes_and_own(row: Any) -> tuple[dict[str, int], dict[str, Any] | None]:
    """The real assessments of the method in each group the SME can be compared in, summed
    from the cells; and the SME's own assessment as stored (None when it has no id or is not
    stored, or when there are no real assessments at all)."""
    method = getattr(row, "method_version", None)
    industry, size = getattr(row, "industry", None), getattr(row, "size_class", None)
    sizes = {"industry_size": 0, "industry": 0, "all": 0}
    stored: dict[str, Any] | None = None
    for r in db.session.execute(_sizes_statement(),
                                {"own": getattr(row, "id", None)}).mappings():
        if r["own_is_demo"] is not None:
            stored = {k.removeprefix("own_"): v for k, v in r.items() if k.startswith("own_")}
        if method is not None and r["method_version"] != method:
            continue
        n = int(r["n"] or 0)
        sizes["all"] += n
        if industry is not None and r["industry"] == industry:
            sizes["industry"] += n
            if size is not None and r["size_class"] == size:
                sizes["industry_size"] += n
    if industry is None:
        del sizes["industry"], sizes["industry_size"]
    elif size is None:
        del sizes["industry_size"]
    return sizes, stored


def peer_percentiles(assessment_row: Any, min_peers: int) -> dict[str, Any] | None:
    """{"group": "industry_size"|"industry"|"all", "n": peers in the group,
    "percentiles": {"overall": 63, "financing": …}, "medians": {"overall": 58.4, …},
    "peers": {"overall": 41, …}} for the narrowest group with at least `min_peers` peers, else
    None.

    `assessment_row` is an `Assessment` (or anything with id, method_version, industry,
    size_class and the score attributes). A score the SME does not have, or that fewer than
    `min_peers` peers have, has None for its percentile and median; "peers" counts the peers
    with each score.

    Three small statements: the group sizes (cells) with the SME's own stored row, the ranks
    and the values at the median's positions (score counts). The own row is in the counts, so
    it is taken out of the sizes and the ranks, and a median position at or past its score is
    read one further on.
    """
    method = getattr(assessment_row, "method_version", None)
    industry = getattr(assessment_row, "industry", None)
    size = getattr(assessment_row, "size_class", None)
    if not score_counts.can_hold(method, industry, size):
        return peer_scan(assessment_row, min_peers)
    sizes, stored = _sizes_and_own(assessment_row)
    for g in sizes:
        if stored is not None and _in_group(g, assessment_row, stored):
            sizes[g] -= 1
    chosen = next((g for g in GROUPS if g in sizes and sizes[g] >= min_peers), None)
    if chosen is None:
        return None
    counted = stored is not None and _in_group(chosen, assessment_row, stored)
    mine = {m: None if (v := getattr(assessment_row, f"{m}_score", None)) is None else float(v)
            for m in METRICS}
    own = {m: float(stored[m]) if counted and stored is not None and stored[m] is not None
           else None for m in METRICS}
    params: dict[str, Any] = {"method": method, "industry": industry, "size_class": size}
    params.update({f"{m}__mine": mine[m] for m in METRICS})
    params.update({f"{m}__own": own[m] for m in METRICS})
    by_method = method is not None
    r = db.session.execute(score_counts.ranks(chosen, by_method), params).mappings().one()

    peers: dict[str, int] = {}
    percentiles: dict[str, int | None] = dict.fromkeys(METRICS)
    medians: dict[str, float | None] = dict.fromkeys(METRICS)
    positions: dict[str, list[int]] = {}
    for m in METRICS:
        o, x = own[m], mine[m]
        peers[m] = int(r[f"{m}__n"]) - (o is not None)
        if x is None or peers[m] < min_peers:
            continue
        below = int(r[f"{m}__lt"]) - (o is not None and o < x)
        equal = int(r[f"{m}__eq"]) - (o is not None and o == x)
        percentiles[m] = half_up_int(100 * (below + 0.5 * equal) / peers[m])
        # Position k among the peers is position k of all counted values before the own
        # score's first place, k + 1 from there on.
        first_own = int(r[f"{m}__own_lt"]) if o is not None else peers[m] + 1
        positions[m] = [k if k < first_own else k + 1
                        for k in sorted({(peers[m] - 1) // 2, peers[m] // 2})]
    if positions:
        at: dict[str, int | None] = {f"{m}__at{i}": None for m in METRICS for i in (1, 2)}
        for m, ks in positions.items():
            at[f"{m}__at1"], at[f"{m}__at2"] = ks[0], ks[-1]
        found = db.session.execute(score_counts.values_at(chosen, by_method),
                                   {**params, **at}).mappings().all()
        for m, ks in positions.items():
            middle = [next(float(v["score"]) for v in found if v["metric"] == m
                           and int(v["before"]) <= k < int(v["upto"])) for k in ks]
            medians[m] = half_up(middle[0] if len(middle) == 1
                                 else (middle[0] + middle[1]) / 2, 1)
    return {"group": chosen, "n": sizes[chosen], "percentiles": percentiles, "medians": medians,
            "peers": peers}


def benchmark_for(assessment: Assessment) -> dict[str, Any] | None:
    """The benchmark of a report or an API record: None for a demo assessment (demo rows are
    never compared) and while the peer group is smaller than BENCHMARK_MIN_PEERS."""
    if assessment.is_demo:
        return None
    result = peer_percentiles(assessment, int(current_app.config.get("BENCHMARK_MIN_PEERS", 20)))
    return dict(result) if result is not None else None
