"""Attempt counters: a place is taken before the check, atomically, and a success gives it back."""

from __future__ import annotations

import threading

from flask import Flask

from survey.services import throttle


def test_places_are_taken_atomically_by_parallel_attempts(app: Flask) -> None:
    bucket = throttle.Bucket("account", "x", "7/minute")
    barrier = threading.Barrier(40)
    results: list[bool] = []

    def attempt() -> None:
        with app.app_context():
            barrier.wait()
            results.append(throttle.acquire([bucket]).allowed)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 7


def test_every_window_counts_and_the_tightest_refuses(app: Flask) -> None:
    bucket = throttle.Bucket("address", "10.0.0.1", "3/minute;5/hour")
    assert all(throttle.acquire([bucket]).allowed for _ in range(3))
    refused = throttle.acquire([bucket])
    assert refused.refused == bucket and 0 < refused.retry_after <= 60


def test_a_success_gives_its_place_back(app: Flask) -> None:
    bucket = throttle.Bucket("account", "y", "2/minute")
    for _ in range(10):
        attempt = throttle.acquire([bucket])
        assert attempt.allowed
        throttle.give_back(attempt)
    assert throttle.acquire([bucket]).allowed and throttle.acquire([bucket]).allowed
    assert not throttle.acquire([bucket]).allowed


def test_a_refusal_in_one_bucket_still_counts_in_the_other(app: Flask) -> None:
    address = throttle.Bucket("address", "10.0.0.2", "1/minute")
    account = throttle.Bucket("account", "z", "3/minute")
    assert throttle.acquire([address, account]).allowed
    assert not throttle.acquire([address, account]).allowed
    assert throttle.acquire([account]).allowed
    assert not throttle.acquire([account]).allowed


def test_audit_once_per_window(app: Flask) -> None:
    assert throttle.first_in_window("account:q", 60)
    assert not throttle.first_in_window("account:q", 60)
    assert throttle.first_in_window("account:r", 60)


def test_the_key_prefix_keeps_apps_apart(app: Flask) -> None:
    bucket = throttle.Bucket("account", "shared", "1/minute")
    assert throttle.acquire([bucket]).allowed
    app.config["RATELIMIT_KEY_PREFIX"] = "other-app-"
    assert throttle.acquire([bucket]).allowed
    assert not throttle.acquire([bucket]).allowed
