"""Keeping the cells (survey.core.cells) in step with the assessments, inside the caller's
write transaction.

Every write to `assessments` goes through one of these, in the same transaction as the write,
so a reader never sees an assessment without its cell or the reverse:

- after inserting one assessment (a submit): `added_assessment` (from the row) or
  `added_values` (from the values the API submit inserted), its measures worked out in
  Python and upserted into its cell at each grain;
- after inserting many (demo seed, bench rows): `added_rows`, the same summed per cell;
- after inserting assessments known only by id: `added`;
- before deleting them: `removed`;
- around an update of a column the cells are keyed or summed by (rescoring, moving waves):
  `changing`, which takes the rows away before and adds them back after.

Every statement is compiled once per process (survey.queries.cells.row_upserts, id_deltas)
and takes its rows' ids or values as parameters, so a write pays no compiling.

The score counts of the peer benchmark (survey.queries.score_counts) are kept by the same
functions, beside the cells.

`rebuild` recomputes the whole table from the assessments (the migration that creates it,
`flask cells rebuild`, a restored backup); `differences` compares it with a recomputation, so
drift would show (`flask cells check`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, select, text, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from survey.core import cells as spec
from survey.models import Assessment
from survey.queries import cells as sql
from survey.queries import score_counts as counts


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def added(s: Session, ids: Sequence[int], by: str = "id") -> None:
    """The assessments whose `by` ("id" or "response_id") is one of `ids` were inserted in this
    transaction. By their ids, never a range: on PostgreSQL another writer's row can fall in
    one."""
    _ids(s, ids, by, 1)


def added_rows(s: Session, rows: Iterable[tuple[Mapping[str, Any], Mapping[str, Any], str]],
               ids: Sequence[int], by: str = "id") -> None:
    """Assessments just inserted in bulk, given as (assessment columns, answers, source) with
    their final wave, and their `ids`: their measures summed per cell in Python and upserted
    once per cell — a demo seed's chunk of 5,000 firms touches a few thousand cells, and
    reading 5,000 rows' answers back in SQL cost more than inserting them. The score counts
    read no answers and are added in SQL by the ids."""
    dialect = _dialect(s)
    s.execute(counts.id_delta(dialect, by, 1), {"ids": sql.ids_parameter(dialect, ids)})
    totals: dict[str, dict[tuple[Any, ...], dict[str, float]]] = {g: {} for g in spec.GRAINS}
    for row, answers, source in rows:
        measures = spec.row_measures(row, answers, source)
        for grain, cells_of in totals.items():
            key = tuple(spec.row_key(row, grain).values())
            into = cells_of.get(key)
            if into is None:
                cells_of[key] = dict(measures)
            else:
                for name, value in measures.items():
                    if value:
                        into[name] += value
    _upsert(s, {grain: [{**dict(zip(spec.GRAINS[grain], key, strict=True)), **values}
                        for key, values in cells_of.items()]
                for grain, cells_of in totals.items()})


def _upsert(s: Session, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Each grain's cells (key and measures) added in, straight through the driver."""
    connection = s.connection()
    for grain, statement, params in sql.row_upserts(_dialect(s)):
        batch = batches.get(grain)
        if batch:
            connection.exec_driver_sql(statement, [params(p) for p in batch])


def added_assessment(s: Session, assessment: Assessment) -> None:
    """One assessment just inserted (and flushed) in this transaction (`added_values`)."""
    row = {c.key: getattr(assessment, c.key) for c in Assessment.__table__.columns}
    response = assessment.response
    added_values(s, row, response.answers or {}, response.source)


def added_values(s: Session, row: Mapping[str, Any], answers: Mapping[str, Any],
                 source: str) -> None:
    """One assessment just inserted in this transaction, given as its columns (with its id and
    wave) and its response's answers and source: its own measures, worked out in Python from
    the values in hand, upserted into its cell at every grain — cheaper than `added`'s SELECT
    over the row, which reads its answers' JSON again."""
    measures = spec.row_measures(row, answers, source)
    _upsert(s, {grain: [{**spec.row_key(row, grain), **measures}] for grain in spec.GRAINS})
    s.execute(counts.id_delta(_dialect(s), "id", 1),
              {"ids": sql.ids_parameter(_dialect(s), [row["id"]])})


def removed(s: Session, ids: Sequence[int], by: str = "id") -> None:
    """The assessments whose `by` is one of `ids` are about to be deleted in this
    transaction."""
    _ids(s, ids, by, -1)
    _drop_empty(s)


def _ids(s: Session, ids: Sequence[int], by: str, sign: int) -> None:
    if not ids:
        return
    dialect = _dialect(s)
    params = {"ids": sql.ids_parameter(dialect, ids)}
    for stmt in sql.id_deltas(dialect, by, sign):
        s.execute(stmt, params)
    s.execute(counts.id_delta(dialect, by, sign), params)


def _apply(s: Session, where: ColumnElement[bool], sign: int) -> None:
    for grain in spec.GRAINS:
        s.execute(sql.delta(_dialect(s), grain, where, sign))
    s.execute(counts.delta(_dialect(s), where, sign))


def _drop_empty(s: Session) -> None:
    for stmt in sql.EMPTY_CELLS:
        s.execute(stmt)
    s.execute(counts.EMPTY)


def _hold(s: Session) -> None:
    """On PostgreSQL, keep other writers' assessments out until this transaction ends: each
    statement there sees what committed before it, so a row committed between taking a set of
    assessments away and adding it back would be added without having been taken (SQLite
    writers already wait for each other)."""
    if _dialect(s) == "postgresql":
        s.execute(text("LOCK TABLE assessments IN SHARE MODE"))


@contextmanager
def changing(s: Session, ids: Sequence[int] | None = None, *,
             where: ColumnElement[bool] | None = None) -> Iterator[None]:
    """Around an UPDATE of the assessments with these `ids`, or matching `where` (which must
    select the same rows after the update as before it)."""
    _hold(s)
    if ids is not None:
        _ids(s, ids, "id", -1)
    else:
        assert where is not None
        _apply(s, where, -1)
    yield
    if ids is not None:
        _ids(s, ids, "id", 1)
    else:
        assert where is not None
        _apply(s, where, 1)
    _drop_empty(s)


def rebuild(s: Session, score_counts: bool = True) -> dict[str, int]:
    """Recompute every cell (and the score counts, unless told not to: migration 0006 runs
    before their table exists) from the assessments; returns how many rows each table has."""
    for table in sql.TABLES.values():
        s.execute(delete(table))
    s.execute(sql.delta(_dialect(s), "all", true(), 1))
    for grain in spec.GRAINS:
        if grain != "all":
            s.execute(sql.rollup(grain))
    out = {grain: int(s.scalar(select(func.count()).select_from(table)) or 0)
           for grain, table in sql.TABLES.items()}
    if score_counts:
        out["score_counts"] = rebuild_score_counts(s)
    return out


def rebuild_score_counts(s: Session) -> int:
    """Recompute the score counts alone; returns how many rows they have."""
    s.execute(delete(counts.TABLE))
    s.execute(counts.delta(_dialect(s), true(), 1))
    return int(s.scalar(select(func.count()).select_from(counts.TABLE)) or 0)


Key = tuple[Any, ...]


def _read(s: Session, grain: str, stmt: Any) -> dict[Key, dict[str, float]]:
    out: dict[Key, dict[str, float]] = {}
    for row in s.execute(stmt).mappings():
        key = tuple(row[d] for d in spec.GRAINS[grain])
        values = out.setdefault(key, dict.fromkeys(spec.MEASURE_NAMES, 0.0))
        for name in spec.MEASURE_NAMES:
            values[name] += float(row[name] or 0)
    return out


def differences(s: Session, tolerance: float = 1e-6) -> list[str]:
    """How the stored cells differ from a recomputation, one line per difference (none when
    they agree; sums within `tolerance`, relative, of each other)."""
    problems: list[str] = []
    for grain, table in sql.TABLES.items():
        stored = _read(s, grain, select(table))
        fresh = _read(s, grain, sql.source(_dialect(s), grain, true()))
        for key in sorted(stored.keys() | fresh.keys(), key=repr):
            a, b = stored.get(key), fresh.get(key)
            if a is None or b is None:
                problems.append(f"{grain}: {'missing' if a is None else 'extra'} cell {key}")
                continue
            for name in spec.MEASURE_NAMES:
                x, y = a[name], b[name]
                if abs(x - y) > tolerance * max(1.0, abs(x), abs(y)):
                    problems.append(f"{grain}: cell {key}: {name} is {x}, recomputed {y}")
    return problems + score_count_differences(s)


def score_count_differences(s: Session) -> list[str]:
    """How the stored score counts differ from a recomputation (counts are exact; a row left
    at n = 0 is a difference too: it should have been removed)."""
    stored = counts.stored_keys(s.execute(select(counts.TABLE)).mappings())
    fresh = counts.stored_keys(s.execute(counts.source(true())).mappings())
    return [f"score_counts: {key}: n is {stored.get(key)}, recomputed {fresh.get(key)}"
            for key in sorted(stored.keys() | fresh.keys(), key=repr)
            if stored.get(key) != fresh.get(key)]
