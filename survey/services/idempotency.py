"""Stored claims of `Idempotency-Key`s (the rules of the header itself: survey.api.idempotency).

A partner on a flaky mobile network retries a submission it never saw answered; the retry must
return the first result and store nothing new. The key is claimed *before* the work, in its own
committed transaction, as a row `(scope, key)` in state `in_flight`; the unique constraint on
that pair is what makes concurrent requests with one key safe on SQLite and PostgreSQL alike —
the loser of the race gets an IntegrityError, looks the row up and answers 409 (still in
flight) or replays the stored result. When the work is done the row records the response and
status (`done`); when validation fails the row is deleted, so the client can fix its answers
and retry with the same key.

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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.database import write_transaction
from survey.extensions import db
from survey.models import IdempotencyKey, utcnow

TTL = dt.timedelta(hours=24)
# A claim whose request died between storing and recording (a killed worker) would block its
# key for a day; after this long it is taken to be abandoned and may be claimed again.
IN_FLIGHT_LEASE = dt.timedelta(minutes=10)
IN_FLIGHT = "in_flight"
DONE = "done"
GONE = "gone"


@dataclass(frozen=True)
class Claim:
    """What claiming a key found: a fresh claim (`claimed`), or the earlier request's row."""

    claimed: bool
    row_id: int
    state: str
    request_hash: str
    response_id: int | None
    status_code: int | None


def _snapshot(row: IdempotencyKey, claimed: bool) -> Claim:
    return Claim(claimed, row.id, row.state, row.request_hash, row.response_id, row.status_code)


def _stale(row: IdempotencyKey, now: dt.datetime) -> bool:
    if row.created_at < now - TTL:
        return True
    return row.state == IN_FLIGHT and row.created_at < now - IN_FLIGHT_LEASE


def _find(s: Session, scope: str, key: str) -> IdempotencyKey | None:
    return s.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .with_for_update()
    )


def _claim_once(scope: str, key: str, request_hash: str) -> Claim:
    now = utcnow()
    with write_transaction() as s:
        row = _find(s, scope, key)
        if row is not None and not _stale(row, now):
            return _snapshot(row, claimed=False)
        if row is None:
            row = IdempotencyKey(scope=scope, key=key)
            s.add(row)
        row.request_hash = request_hash
        row.state = IN_FLIGHT
        row.status_code = None
        row.response_id = None
        row.created_at = now
        s.flush()
        return _snapshot(row, claimed=True)


def claim(scope: str, key: str, request_hash: str) -> Claim:
    """Claim `(scope, key)` for this request, or report the request that holds it.

    Two tries: a concurrent request may insert the same key between our look-up and insert
    (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises the whole transaction); the unique
    constraint then refuses ours and the second look-up sees the winner's row.
    """
    try:
        return _claim_once(scope, key, request_hash)
    except IntegrityError:
        db.session.rollback()
        return _claim_once(scope, key, request_hash)


def complete_in(s: Session, row_id: int, response_id: int, status_code: int) -> None:
    """Mark a claim done inside the caller's transaction (the one that stored the result), so
    a crash can never leave a stored result with its key still "in flight"."""
    row = s.get(IdempotencyKey, row_id, with_for_update=True)
    if row is not None:
        row.state = DONE
        row.response_id = response_id
        row.status_code = status_code


def mark_gone(s: Session, response_id: int) -> None:
    """Inside the transaction that deletes `response_id`: its keys remember it was deleted
    (and stop pointing at it, so the foreign key's cascade does not delete them)."""
    s.execute(update(IdempotencyKey).where(IdempotencyKey.response_id == response_id)
              .values(state=GONE, response_id=None))


def release(row_id: int) -> None:
    """Forget a claim whose request failed, so the same key can carry the corrected request."""
    with write_transaction() as s:
        s.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id,
                                               IdempotencyKey.state == IN_FLIGHT))


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete keys older than the 24-hour window (for the `purge` command)."""
    cutoff = (now or utcnow()) - TTL
    with write_transaction() as s:
        result = s.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
