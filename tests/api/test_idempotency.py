"""Idempotency-Key on POST /api/v1/assessments: replay, 422 on another body, 409 in flight,
release on failure, expiry, scoping per client, and one row under concurrent retries."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.api import idempotency as key_header
from survey.api import submissions as submissions_module
from survey.api.http import ApiError, fingerprint
from survey.core.questionnaire import Questionnaire
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, IdempotencyKey, Response, utcnow
from survey.services import idempotency
from tests.helpers import best_answers, count, random_answers, worst_answers

URL = "/api/v1/assessments"
SCOPE = "addr:127.0.0.1"
KEY = "key-1-3f0c9a4e-8d2b"
SHARED = "shared-key-5b7e1d90"


def post(client: FlaskClient, body: Any, key: str | None = KEY, **headers: str) -> Any:
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(URL, data=json.dumps(body), content_type="application/json",
                       headers=headers)


@pytest.fixture
def body(questionnaire: Questionnaire) -> dict[str, Any]:
    return {"answers": random_answers(7, questionnaire)}


# --- the header -------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "key"), [
    ("k" * 16, "k" * 16), ('"8e03978e-40d5-43e8-bc93-6894a57f9324"',
                           "8e03978e-40d5-43e8-bc93-6894a57f9324"),
    ("  spaced-0123456789  ", "spaced-0123456789"), ("k" * 255, "k" * 255),
    ('"a\\"b-0123456789abc"', 'a"b-0123456789abc'), (None, None),
])
def test_key_formats_accepted(raw: str | None, key: str | None) -> None:
    assert key_header.parse_key(raw) == key


@pytest.mark.parametrize("raw", ["", '""', "k" * 256, "键", "a\x01b", "   "])
def test_key_formats_refused(raw: str) -> None:
    with pytest.raises(ApiError) as caught:
        key_header.parse_key(raw)
    assert caught.value.status == 400


@pytest.mark.parametrize("raw", ["abc", "k" * 15, '"' + "k" * 15 + '"'])
def test_short_keys_are_a_partners_own_but_refused_without_a_token(raw: str) -> None:
    """A partner's keys live in its token's scope, as the contract always allowed; without a
    token many callers share an address, so only long random keys are safe."""
    assert key_header.parse_key(raw) == raw.strip('"')
    with pytest.raises(ApiError) as caught:
        key_header.parse_key(raw, anonymous=True)
    assert caught.value.status == 400


def test_bad_key_is_json_400_and_stores_nothing(client: FlaskClient,
                                                body: dict[str, Any]) -> None:
    resp = post(client, body, key="k" * 256)
    assert resp.status_code == 400 and resp.is_json
    assert "Idempotency-Key" in resp.get_json()["detail"]
    assert count(Response) == 0 and count(IdempotencyKey) == 0


def test_fingerprint_ignores_key_order_and_whitespace() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint(json.loads('{"b":[1, 2],"a":1}'))
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


# --- the protocol -----------------------------------------------------------------------

def test_retry_replays_the_first_result(client: FlaskClient, body: dict[str, Any]) -> None:
    first = post(client, body)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    reordered = json.loads(json.dumps(body, indent=3, sort_keys=True))
    again = post(client, reordered)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert count(Response) == 1 and count(Assessment) == 1
    row = db.session.scalar(select(IdempotencyKey))
    assert row is not None
    assert (row.state, row.status_code, row.scope) == ("done", 201, SCOPE)


def test_same_key_other_body_is_422(client: FlaskClient, body: dict[str, Any],
                                    questionnaire: Questionnaire) -> None:
    assert post(client, body).status_code == 201
    other = {"answers": best_answers(questionnaire)}
    resp = post(client, other)
    assert resp.status_code == 422
    assert "different request body" in resp.get_json()["detail"]
    assert count(Response) == 1


def test_a_claim_left_by_an_older_release_is_taken_over(client: FlaskClient,
                                                        body: dict[str, Any]) -> None:
    """Releases before 1.0.0 claimed a key before the work; a claim whose worker died never
    blocks the key now."""
    with write_transaction() as s:
        s.add(IdempotencyKey(scope=SCOPE, key=KEY, request_hash=fingerprint(body),
                             state="in_flight", created_at=utcnow()))
    resp = post(client, body)
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp.headers
    assert count(Response) == 1 and count(IdempotencyKey) == 1


def test_failed_validation_releases_the_key(client: FlaskClient,
                                            body: dict[str, Any]) -> None:
    broken = {"answers": {**body["answers"], "fin_finance_obstacle": "nonsense"}}
    resp = post(client, broken)
    assert resp.status_code == 422 and "fin_finance_obstacle" in resp.get_json()["errors"]
    assert count(IdempotencyKey) == 0
    fixed = post(client, body)
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers
    assert count(Response) == 1


def test_a_crash_while_storing_releases_the_key(app: Flask, client: FlaskClient,
                                                body: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_store(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(submissions_module, "_store", broken_store)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert post(client, body).status_code == 500
    assert count(IdempotencyKey) == 0
    monkeypatch.undo()
    assert post(client, body).status_code == 201


def test_marking_the_key_done_is_atomic_with_the_store(app: Flask, client: FlaskClient,
                                                        body: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while recording the key rolls the stored response back with it."""

    def broken_complete(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(idempotency, "record_in", broken_complete)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert post(client, body).status_code == 500
    assert count(Response) == 0 and count(Assessment) == 0 and count(IdempotencyKey) == 0
    monkeypatch.undo()
    assert post(client, body).status_code == 201
    assert count(Response) == 1


def test_expired_key_is_taken_over(client: FlaskClient, body: dict[str, Any],
                                   questionnaire: Questionnaire) -> None:
    assert post(client, body).status_code == 201
    with write_transaction() as s:
        row = s.scalar(select(IdempotencyKey))
        assert row is not None
        row.created_at = utcnow() - dt.timedelta(hours=25)
    other = {"answers": worst_answers(questionnaire)}
    resp = post(client, other)
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp.headers
    assert count(Response) == 2 and count(IdempotencyKey) == 1


def test_keys_are_scoped_per_client(client: FlaskClient, body: dict[str, Any]) -> None:
    assert post(client, body).status_code == 201
    elsewhere = client.post(URL, json=body, headers={"Idempotency-Key": KEY},
                            environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert elsewhere.status_code == 201
    assert "Idempotent-Replayed" not in elsewhere.headers
    assert count(Response) == 2


def test_without_a_key_every_post_stores(client: FlaskClient, body: dict[str, Any]) -> None:
    assert post(client, body, key=None).status_code == 201
    assert post(client, body, key=None).status_code == 201
    assert count(Response) == 2 and count(IdempotencyKey) == 0


def test_purge_expired_deletes_only_old_keys(app: Flask) -> None:
    now = utcnow()
    with write_transaction() as s:
        s.add(IdempotencyKey(scope=SCOPE, key="old", request_hash="0" * 64, state="done",
                             created_at=now - dt.timedelta(hours=30)))
        s.add(IdempotencyKey(scope=SCOPE, key="new", request_hash="0" * 64, state="done",
                             created_at=now - dt.timedelta(hours=1)))
    assert idempotency.purge_expired() == 1
    db.session.rollback()
    assert db.session.scalars(select(IdempotencyKey.key)).all() == ["new"]


# --- races ------------------------------------------------------------------------------

def test_losing_the_insert_race_looks_the_winner_up(
    client: FlaskClient, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PostgreSQL race, made deterministic: our look-up misses the row a concurrent
    request commits just after it, our insert hits the unique constraint, and the answer comes
    from the winner's row."""
    first = post(client, body)
    assert first.status_code == 201
    real_lookup = idempotency.lookup
    calls = {"n": 0}

    def blind_once(scope: str, key: str) -> Any:
        calls["n"] += 1
        return None if calls["n"] == 1 else real_lookup(scope, key)

    monkeypatch.setattr(idempotency, "lookup", blind_once)

    def as_if_inserting(s: Any, scope: str, key: str, *rest: Any) -> None:
        from sqlalchemy.exc import IntegrityError

        raise IntegrityError("INSERT INTO idempotency_keys", {}, Exception("duplicate key"))

    monkeypatch.setattr(idempotency, "record_in", as_if_inserting)
    resp = post(client, body)
    assert calls["n"] == 2
    assert resp.status_code == 201 and resp.headers["Idempotent-Replayed"] == "true"
    assert resp.get_json()["id"] == first.get_json()["id"]
    assert count(Response) == 1 and count(IdempotencyKey) == 1


def test_a_live_key_found_inside_the_transaction_rolls_the_store_back(
    client: FlaskClient, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's race: the look-up before the transaction misses, the queued transaction finds
    the winner's row; the response it had flushed is rolled back."""
    first = post(client, body)
    monkeypatch.setattr(idempotency, "lookup", lambda scope, key: None)
    resp = post(client, body)
    assert resp.status_code == 201 and resp.headers["Idempotent-Replayed"] == "true"
    assert resp.get_json()["id"] == first.get_json()["id"]
    assert count(Response) == 1 and count(Assessment) == 1


def _concurrent_posts(app: Flask, body: dict[str, Any], n: int) -> list[tuple[int, Any]]:
    barrier = threading.Barrier(n)
    results: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def worker() -> None:
        client = app.test_client()
        barrier.wait()
        resp = post(client, body, key=SHARED)
        with lock:
            results.append((resp.status_code, resp.get_json()))

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == n
    return results


@pytest.mark.parametrize("slow", [False, True])
def test_concurrent_requests_with_one_key_store_one_row(
    app: Flask, client: FlaskClient, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
    slow: bool,
) -> None:
    if slow:  # the first store is slow: the others wait for it and replay its result
        real_store = submissions_module._store

        def slow_store(*args: Any, **kwargs: Any) -> Any:
            time.sleep(0.3)
            return real_store(*args, **kwargs)

        monkeypatch.setattr(submissions_module, "_store", slow_store)
    results = _concurrent_posts(app, body, n=8)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 8, results  # none is refused: each waits for the first
    ids = {doc["id"] for status, doc in results if status == 201}
    assert len(ids) == 1
    assert count(Response) == 1 and count(Assessment) == 1 and count(IdempotencyKey) == 1
    replay = post(client, body, key=SHARED)
    assert replay.status_code == 201 and replay.get_json()["id"] in ids


# --- callers behind one address; deleted submissions ----------------------------------------

def test_keys_must_be_random(client: FlaskClient, body: dict[str, Any]) -> None:
    """Everyone behind a venue's Wi-Fi shares an address: a short key from two of them would
    collide, and the same body would replay one firm's private token to the other."""
    for short in ("1", "retry", "k" * 15):
        resp = post(client, body, key=short)
        assert resp.status_code == 400 and "16" in resp.get_json()["detail"]
    assert count(Response) == 0 and count(IdempotencyKey) == 0
    assert post(client, body, key="k" * 16).status_code == 201


def test_partners_keys_are_their_own(app: Flask, client: FlaskClient,
                                     body: dict[str, Any]) -> None:
    """Two partners (or a partner and an anonymous caller) on one address with one key: each
    gets its own submission, never the other's token."""
    from survey.services import tokens
    from tests.helpers import make_staff

    make_staff("partner@example.org", "analyst")
    first, second = (tokens.issue("partner@example.org", name) for name in ("A", "B"))
    docs = [post(client, body, Authorization=f"Bearer {t.token}").get_json()
            for t in (first, second)] + [post(client, body).get_json()]
    assert len({doc["id"] for doc in docs}) == 3
    assert sorted(db.session.scalars(select(IdempotencyKey.scope))) == sorted(
        [f"token:{first.id}", f"token:{second.id}", SCOPE])


@pytest.mark.parametrize("by", ["respondent", "staff"])
def test_a_deleted_submission_is_not_stored_again(client: FlaskClient, body: dict[str, Any],
                                                  questionnaire: Questionnaire,
                                                  by: str) -> None:
    from survey.services import responses, staff

    first = post(client, body)
    assert first.status_code == 201
    token = first.get_json()["id"]
    if by == "respondent":
        assert responses.delete_response(token)
    else:
        rid = db.session.scalar(select(Response.id).where(Response.token == token))
        assert rid is not None and staff.delete_response(rid, None)
    replay = post(client, body)
    assert replay.status_code == 410 and replay.is_json
    assert "deleted" in replay.get_json()["detail"]
    assert count(Response) == 0 and count(Assessment) == 0
    assert db.session.scalars(select(IdempotencyKey.state)).all() == ["gone"]
    other = post(client, {"answers": worst_answers(questionnaire)})
    assert other.status_code == 422  # the key still belongs to the deleted request
    assert post(client, body, key="a-new-key-for-a-new-try").status_code == 201
