"""Attempt counters for sign-in, kept in Flask-Limiter's storage so every worker shares them.

Flask-Limiter's decorators check a limit before the view and, with `deduct_when`, count after
it: sixty parallel guesses all pass the check before the first is counted. Here an attempt
*takes* its place first — one atomic increment per window (a lock in `memory://`, a Lua script
in Redis) — and only the attempts that got a place reach the password check. A success gives
its place back, so only failures use up a window and a colleague who signs in all day is never
slowed down.

The counters live in `limiter.storage`: `memory://` in one process, Redis when
`RATELIMIT_STORAGE_URI` names it, which production needs as soon as there is more than one
worker (`survey.startup.worker_storage_problem`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse_many

from survey.extensions import limiter

NAMESPACE = "survey-signin"


@dataclass(frozen=True)
class Bucket:
    """One thing attempts are counted against: an address, an account, a trusted device."""

    kind: str
    ident: str
    limits: str

    def items(self) -> list[RateLimitItem]:
        return list(parse_many(self.limits))

    def key(self, item: RateLimitItem) -> str:
        return item.key_for(namespace(), self.kind, self.ident)


@dataclass(frozen=True)
class Attempt:
    """The places an attempt took; `refused` names the bucket that was full, if any."""

    taken: tuple[tuple[str, int], ...]
    refused: Bucket | None
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.refused is None


def namespace() -> str:
    """Flask-Limiter's `RATELIMIT_KEY_PREFIX` first, so apps sharing one Redis stay apart."""
    return str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "") + NAMESPACE


def digest(value: str) -> str:
    """Keys hold a digest, so Redis never stores an email address and keys stay short."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def acquire(buckets: Sequence[Bucket]) -> Attempt:
    """Take a place in every window of every bucket; refused if any window is over its limit.

    Every window is counted even when an earlier one refused, so an attacker hammering a full
    bucket keeps the others honest too; a refused attempt is not given back.
    """
    storage = limiter.storage
    taken: list[tuple[str, int]] = []
    refused: Bucket | None = None
    retry_after = 0
    for bucket in buckets:
        for item in bucket.items():
            key = bucket.key(item)
            count = storage.incr(key, item.get_expiry())
            taken.append((key, item.get_expiry()))
            if count > item.amount:
                refused = refused or bucket
                wait = int(storage.get_expiry(key) - time.time()) + 1
                retry_after = max(retry_after, min(max(wait, 1), item.get_expiry()))
    return Attempt(tuple(taken), refused, retry_after)


def give_back(attempt: Attempt) -> None:
    """A successful attempt frees its places: only failures use up a window."""
    storage = limiter.storage
    for key, expiry in attempt.taken:
        if storage.get(key) > 0:
            storage.incr(key, expiry, amount=-1)


def first_in_window(name: str, seconds: int) -> bool:
    """True once per `seconds` per name: audit a throttled bucket once, not per request."""
    return limiter.storage.incr(f"{namespace()}/once/{name}", seconds) == 1
