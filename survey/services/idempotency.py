"""Stored `Idempotency-Key`s (the rules of the header itself: survey.api.idempotency).

A partner on a flaky mobile network retries a submission it never saw answered; the retry must
return the first result and store nothing new. The key is recorded **in the same transaction
that stores the submission**, as a row `(scope, key)` with the response it produced. Nothing
else ever holds a key:

- a worker killed mid-submit leaves nothing behind — the database rolls its transaction back
  when the connection dies — so the client's retry stores at once (an earlier design claimed
  the key first, in its own transaction, and a killed worker's claim blocked the key for ten
  minutes);
- two requests with one key at once: the unique constraint on `(scope, key)` lets one commit.
  On SQLite the write transactions queue (BEGIN IMMEDIATE) and the second finds the row; on
  PostgreSQL the second insert waits for the first transaction and then fails, and the caller
  looks the winner up. Either way the second is answered with the first's result (or 422 for
  another body): it waits instead of getting 409;
- validation failures store nothing, so the client can fix its answers and retry with the key.

Keys are scoped to the client (its API token, else its address; an anonymous key must be long
enough to be random, see survey.api.idempotency) and expire after 24 hours: an older row is
taken over by a new request, and `purge` deletes them. When the stored response is deleted its
keys are kept as `gone`, so a replay of the deleting firm's original request is a 410 for the
rest of the key's 24 hours, never a new submission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from survey.database import write_transaction
from survey.extensions import db
from survey.models import IdempotencyKey, utcnow

TTL = dt.timedelta(hours=24)
IN_FLIGHT = "in_flight"
"""Rows of releases before 1.0.0 only, which claimed a key before the work: taken over."""
DONE = "done"
GONE = "gone"


@dataclass(frozen=True)
class Claim:
    """An earlier request's record of a key."""

    state: str
    request_hash: str
    response_id: int | None
    status_code: int | None


class Taken(Exception):
    """The key was recorded by an earlier request: the caller answers with `claim`."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim.state)
        self.claim = claim


def _snapshot(row: IdempotencyKey) -> Claim:
    return Claim(row.state, row.request_hash, row.response_id, row.status_code)


def _live(row: IdempotencyKey, now: dt.datetime) -> bool:
    return row.state != IN_FLIGHT and row.created_at >= now - TTL


def lookup(scope: str, key: str) -> Claim | None:
    """The live record of `(scope, key)`, if a request already stored with it (a plain read:
    replays need no write transaction)."""
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope,
                                                         IdempotencyKey.key == key))
    found = _snapshot(row) if row is not None and _live(row, utcnow()) else None
    db.session.rollback()
    return found


def record_in(s: Session, scope: str, key: str, request_hash: str, response_id: int,
              status_code: int) -> None:
    """Inside the transaction that stores `response_id`: record the key as its result, or raise
    Taken (so that transaction rolls back) when a live record holds the key already.

    An expired or pre-1.0.0 in-flight row is taken over. A concurrent insert of the same key
    surfaces as IntegrityError from the caller's transaction (PostgreSQL), to be answered by
    `lookup`.
    """
    now = utcnow()
    row = s.scalar(select(IdempotencyKey)
                   .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
                   .with_for_update())
    if row is not None and _live(row, now):
        raise Taken(_snapshot(row))
    if row is None:
        row = IdempotencyKey(scope=scope, key=key)
        s.add(row)
    row.request_hash = request_hash
    row.state = DONE
    row.response_id = response_id
    row.status_code = status_code
    row.created_at = now
    s.flush()


def mark_gone(s: Session, response_id: int) -> None:
    """Inside the transaction that deletes `response_id`: its keys remember it was deleted
    (and stop pointing at it, so the foreign key's cascade does not delete them)."""
    s.execute(update(IdempotencyKey).where(IdempotencyKey.response_id == response_id)
              .values(state=GONE, response_id=None))


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete keys older than the 24-hour window (for the `purge` command)."""
    cutoff = (now or utcnow()) - TTL
    with write_transaction() as s:
        result = s.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
