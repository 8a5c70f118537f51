"""Deleting a response so that it is gone: from the tables, the file and the API's memory.

A deleted row is not yet gone from disk. SQLite leaves its bytes in the freed page and, in WAL
mode, in the write-ahead log until a checkpoint copies the page back — the token and answers
could be read from `survey.sqlite3-wal` or a free page long after "delete". So a delete runs
with `secure_delete` on (freed content is overwritten with zeros; some builds, Debian's
among them, compile it in, others do not) and is followed by a
`wal_checkpoint(TRUNCATE)`, which empties the log file. PostgreSQL's dead tuples are not
reachable through SQL and are reclaimed by autovacuum; nothing is needed there.

And a deleted submission must stay deleted: the Idempotency-Key of the API request that made
it is kept, marked gone, so replaying that request answers 410 instead of storing it again.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from survey.extensions import db
from survey.models import Assessment, ContactRequest, ProgrammeMatch, Response
from survey.services import cells, idempotency, starts

log = logging.getLogger(__name__)


def erase(s: Session, response_id: int) -> None:
    """Delete a response, its assessment, its contact requests and programme matches inside
    the caller's write transaction. A later assessment started from this one stays, alone."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA secure_delete = ON"))
    # First, as a submit does: it locks the response before the cells, and so must this.
    starts.removed(s, [response_id])
    idempotency.mark_gone(s, response_id)
    s.execute(delete(ContactRequest).where(ContactRequest.response_id == response_id))
    s.execute(delete(ProgrammeMatch).where(ProgrammeMatch.response_id == response_id))
    s.execute(update(Response).where(Response.previous_id == response_id)
              .values(previous_id=None))
    cells.removed(s, [response_id], by="response_id")
    s.execute(delete(Assessment).where(Assessment.response_id == response_id))
    response = s.get(Response, response_id)
    if response is not None:
        s.delete(response)  # through the ORM, so a caller's loaded object knows it is deleted


def checkpoint() -> None:
    """After the delete has committed: move the WAL into the database file and truncate it.

    A reader still holding an old snapshot keeps the log from being emptied (SQLite answers
    "busy"); that is logged, and the next delete's checkpoint or SQLite's own automatic one
    finishes the job.
    """
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        busy, _log_pages, _moved = conn.exec_driver_sql(
            "PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("WAL checkpoint after a delete was blocked by a reader; it will be "
                    "completed by the next checkpoint")
