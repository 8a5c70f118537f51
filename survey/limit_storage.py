"""Rate-limit counters that survive an outage of their store.

With Redis down, Flask-Limiter raises on every limited request, and survey starts, staff
sign-ins and API submits all fail while `/healthz` says ok. Limits protect the service; they
must not take it down. `FallbackStorage` wraps the configured store: while the store answers,
every call goes to it; when a call fails, the counters move to this process's memory for
RETRY_SECONDS, then the store is tried again. Limits keep holding per process during an outage
(looser by the number of workers), the failure is logged loudly once a minute, and
`/healthz` reports the limits as "degraded".

Registered with the `limits` library under `fallback+<scheme>` for every Redis scheme;
`wrap_uri` turns a configured URI into that form (`survey/config.py`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from limits.storage import MemoryStorage, Storage, storage_from_string

log = logging.getLogger(__name__)

PREFIX = "fallback+"
WRAPPED_SCHEMES = ("redis", "rediss", "redis+unix", "redis+sentinel", "valkey", "valkeys",
                   "valkey+unix", "valkey+sentinel")
RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
TIMEOUT_SECONDS = 0.5
"""A store that hangs (a firewall dropping packets) costs a request at most this long per call."""


def wrap_uri(uri: str) -> str:
    """`redis://…` → `fallback+redis://…`; other stores (memory://) unchanged."""
    scheme = uri.split("://", 1)[0]
    return PREFIX + uri if scheme in WRAPPED_SCHEMES else uri


SWEEP_SECONDS = 1.0


class SweepingMemoryStorage(MemoryStorage):
    """`memory://` as the limits library keeps it, with its housekeeping batched.

    The library's store starts a timer thread to drop expired counters whenever a counted
    request finds the previous timer finished (it fires after 10 ms), so nearly every request
    starts a thread and waits for it to run — on a loaded server more than the rate-limit check
    itself costs. Counters expire when read (`get` compares their expiry, the moving window
    compares times), so the sweep only frees memory; here it runs at most once a second.
    Registered under the `memory` scheme, so `memory://` means this store.
    """

    STORAGE_SCHEME = ["memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            MemoryStorage._MemoryStorage__schedule_expiry(self)  # type: ignore[attr-defined]


class FallbackStorage(Storage):
    STORAGE_SCHEME = [PREFIX + scheme for scheme in WRAPPED_SCHEMES]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        inner = (uri or "")[len(PREFIX):]
        if inner.split("://", 1)[0] in ("redis", "rediss", "valkey", "valkeys"):
            options.setdefault("socket_connect_timeout", TIMEOUT_SECONDS)
            options.setdefault("socket_timeout", TIMEOUT_SECONDS)
        self.primary: Any = storage_from_string(inner, **options)
        self.memory = SweepingMemoryStorage()
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._last_warning = 0.0
        self._failing = False

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ()  # nothing escapes: a failing store is replaced, not reported to the caller

    @property
    def degraded(self) -> bool:
        """True while counters are kept in memory because the store failed."""
        return time.monotonic() < self._down_until

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._failing = True
            self._down_until = now + RETRY_SECONDS
            warn = now - self._last_warning >= WARN_EVERY_SECONDS or not self._last_warning
            if warn:
                self._last_warning = now
        if warn:
            log.error("Rate-limit store unreachable (%s: %s): limits are kept in this "
                      "process's memory until it is back", type(exc).__name__, exc)

    def _recovered(self) -> None:
        with self._lock:
            was_failing, self._failing = self._failing, False
        if was_failing:
            log.warning("Rate-limit store answers again: limits are shared again")

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.degraded:
            try:
                result = getattr(self.primary, name)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - any store failure means "use memory"
                self._failed(exc)
            else:
                if self._failing:
                    self._recovered()
                return result
        return getattr(self.memory, name)(*args, **kwargs)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return int(self._call("incr", key, expiry, amount=amount))

    def get(self, key: str) -> int:
        return int(self._call("get", key))

    def get_expiry(self, key: str) -> float:
        return float(self._call("get_expiry", key))

    def check(self) -> bool:
        """Whether the store itself answers now (a health probe, not a counter call)."""
        try:
            ok = bool(self.primary.check())
        except Exception:  # noqa: BLE001 - a probe reports, it does not raise
            ok = False
        if ok:
            self._down_until = 0.0
            if self._failing:
                self._recovered()
        return ok

    def reset(self) -> int | None:
        self.memory.reset()
        try:
            result = self.primary.reset()
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return None
        return int(result) if result is not None else None

    def clear(self, key: str) -> None:
        self.memory.clear(key)
        self._call("clear", key)


def limits_state(storage: Any) -> str:
    """`ok`, or `degraded` while a wrapped store is down (memory:// is always ok: it is
    in-process by choice)."""
    if isinstance(storage, FallbackStorage):
        return "ok" if storage.check() else "degraded"
    try:
        return "ok" if storage.check() else "down"
    except Exception:  # noqa: BLE001
        return "down"
