"""Keeping `response_starts` (survey.models.ResponseStart) in step with the web responses,
inside the caller's write transaction.

The table holds, per UTC day a response began (the date of `created_at`), demo or not, and
status, how many web responses there are: what the drop-out among starters counts
(survey.queries.overview.starters), so a page view sums a few hundred rows instead of
scanning every response. Every write that adds, submits or deletes a response goes through one
of these, in the same transaction, so a reader never sees a response without its count:

- after inserting responses: `added` (by their ids);
- before deleting them: `removed`;
- around an update of a column the table is keyed or filtered by (status, created_at, is_demo,
  source): `changing`, which takes the rows away before and adds them back after.

Each is one `INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE SET n = n + excluded.n` over
the responses named, negated to take them away; counts that reach 0 are deleted, so the table
holds no key without responses and equals a GROUP BY of `responses` exactly. A response of any
other source matches no row of the SELECT, so callers need not ask which source it has.

`rebuild` recomputes the table from the responses (after SQL written by hand, `flask cells
rebuild`); `differences` compares it with a recomputation (`flask cells check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Date,
    Table,
    TextClause,
    delete,
    func,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from survey.aggregates import ResponseStart
from survey.models import Response
from survey.queries.cells import WEB, ids_condition, ids_parameter

KEY: tuple[str, ...] = ("started_on", "is_demo", "status")
TABLE = cast(Table, ResponseStart.__table__)


def _key() -> tuple[Any, ...]:
    """A response's key: the UTC date it began (`date()` gives 'YYYY-MM-DD' on SQLite and a
    date on PostgreSQL, both what a DATE column holds there), demo or not, and status."""
    return (func.date(Response.created_at, type_=Date), Response.is_demo, Response.status)


def source(where: ColumnElement[bool] | TextClause, sign: int = 1) -> Any:
    """The counts of the web responses matching `where`, per key (negated for sign −1)."""
    keys = _key()
    n = func.count() if sign > 0 else -func.count()
    return (select(*(k.label(name) for k, name in zip(keys, KEY, strict=True)), n.label("n"))
            .where(where, Response.source == WEB).group_by(*keys))


def _upsert(dialect: str, where: ColumnElement[bool] | TextClause, sign: int) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(TABLE).from_select([*KEY, "n"], source(where, sign))
    return stmt.on_conflict_do_update(index_elements=list(KEY),
                                      set_={"n": TABLE.c.n + stmt.excluded.n})


def _listed(dialect: str) -> TextClause:
    """The response's id is one of :ids, a purge's thousands too."""
    return ids_condition(dialect, f"{Response.__tablename__}.id")


@cache
def _by_ids(dialect: str, sign: int) -> TextClause:
    """`_upsert` over the responses bound as :ids, compiled once per process."""
    target = (postgresql.psycopg.dialect() if dialect == "postgresql"  # type: ignore[no-untyped-call]
              else sqlite.dialect())
    return text(str(_upsert(dialect, _listed(dialect), sign).compile(
        dialect=target, compile_kwargs={"literal_binds": True})))


LOCK = text(f"SELECT 1 FROM {Response.__tablename__} WHERE id = ANY(:ids) FOR UPDATE")
"""PostgreSQL: hold the rows until this transaction ends, so the state taken away is the one
deleted or changed — a submit committing in between would otherwise be taken away twice."""

EMPTY = delete(TABLE).where(TABLE.c.n == 0)


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def _apply(s: Session, ids: Sequence[int], sign: int) -> None:
    dialect = _dialect(s)
    s.execute(_by_ids(dialect, sign), {"ids": ids_parameter(dialect, ids)})


def _lock(s: Session, ids: Sequence[int]) -> None:
    if _dialect(s) == "postgresql":
        s.execute(LOCK, {"ids": list(ids)})


def added(s: Session, ids: Sequence[int]) -> None:
    """The responses with these ids were inserted in this transaction (and flushed)."""
    if ids:
        _apply(s, ids, 1)


def removed(s: Session, ids: Sequence[int], *, locked: bool = False) -> None:
    """The responses with these ids are about to be deleted in this transaction (`locked`:
    the caller already holds them, SELECT … FOR UPDATE)."""
    if not ids:
        return
    if not locked:
        _lock(s, ids)
    _apply(s, ids, -1)
    s.execute(EMPTY)


@contextmanager
def changing(s: Session, ids: Sequence[int], *, locked: bool = False) -> Iterator[None]:
    """Around a change of the responses with these ids (`locked`: the caller already holds
    them); what the block changes through the ORM is flushed before they are counted again."""
    if not locked:
        _lock(s, ids)
    _apply(s, ids, -1)
    yield
    s.flush()
    _apply(s, ids, 1)
    s.execute(EMPTY)


def rebuild(s: Session) -> int:
    """Recompute the table from the responses; returns how many rows it has."""
    s.execute(delete(TABLE))
    s.execute(TABLE.insert().from_select([*KEY, "n"], source(true())))
    return int(s.scalar(select(func.count()).select_from(TABLE)) or 0)


Key = tuple[dt.date, bool, str]


def _read(s: Session, stmt: Any) -> dict[Key, int]:
    return {(row.started_on, bool(row.is_demo), row.status): int(row.n)
            for row in s.execute(stmt)}


def differences(s: Session) -> list[str]:
    """How the stored counts differ from a recomputation, one line per key (none when they
    agree)."""
    stored = _read(s, select(TABLE))
    fresh = _read(s, source(true()))
    return [f"response_starts: {key}: n is {stored.get(key, 0)}, recomputed {fresh.get(key, 0)}"
            for key in sorted(stored.keys() | fresh.keys())
            if stored.get(key) != fresh.get(key)]
