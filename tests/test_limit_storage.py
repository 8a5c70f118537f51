"""survey/limit_storage.py: a Redis outage moves the counters to memory and back, loudly."""

from __future__ import annotations

import logging
import time

import pytest
from limits.storage import MemoryStorage, storage_from_string

from survey import limit_storage
from survey.limit_storage import FallbackStorage, limits_state, wrap_uri


class Flaky(MemoryStorage):
    """A store that can be switched off, as Redis going away."""

    up = True

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        if not self.up:
            raise ConnectionError("connection refused")
        return super().incr(key, expiry, amount=amount)

    def check(self) -> bool:
        return self.up


def _storage() -> tuple[FallbackStorage, Flaky]:
    storage = storage_from_string(wrap_uri("redis://127.0.0.1:1/0"))
    assert isinstance(storage, FallbackStorage)
    flaky = Flaky()
    storage.primary = flaky
    return storage, flaky


def test_only_redis_is_wrapped() -> None:
    assert wrap_uri("redis://cache:6379/0") == "fallback+redis://cache:6379/0"
    assert wrap_uri("rediss://cache:6379/0").startswith("fallback+rediss://")
    assert wrap_uri("memory://") == "memory://"


def test_an_outage_moves_counters_to_memory_and_back(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    storage, flaky = _storage()
    assert storage.incr("k", 60) == 1 and flaky.get("k") == 1
    flaky.up = False
    with caplog.at_level(logging.ERROR, logger="survey.limit_storage"):
        assert storage.incr("k", 60) == 1  # memory starts afresh
        assert storage.incr("k", 60) == 2
    assert storage.degraded and limits_state(storage) == "degraded"
    assert len([r for r in caplog.records if "unreachable" in r.message]) == 1

    flaky.up = True
    assert storage.incr("k", 60) == 3  # not retried before RETRY_SECONDS …
    later = time.monotonic() + limit_storage.RETRY_SECONDS + 1
    monkeypatch.setattr(limit_storage.time, "monotonic", lambda: later)
    with caplog.at_level(logging.WARNING, logger="survey.limit_storage"):
        assert storage.incr("k", 60) == 2 and not storage.degraded  # … then back in the store
        storage.incr("k", 60)
    assert len([r for r in caplog.records if "answers again" in r.message]) == 1
    assert limits_state(storage) == "ok"


def test_warnings_come_once_a_minute(monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    storage, flaky = _storage()
    flaky.up = False
    monkeypatch.setattr(limit_storage, "RETRY_SECONDS", 0.0)
    with caplog.at_level(logging.ERROR, logger="survey.limit_storage"):
        for _ in range(5):
            storage.incr("k", 60)
    assert len([r for r in caplog.records if r.name == "survey.limit_storage"]) == 1


def test_a_closed_port_is_degraded_at_once() -> None:
    storage = storage_from_string(wrap_uri("redis://127.0.0.1:1/0"))
    started = time.monotonic()
    assert storage.incr("k", 60) == 1
    assert limits_state(storage) == "degraded"
    assert time.monotonic() - started < 3


def test_memory_counters_do_not_start_a_thread_per_request(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`memory://` is the sweeping store: counting hundreds of requests starts at most one
    housekeeping timer, and the counts and their expiry are what the library's store gives."""
    import limits.storage.memory as memory

    storage = storage_from_string("memory://")
    assert isinstance(storage, limit_storage.SweepingMemoryStorage)
    started: list[object] = []
    timer = memory.threading.Timer

    def counting(*args: object, **kwargs: object) -> object:
        started.append(args)
        return timer(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(memory.threading, "Timer", counting)
    monkeypatch.setattr(limit_storage, "SWEEP_SECONDS", 3600.0)
    for i in range(300):
        storage.incr(f"key-{i % 3}", 60)
        if i % 30 == 0:
            time.sleep(0.03)  # the library's own timer would have fired and ended by now
    assert len(started) <= 1
    assert storage.get("key-0") == 100
    storage.incr("short", 0.05)
    time.sleep(0.2)
    assert storage.get("short") == 0, "an expired counter reads as zero without a sweep"
    assert storage.acquire_entry("window", 2, 60) and storage.acquire_entry("window", 2, 60)
    assert not storage.acquire_entry("window", 2, 60)
