"""The score counts in SQL: the statement that adds (or takes away) a set of assessments, and
the distribution of each score in a peer group.

The peer benchmark needs, within a group, how many peers hold each score value: ranks and
medians follow from that distribution alone. Scores are stored to one decimal, so a group's
distribution is at most a thousand and one values a score, whatever the number of firms.
Counts are kept by the same `INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE SET n = n +
excluded.n` as the cells (survey.queries.cells), in the transaction of every write.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    TextClause,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from survey.aggregates import SCORE_COUNTS
from survey.core.cells import NO_VALUE
from survey.core.questionnaire.schema import METRICS
from survey.models import Assessment
from survey.queries.base import score_column
from survey.queries.cells import listed_ids

TABLE = SCORE_COUNTS
KEY: tuple[str, ...] = ("method_version", "industry", "size_class", "metric", "score")
PLACEHOLDER: str = NO_VALUE
"""The key of an industry or size class the assessment has none of (a unique key cannot hold
NULL: NULLs never conflict)."""


def _text_key(col: Any) -> ColumnElement[Any]:
    """Inlined, so PostgreSQL sees one expression in SELECT and GROUP BY."""
    return func.coalesce(col, literal_column(f"'{PLACEHOLDER}'", String))


def source(where: ColumnElement[bool] | TextClause, sign: int = 1) -> Any:
    """The score counts of the real assessments matching `where` (negated for sign −1): one
    SELECT a metric, joined by UNION ALL. The metric's name is a constant, so it is left out
    of GROUP BY (PostgreSQL refuses a constant there).

    A demo row's score is read as NULL rather than filtered by `is_demo` beside `where`: given
    an indexable `is_demo` term, SQLite scans every real row through the demo index instead of
    looking up the few ids a write names."""
    a = Assessment
    parts: list[Any] = []
    for m in METRICS:
        score = case((a.is_demo.is_(False), score_column(m)))
        keys = [a.method_version, _text_key(a.industry), _text_key(a.size_class)]
        count = func.count() if sign > 0 else -func.count()
        parts.append(
            select(*(k.label(name) for k, name in zip(keys, KEY, strict=False)),
                   literal_column(f"'{m}'", String).label("metric"), score.label("score"),
                   count.label("n"))
            .select_from(a)
            .where(where, score.is_not(None))
            .group_by(*keys, score))
    return union_all(*parts)


def delta(dialect: str, where: ColumnElement[bool] | TextClause, sign: int = 1) -> Any:
    """Add (sign 1) or take away (sign −1) the assessments matching `where` in the counts."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(TABLE).from_select([*KEY, "n"], source(where, sign))
    return stmt.on_conflict_do_update(index_elements=list(KEY),
                                      set_={"n": TABLE.c.n + stmt.excluded.n})


@cache
def id_delta(dialect: str, by: str, sign: int) -> TextClause:
    """`delta` over the assessments whose `by` ("id" or "response_id") is in :ids, compiled
    once per process to SQL text, as survey.queries.cells.id_deltas is: the per-submit path
    pays no compilation."""
    target = (postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
              if dialect == "postgresql" else sqlite.dialect())
    return text(str(delta(dialect, listed_ids(dialect, by), sign).compile(
        dialect=target, compile_kwargs={"literal_binds": True})))


EMPTY = delete(TABLE).where(TABLE.c.n == 0)
"""Counts whose last assessment was taken away."""


# --- Reading ------------------------------------------------------------------------------


def can_hold(*values: str | None) -> bool:
    """The counts can tell these key values apart: a value equal to the placeholder would be
    read as "none"."""
    return all(v != PLACEHOLDER for v in values)


GROUP_KEYS: dict[str, tuple[str, ...]] = {
    "industry_size": ("industry", "size_class"), "industry": ("industry",), "all": ()}
"""The key columns a peer group fixes (bound as `:industry`, `:size_class`)."""


def _in_group(group: str, by_method: bool) -> list[ColumnElement[bool]]:
    """The group's rows, for one method (`:method`) or any: the key's leading columns."""
    c = TABLE.c
    where = [c.method_version == bindparam("method", type_=String)] if by_method else []
    return where + [c[k] == bindparam(k, type_=String) for k in GROUP_KEYS[group]]


def _of(metric: str) -> ColumnElement[bool]:
    return TABLE.c.metric == literal_column(f"'{metric}'", String)


@cache
def ranks(group: str, by_method: bool) -> Select[Any]:
    """One row over the group: for each metric `m`, the peers holding it (`m__n`), those
    below and equal to `:m__mine` (`m__lt`, `m__eq`) and those below `:m__own`
    (`m__own_lt`: where the SME's own stored score sits). A NULL bound counts nothing.
    Built once per process; the values come as parameters."""
    c = TABLE.c

    def total(cond: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((cond, c.n), else_=0)), 0)

    cols: list[ColumnElement[Any]] = []
    for m in METRICS:
        of_m = _of(m)
        mine = bindparam(f"{m}__mine", type_=Float)
        own = bindparam(f"{m}__own", type_=Float)
        cols += [total(of_m).label(f"{m}__n"),
                 total(and_(of_m, c.score < mine)).label(f"{m}__lt"),
                 total(and_(of_m, c.score == mine)).label(f"{m}__eq"),
                 total(and_(of_m, c.score < own)).label(f"{m}__own_lt")]
    return select(*cols).where(*_in_group(group, by_method))


@cache
def values_at(group: str, by_method: bool) -> Select[Any]:
    """The score values at given positions of each metric's sorted values in the group
    (0-based, `:m__at1` and `:m__at2`; NULL asks for none): rows (metric, score, before, upto)
    where the positions in [before, upto) hold `score`. A running sum over the group's few
    thousand (metric, score) rows, in key order: the median without sorting the firms. (The
    ROWS frame is SQLite's faster one; each value is one row, so it equals the RANGE.)"""
    c = TABLE.c
    where = _in_group(group, by_method)
    if group == "industry_size" and by_method:  # one row a value already: no GROUP BY
        n: ColumnElement[Any] = c.n
        per_value = select(c.metric, c.score, n.label("n"), func.sum(n).over(
            partition_by=c.metric, order_by=c.score, rows=(None, 0)).label("upto")).where(*where)
    else:
        n = func.sum(c.n)
        per_value = select(c.metric, c.score, n.label("n"), func.sum(n).over(
            partition_by=c.metric, order_by=c.score, rows=(None, 0)).label("upto")
        ).where(*where).group_by(c.metric, c.score)
    v = per_value.subquery().c
    wanted = [and_(v.metric == literal_column(f"'{m}'", String), v.upto > at, v.upto - v.n <= at)
              for m in METRICS for at in (bindparam(f"{m}__at1", type_=Integer),
                                          bindparam(f"{m}__at2", type_=Integer))]
    return select(v.metric, v.score, (v.upto - v.n).label("before"), v.upto).where(or_(*wanted))


def stored_keys(rows: Iterable[Any]) -> dict[tuple[Any, ...], int]:
    """Rows of the table (or of `source`) as {key: n}, summed where a key repeats."""
    out: dict[tuple[Any, ...], int] = {}
    for r in rows:
        key = tuple(r[k] for k in KEY)
        out[key] = out.get(key, 0) + int(r["n"])
    return out
