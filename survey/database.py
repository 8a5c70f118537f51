"""Connection set-up and the write transaction every service uses.

SQLite serves several writers only with care (DESIGN.md §7): WAL so readers never block the
writer, a busy timeout, foreign keys on, and `BEGIN IMMEDIATE` for write transactions — a
deferred transaction that reads and then writes fails with SQLITE_BUSY however long the busy
timeout. Reads keep the ordinary deferred `BEGIN` so they never queue behind writers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from survey.extensions import db

IMMEDIATE: Final = "survey_begin_immediate"


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@event.listens_for(Engine, "begin")
def _on_begin(conn: Any) -> None:
    if conn.dialect.name != "sqlite":
        return
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(session: Session | None = None) -> Iterator[Session]:
    """One atomic write: committed on success, rolled back on any error.

    A read transaction left open by the request is closed first, so the write starts with
    `BEGIN IMMEDIATE` on SQLite and takes the write lock before it reads.
    """
    s: Session = session if session is not None else db.session()
    if s.in_transaction():
        s.commit()
    s.connection(execution_options={IMMEDIATE: True})
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
