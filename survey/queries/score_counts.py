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
    String,
    TextClause,
    delete,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from survey.core.cells import NO_VALUE
from survey.core.questionnaire.schema import METRICS
from survey.models import SCORE_COUNTS, Assessment
from survey.queries.base import score_column
from survey.queries.cells import _listed_ids as listed_ids

TABLE = SCORE_COUNTS
KEY: tuple[str, ...] = ("method_version", "industry", "size_class", "metric", "score")
PLACEHOLDER: str = NO_VALUE
"""The key of an industry or size class the assessment has none of (a unique key cannot hold
NULL: NULLs never conflict)."""


def _text_key(col: Any) -> ColumnElement[Any]:
    """Inlined, so PostgreSQL sees one expression in SELECT and GROUP BY."""
    return func.coalesce(col, literal_column(f"'{PLACEHOLDER}'", String))


def source(where: ColumnElement[bool], sign: int = 1) -> Any:
    """The score counts of the real assessments matching `where` (negated for sign −1): one
    SELECT a metric, joined by UNION ALL. The metric's name is a constant, so it is left out
    of GROUP BY (PostgreSQL refuses a constant there)."""
    a = Assessment
    parts: list[Any] = []
    for m in METRICS:
        score = score_column(m)
        keys = [a.method_version, _text_key(a.industry), _text_key(a.size_class)]
        count = func.count() if sign > 0 else -func.count()
        parts.append(
            select(*(k.label(name) for k, name in zip(keys, KEY, strict=False)),
                   literal_column(f"'{m}'", String).label("metric"), score.label("score"),
                   count.label("n"))
            .select_from(a)
            .where(where, a.is_demo.is_(False), score.is_not(None))
            .group_by(*keys, score))
    return union_all(*parts)


def delta(dialect: str, where: ColumnElement[bool], sign: int = 1) -> Any:
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


def distribution(method: str | None, industry: str | None = None,
                 size_class: str | None = None) -> Any:
    """SELECT metric, score, n: how many real assessments of the method (any method for None)
    in the group (everyone; an industry; an industry and size class) hold each score value,
    lowest first. The key's leading columns serve it."""
    c = TABLE.c
    where: list[ColumnElement[bool]] = []
    if method is not None:
        where.append(c.method_version == method)
    if industry is not None:
        where.append(c.industry == industry)
    if size_class is not None:
        where.append(c.size_class == size_class)
    return (select(c.metric, c.score, func.sum(c.n).label("n")).where(*where)
            .group_by(c.metric, c.score).order_by(c.metric, c.score))


def stored_keys(rows: Iterable[Any]) -> dict[tuple[Any, ...], int]:
    """Rows of the table (or of `source`) as {key: n}, summed where a key repeats."""
    out: dict[tuple[Any, ...], int] = {}
    for r in rows:
        key = tuple(r[k] for k in KEY)
        out[key] = out.get(key, 0) + int(r["n"])
    return out
