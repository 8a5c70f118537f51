"""Sign-in throttling, trusted devices, sessions' idle and absolute limits, and their audit rows.

The parallel tests fire their attempts from threads released together by a barrier, so every
request is in flight at once: a limit that is checked before the view but counted after it
lets most of them through.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditLog, StaffUser
from survey.staff.signin import DEVICE_COOKIE
from survey.web.auth import SESSION_TIMES
from tests.helpers import ANALYST, PASSWORD, csrf_token, post, sign_in

WRONG = "not the right password"


def audit_count(action: str, **where: object) -> int:
    stmt = select(func.count()).select_from(AuditLog).where(AuditLog.action == action)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditLog, key) == value)
    return db.session.scalar(stmt) or 0


def parallel_sign_ins(app: Flask, count: int, email: str, password: str,
                      address: Callable[[int], str]) -> Counter[int]:
    """`count` sign-in posts in flight together; how many got each status code."""
    clients = [app.test_client() for _ in range(count)]
    tokens = [csrf_token(c) for c in clients]
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        resp = clients[i].post("/staff/login", data={
            "email": email, "password": password, "csrf_token": tokens[i]},
            environ_base={"REMOTE_ADDR": address(i)})
        with lock:
            statuses.append(resp.status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(statuses)


def test_parallel_guesses_from_one_address_get_only_the_limit_checked(
        app: Flask, analyst: StaffUser) -> None:
    statuses = parallel_sign_ins(app, 60, ANALYST, WRONG, lambda i: "203.0.113.7")
    # Never more than the address's 5 a minute are checked. Every guess counts in every
    # window, so under a burst one that got an address place can find the account's window
    # already full: fewer may be checked, which only ever helps the owner.
    checked = statuses[200]
    assert set(statuses) <= {200, 429} and 1 <= checked <= 5, statuses
    assert audit_count("staff.sign_in_failed", target=f"staff:{analyst.id}") == checked


def test_parallel_guesses_from_many_addresses_get_only_the_account_limit(
        app: Flask, analyst: StaffUser) -> None:
    statuses = parallel_sign_ins(app, 40, ANALYST, WRONG, lambda i: f"198.51.100.{i}")
    assert statuses[200] == 10 and statuses[429] == 30, statuses


def test_the_owners_browser_still_signs_in_after_a_flood_from_elsewhere(
        app: Flask, analyst: StaffUser) -> None:
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert sign_in(owner, ANALYST).status_code == 302
    assert owner.get_cookie(DEVICE_COOKIE, path="/staff/") is not None
    post(owner, "/staff/logout")

    statuses = parallel_sign_ins(app, 60, ANALYST, WRONG, lambda i: f"198.51.100.{i % 30}")
    assert statuses[429] >= 50

    stranger = app.test_client()
    refused = sign_in(stranger, ANALYST, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert refused.status_code == 429  # a browser never seen before waits like the attacker
    assert int(refused.headers["Retry-After"]) > 0
    assert "browser where you have signed in before" in refused.get_data(as_text=True)

    again = sign_in(owner, ANALYST)
    assert again.status_code == 302
    assert owner.get("/staff/responses").status_code == 200


def test_a_device_cookie_does_not_help_another_account_or_a_forger(
        app: Flask, analyst: StaffUser) -> None:
    from tests.helpers import make_staff

    make_staff("other@example.org")
    browser = app.test_client()
    assert sign_in(browser, ANALYST).status_code == 302
    post(browser, "/staff/logout")
    for i in range(10):
        c = app.test_client()
        sign_in(c, "other@example.org", WRONG, environ_base={"REMOTE_ADDR": f"10.9.0.{i}"})
    assert sign_in(browser, "other@example.org").status_code == 429
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "eyJ1IjoxfQ.forged.sig", path="/staff/")
    for i in range(10):
        sign_in(app.test_client(), ANALYST, WRONG, environ_base={"REMOTE_ADDR": f"10.8.0.{i}"})
    assert sign_in(forged, ANALYST).status_code == 429


def test_sign_in_events_are_audited(app: Flask, client: FlaskClient, analyst: StaffUser) -> None:
    sign_in(client, ANALYST, WRONG)
    sign_in(client, "nobody@example.org", WRONG)
    assert sign_in(client, ANALYST).status_code == 302
    post(client, "/staff/logout")
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.like("staff.sign%"))
                              .order_by(AuditLog.id)).all()
    assert [(r.action, r.target, r.details.get("reason")) for r in rows] == [
        ("staff.sign_in_failed", f"staff:{analyst.id}", "wrong_password"),
        ("staff.sign_in_failed", None, "unknown_account"),
        ("staff.sign_in", f"staff:{analyst.id}", None),
        ("staff.sign_out", f"staff:{analyst.id}", None),
    ]
    assert rows[2].actor_id == analyst.id and rows[2].details["address"] == "127.0.0.1"
    assert all("nobody" not in str(r.details) for r in rows)


def test_throttling_is_audited_once_per_window(app: Flask, analyst: StaffUser) -> None:
    for _ in range(12):
        sign_in(app.test_client(), ANALYST, WRONG, environ_base={"REMOTE_ADDR": "10.3.0.1"})
    assert audit_count("staff.sign_in_failed") == 5
    assert audit_count("staff.sign_in_throttled") == 1
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.sign_in_throttled"))
    assert row is not None and row.details == {"address": "10.3.0.1", "reason": "limit_address"}


def test_idle_session_ends(app: Flask, analyst_client: FlaskClient) -> None:
    assert analyst_client.get("/staff/responses").status_code == 200
    now = int(time.time())
    with analyst_client.session_transaction() as sess:
        sess[SESSION_TIMES] = [now - 600, now - 29 * 60]
    assert analyst_client.get("/staff/responses").status_code == 200
    with analyst_client.session_transaction() as sess:
        assert sess[SESSION_TIMES][1] >= now  # the request moved the idle clock on
        sess[SESSION_TIMES] = [now - 600, now - 31 * 60]
    assert analyst_client.get("/staff/responses").status_code == 302
    assert analyst_client.get("/api/v1/stats").status_code == 401


def test_session_ends_after_its_absolute_lifetime_however_busy(
        app: Flask, analyst_client: FlaskClient) -> None:
    now = int(time.time())
    with analyst_client.session_transaction() as sess:
        sess[SESSION_TIMES] = [now - 12 * 3600 - 5, now - 10]
    assert analyst_client.get("/staff/responses").status_code == 302


def test_session_limits_are_settings(app: Flask, analyst_client: FlaskClient) -> None:
    app.config["STAFF_SESSION_IDLE_MINUTES"] = 5
    now = int(time.time())
    with analyst_client.session_transaction() as sess:
        sess[SESSION_TIMES] = [now - 600, now - 6 * 60]
    assert analyst_client.get("/staff/responses").status_code == 302


def test_a_session_cookie_without_sign_in_times_is_refused(
        app: Flask, analyst_client: FlaskClient) -> None:
    """A cookie made before sessions had limits (or forged without them) is not a session."""
    with analyst_client.session_transaction() as sess:
        del sess[SESSION_TIMES]
    assert analyst_client.get("/staff/responses").status_code == 302


def test_right_password_from_a_fresh_browser_with_no_flood(app: Flask,
                                                           analyst: StaffUser) -> None:
    for _ in range(3):
        assert sign_in(app.test_client(), ANALYST, PASSWORD).status_code == 302


def test_the_audit_page_says_what_happened_in_words(app: Flask, admin_client: FlaskClient,
                                                    analyst: StaffUser) -> None:
    for _ in range(6):
        sign_in(app.test_client(), ANALYST, WRONG, environ_base={"REMOTE_ADDR": "10.4.0.1"})
    page = admin_client.get("/staff/audit?action=staff.sign_in&lang=en").get_data(as_text=True)
    assert "staff.sign_in_failed" in page and "wrong password" in page
    assert "staff.sign_in_throttled" in page and "limit per address" in page
    assert "10.4.0.1" in page
