"""The cells in SQL: each measure as an aggregate over assessments, the statement that adds
(or takes away) a set of assessments, and the sums the dashboard's scans read instead.

One statement keeps the cells in step with any write, however many rows it touches: an
`INSERT … SELECT … GROUP BY <key> … ON CONFLICT (<key>) DO UPDATE SET m = m + excluded.m` over
the assessments the write added (or, negated, the ones it is about to change or delete). Both
SQLite (3.24+) and PostgreSQL take it, and PostgreSQL's row lock on a conflicting cell orders
concurrent writers to the same cell. The aggregate expressions are the very ones of
survey.queries.base, so a cell summed holds exactly what the scan of its assessments would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Integer,
    TextClause,
    and_,
    bindparam,
    cast,
    delete,
    func,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from survey.aggregates import CELL_TABLES
from survey.core import cells as spec
from survey.core.needs import KNOWN_PRIORITIES
from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.core.questionnaire.schema import CREDIT_CLASSES, METRICS
from survey.core.scoring import PRIORITIES_2027
from survey.models import Assessment, Response
from survey.queries.answer_sql import listed, reading, ticked
from survey.queries.base import (
    applies,
    count_if,
    level_bands,
    metric_column,
    number,
    priority_column,
    score_column,
)
from survey.queries.filters import Filters

WEB = spec.WEB
"""The one source whose timing means something: a person answering page by page. API
submissions arrive whole (no duration, no drafts) and demo rows are made up; counted as
starters or timed they would pull drop-out towards 0 % and the median towards nothing."""

TABLES = CELL_TABLES


def _in_band(col: Any, i: int) -> ColumnElement[bool]:
    """The value lies in level band i: [BANDS[i], BANDS[i+1]), the top band closed."""
    lo: ColumnElement[bool] = col >= number(spec.BANDS[i])
    if i + 1 < len(spec.BANDS):
        return and_(lo, col < number(spec.BANDS[i + 1]))
    return lo


@cache
def _answers(dialect: str) -> Any:
    """Where the cells read each assessment's answers. On PostgreSQL, a LATERAL subquery
    turns them into JSONB once a row (OFFSET 0 keeps the planner from folding the cast back
    into every use): `->>` on a `json` value parses the whole text again, once for each of the
    170 answers counted, and rebuilding a million assessments' cells took over twenty minutes
    that way. On SQLite, the column itself."""
    if dialect != "postgresql":
        return None
    return (select(cast(Response.answers, postgresql.JSONB).label("answers"))
            .correlate(Response).offset(0).lateral("r"))


@cache
def _measure_expressions(dialect: str) -> dict[str, ColumnElement[Any]]:
    a = Assessment
    lateral = _answers(dialect)
    answers = Response.answers if lateral is None else lateral.c.answers
    out: dict[str, ColumnElement[Any]] = {
        "n": func.count(), "n_demo": count_if(a.is_demo.is_(True))}
    for m in spec.ALL_METRICS:
        col = metric_column(m)
        out[f"{m}__n"] = func.count(col)
        out[f"{m}__s"] = func.coalesce(func.sum(col), 0.0)
        out[f"{m}__ss"] = func.coalesce(func.sum(col * col), 0.0)
    for m in METRICS:
        for t in spec.THRESHOLDS:
            out[spec.ge_key(m, t)] = count_if(score_column(m) >= number(t))
    for rec in RECOMMENDATIONS:
        for p in PRIORITIES_2027:
            out[spec.priority_count_key(rec, p)] = count_if(
                priority_column(rec) == literal_column(f"'{p}'"))
        out[spec.known_priority_key(rec)] = count_if(
            priority_column(rec).in_([literal_column(f"'{p}'") for p in KNOWN_PRIORITIES]))
    for area in AREAS:
        out[spec.applies_key(area)] = count_if(applies(area))
    for cls in CREDIT_CLASSES:
        out[spec.credit_key(cls)] = count_if(
            a.credit_constraint == literal_column(f"'{cls}'"))
    out[spec.CREDIT_ANY] = count_if(
        a.credit_constraint.in_([literal_column(f"'{c}'") for c in CREDIT_CLASSES]))
    for row, col in spec.CROSSTABS:
        r, c = metric_column(row), metric_column(col)
        for i in range(len(spec.BANDS)):
            for j in range(len(spec.BANDS)):
                out[spec.crosstab_key(row, col, i, j)] = count_if(
                    and_(_in_band(r, i), _in_band(c, j)))
        out[spec.both_scored_key(row, col)] = count_if(and_(r.is_not(None), c.is_not(None)))
    duration = a.duration_seconds
    timed = and_(Response.source == literal_column(f"'{WEB}'"), duration.is_not(None))
    out[spec.WEB_TIMED] = count_if(timed)
    edges = spec.DURATION_EDGES
    for k, key in enumerate(spec.DURATION_KEYS):
        within = [timed]
        if k > 0:
            within.append(duration >= number(edges[k - 1]))
        if k < len(edges):
            within.append(duration < number(edges[k]))
        out[key] = count_if(and_(*within))
    for source, (multi, options) in spec.ANSWERS.items():
        value = reading(source, multi, answers)
        if multi:
            answered = listed(value)
            out[spec.answer_key(source)] = count_if(answered)
            for option in options:
                out[spec.answer_key(source, option)] = count_if(
                    and_(answered, ticked(value, option)))
        else:
            for option in options:
                out[spec.answer_key(source, option)] = count_if(
                    value == literal_column(f"'{option}'"))
    assert tuple(out) == spec.MEASURE_NAMES
    return out


@cache
def _keys(grain: str) -> list[ColumnElement[Any]]:
    """The key of an assessment's cell at a grain, with the placeholders for missing values
    (inlined, so PostgreSQL sees one expression in SELECT and GROUP BY)."""
    a = Assessment
    out: list[ColumnElement[Any]] = []
    for d in spec.GRAINS[grain]:
        col = getattr(a, d)
        if d == "wave_id":
            out.append(func.coalesce(col, literal_column(str(spec.NO_WAVE), Integer)))
        elif d == "is_demo":
            out.append(col)
        else:
            out.append(func.coalesce(col, literal_column(f"'{spec.NO_VALUE}'")))
    return out


def source(dialect: str, grain: str, where: ColumnElement[bool] | TextClause, sign: int = 1) -> Any:
    """The cells at `grain` of the assessments matching `where` (negated for sign −1)."""
    keys = _keys(grain)
    stmt = (select(*(k.label(d) for k, d in zip(keys, spec.GRAINS[grain], strict=True)),
                   *((e if sign > 0 else -e).label(name)
                     for name, e in _measure_expressions(dialect).items()))
            .select_from(Assessment).join(Response, Response.id == Assessment.response_id))
    lateral = _answers(dialect)
    if lateral is not None:
        stmt = stmt.join(lateral, true())
    return stmt.where(where).group_by(*keys)


def delta(dialect: str, grain: str, where: ColumnElement[bool] | TextClause, sign: int = 1) -> Any:
    """Add (sign 1) or take away (sign −1) the assessments matching `where` in their cells."""
    table = TABLES[grain]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table).from_select([*spec.GRAINS[grain], *spec.MEASURE_NAMES],
                                     source(dialect, grain, where, sign))
    return stmt.on_conflict_do_update(
        index_elements=list(spec.GRAINS[grain]),
        set_={name: table.c[name] + stmt.excluded[name] for name in spec.MEASURE_NAMES})


def rollup(grain: str) -> Any:
    """Fill a coarser grain from the finest one: its cells are sums of the finest cells, and
    summing cells is far cheaper than reading every answer again."""
    finest = TABLES["all"].c
    dims = spec.GRAINS[grain]
    src = (select(*(finest[d] for d in dims),
                  *(func.sum(finest[m]).label(m) for m in spec.MEASURE_NAMES))
           .group_by(*(finest[d] for d in dims)))
    return TABLES[grain].insert().from_select([*dims, *spec.MEASURE_NAMES], src)


KEYS: Mapping[str, Any] = {"id": Assessment.id, "response_id": Assessment.response_id}


def ids_condition(dialect: str, column: str) -> TextClause:
    """`column` ("table.column") is one of the ids bound as :ids — a JSON array on SQLite
    (`ids_parameter`), an array on PostgreSQL — so one SQL text serves any number of rows.
    Plain text: typed as a Boolean, SQLite would be sent "(…) = 1", which no index serves.
    The colon is escaped so that compiling with literal binds leaves ":ids" for the caller's
    text to bind."""
    if dialect == "postgresql":
        return text(f"{column} = ANY(\\:ids)")
    return text(f"{column} IN (SELECT value FROM json_each(\\:ids))")


def listed_ids(dialect: str, by: str) -> TextClause:
    """The assessments whose `by` ("id" or "response_id") is one of :ids."""
    return ids_condition(dialect, f"{Assessment.__tablename__}.{KEYS[by].key}")


@cache
def id_deltas(dialect: str, by: str, sign: int) -> tuple[TextClause, ...]:
    """`delta` at every grain over the assessments whose `by` is in :ids, as SQL text with its
    constants inlined: compiled once per process — each is some 400 aggregates, a tenth of a
    second to compile, and every submit runs them — rather than once per engine (SQLAlchemy's
    own cache lives on the engine)."""
    target = (postgresql.psycopg.dialect() if dialect == "postgresql"  # type: ignore[no-untyped-call]
              else sqlite.dialect())
    window = listed_ids(dialect, by)
    return tuple(
        text(str(delta(dialect, grain, window, sign).compile(
            dialect=target, compile_kwargs={"literal_binds": True})))
        for grain in spec.GRAINS)


def ids_parameter(dialect: str, ids: Sequence[int]) -> Any:
    return list(ids) if dialect == "postgresql" else json.dumps(list(ids))


@cache
def row_upserts(dialect: str
                ) -> tuple[tuple[str, str, Callable[[Mapping[str, Any]], Any]], ...]:
    """Per grain, an upsert of one assessment's own measures (survey.core.cells.row_measures)
    into its cell — what a submit runs, with no SELECT over the row it has just written — as
    the driver's own SQL and what turns a cell's values into its parameters (a tuple in the
    statement's order, or the mapping itself where the driver takes them by name). Compiled
    once per process and sent straight to the driver: SQLAlchemy's handling of 440
    parameters four times over cost more than the database's work."""
    target = (postgresql.psycopg.dialect() if dialect == "postgresql"  # type: ignore[no-untyped-call]
              else sqlite.dialect())
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    out = []
    for grain, table in TABLES.items():
        names = [*spec.GRAINS[grain], *spec.MEASURE_NAMES]
        stmt = insert(table).values({n: bindparam(n) for n in names})
        compiled = stmt.on_conflict_do_update(
            index_elements=list(spec.GRAINS[grain]),
            set_={m: table.c[m] + stmt.excluded[m] for m in spec.MEASURE_NAMES},
        ).compile(dialect=target)
        params: Callable[[Mapping[str, Any]], Any] = (
            itemgetter(*compiled.positiontup) if compiled.positiontup else dict)
        out.append((grain, compiled.string, params))
    return tuple(out)


EMPTY_CELLS: tuple[Any, ...] = tuple(delete(t).where(t.c.n == 0) for t in TABLES.values())
"""Cells whose last assessment was taken away."""


# --- Reading ------------------------------------------------------------------------------


def usable() -> bool:
    """The cells answer for the current questionnaire: its levels are the bands and
    thresholds the cells count in. Otherwise the scans read the assessments."""
    bounds = tuple(lo for _, lo in level_bands())
    return bounds == spec.BANDS


def dimension(cols: Any, name: str) -> ColumnElement[Any]:
    """A key column as the assessments hold it: the placeholders back to NULL."""
    col: ColumnElement[Any] = cols[name]
    if name == "wave_id":
        return func.nullif(col, literal_column(str(spec.NO_WAVE), Integer))
    if name == "is_demo":
        return col
    return func.nullif(col, literal_column(f"'{spec.NO_VALUE}'"))


Sums = Mapping[str, Sequence[str]]
"""Label → the measures summed together under it (most: one measure of the same name)."""


def plain(names: Sequence[str]) -> dict[str, tuple[str]]:
    return {n: (n,) for n in names}


def summed(sums: Sums, filters: Filters, by: Sequence[str] = (),
           labels: Mapping[str, str] | None = None, real_only: bool = False) -> Any:
    """SELECT the key columns `by` (labelled as `labels` says, else by name) and the sums
    FROM the smallest grain of cells holding every dimension grouped or filtered by,
    narrowed by the filters, GROUP BY `by`."""
    labels = labels or {}
    cols = TABLES[spec.grain_for(set(by) | filters.dimensions())].c
    keys = [dimension(cols, d) for d in by]

    def total(names: Sequence[str]) -> ColumnElement[Any]:
        if not names:
            return literal_column("0")
        expr: Any = cols[names[0]]
        for n in names[1:]:
            expr = expr + cols[n]
        return func.sum(expr)

    stmt = select(*(k.label(labels.get(d, d)) for k, d in zip(keys, by, strict=True)),
                  *(total(names).label(label) for label, names in sums.items()))
    stmt = filters.apply(stmt, cols)
    if real_only:
        stmt = stmt.where(cols.is_demo.is_(False))
    return stmt.group_by(*keys) if keys else stmt
