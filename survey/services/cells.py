"""Keeping the cells (survey.core.cells) in step with the assessments, inside the caller's
write transaction.

Every write to `assessments` goes through one of these, in the same transaction as the write,
so a reader never sees an assessment without its cell or the reverse:

- after inserting assessments: `added`;
- before deleting them: `removed`;
- around an update of a column the cells are keyed or summed by (rescoring, moving waves):
  `removed` before and `added` after, over the same rows (`changing` does both).

`rebuild` recomputes the whole table from the assessments (the migration that creates it,
`flask cells rebuild`, a restored backup); `differences` compares it with a recomputation, so
drift would show (`flask cells check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, select, text, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from survey.core import cells as spec
from survey.queries import cells as sql


def _dialect(s: Session) -> str:
    return s.get_bind().dialect.name


def added_range(s: Session, lo: int, hi: int, by: str = "id") -> None:
    """The assessments whose `by` ("id" or "response_id") is in [lo, hi] were inserted."""
    for stmt in sql.range_deltas(_dialect(s), by, 1):
        s.execute(stmt, {"lo": lo, "hi": hi})


def removed_range(s: Session, lo: int, hi: int, by: str = "id") -> None:
    """The assessments whose `by` is in [lo, hi] are about to be deleted."""
    for stmt in sql.range_deltas(_dialect(s), by, -1):
        s.execute(stmt, {"lo": lo, "hi": hi})
    _drop_empty(s)


def _apply(s: Session, where: ColumnElement[bool], sign: int) -> None:
    for grain in spec.GRAINS:
        s.execute(sql.delta(_dialect(s), grain, where, sign))


def _drop_empty(s: Session) -> None:
    for stmt in sql.EMPTY_CELLS:
        s.execute(stmt)


def added(s: Session, where: ColumnElement[bool]) -> None:
    """The assessments matching `where` were inserted in this transaction (`where` must match
    no other writer's rows: name them, by id)."""
    _apply(s, where, 1)


def removed(s: Session, where: ColumnElement[bool]) -> None:
    """The assessments matching `where` are about to be deleted (by the caller, in this
    transaction)."""
    _hold(s)
    _apply(s, where, -1)
    _drop_empty(s)


def _hold(s: Session) -> None:
    """On PostgreSQL, keep other writers' assessments out until this transaction ends: each
    statement there sees what committed before it, so a row committed between taking a set of
    assessments away and adding it back would be added without having been taken (SQLite
    writers already wait for each other)."""
    if _dialect(s) == "postgresql":
        s.execute(text("LOCK TABLE assessments IN SHARE MODE"))


@contextmanager
def changing(s: Session, where: ColumnElement[bool]) -> Iterator[None]:
    """Around an UPDATE of the assessments matching `where` (the condition must select the
    same rows after the update as before it)."""
    _hold(s)
    _apply(s, where, -1)
    yield
    _apply(s, where, 1)
    _drop_empty(s)


def rebuild(s: Session) -> dict[str, int]:
    """Recompute every cell from the assessments; returns how many cells each grain has."""
    out = {}
    for grain, table in sql.TABLES.items():
        s.execute(delete(table))
        s.execute(sql.delta(_dialect(s), grain, true(), 1))
        out[grain] = int(s.scalar(select(func.count()).select_from(table)) or 0)
    return out


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
        fresh = _read(s, grain, sql.source(grain, true()))
        for key in sorted(stored.keys() | fresh.keys(), key=repr):
            a, b = stored.get(key), fresh.get(key)
            if a is None or b is None:
                problems.append(f"{grain}: {'missing' if a is None else 'extra'} cell {key}")
                continue
            for name in spec.MEASURE_NAMES:
                x, y = a[name], b[name]
                if abs(x - y) > tolerance * max(1.0, abs(x), abs(y)):
                    problems.append(f"{grain}: cell {key}: {name} is {x}, recomputed {y}")
    return problems
