"""Sign-in, sign-out, rate limits, sessions and the staff-account admin pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, StaffUser
from survey.services import staff
from survey.staff.account import safe_next
from tests.helpers import ADMIN, ANALYST, PASSWORD, csrf_token, post, sign_in


def test_sign_in_form_has_the_contract_fields(client: FlaskClient) -> None:
    page = client.get("/staff/login").get_data(as_text=True)
    for name in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert name in page
    assert 'autocomplete="current-password"' in page


def test_right_password_signs_in_and_wrong_one_does_not(app: Flask, client: FlaskClient,
                                                        analyst: StaffUser) -> None:
    wrong = sign_in(client, ANALYST, "not the right password")
    assert wrong.status_code == 200
    assert "do not match" in wrong.get_data(as_text=True)
    assert client.get("/staff/responses").status_code == 302

    right = sign_in(client, ANALYST.upper())
    assert right.status_code == 302
    assert client.get("/staff/responses").status_code == 200
    assert db.session.scalar(select(StaffUser.last_login_at)
                             .where(StaffUser.id == analyst.id)) is not None


def test_unknown_account_gets_the_same_answer(client: FlaskClient, analyst: StaffUser) -> None:
    unknown = sign_in(client, "nobody@example.org")
    wrong = sign_in(client, ANALYST, "not the right password")
    assert unknown.status_code == wrong.status_code == 200
    assert "do not match" in unknown.get_data(as_text=True)


def test_sign_in_without_csrf_is_refused(client: FlaskClient, analyst: StaffUser) -> None:
    resp = client.post("/staff/login", data={"email": ANALYST, "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/staff/responses").status_code == 302


def test_deactivated_account_cannot_sign_in(client: FlaskClient, analyst: StaffUser) -> None:
    staff.set_active(analyst.id, False, None)
    assert sign_in(client, ANALYST).status_code == 200
    assert client.get("/staff/responses").status_code == 302


def test_sign_in_is_limited_per_address(app: Flask, client: FlaskClient,
                                        analyst: StaffUser) -> None:
    for i in range(5):
        resp = sign_in(client, f"guess{i}@example.org", "wrong password here")
        assert resp.status_code == 200
    blocked = sign_in(client, ANALYST)  # even the right password waits now
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many sign-in attempts" in blocked.get_data(as_text=True)
    other = app.test_client()
    ok = sign_in(other, ANALYST, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert ok.status_code == 302


def test_sign_in_is_limited_per_account(app: Flask, analyst: StaffUser) -> None:
    for i in range(10):
        c = app.test_client()
        resp = sign_in(c, ANALYST, "wrong password here",
                       environ_base={"REMOTE_ADDR": f"10.1.0.{i}"})
        assert resp.status_code == 200
    c = app.test_client()
    blocked = sign_in(c, ANALYST, environ_base={"REMOTE_ADDR": "10.2.0.1"})
    assert blocked.status_code == 429
    other_account = sign_in(c, "someone@example.org", "x" * 12,
                            environ_base={"REMOTE_ADDR": "10.2.0.1"})
    assert other_account.status_code == 200


def test_successful_sign_ins_do_not_use_up_the_limit(app: Flask, analyst: StaffUser) -> None:
    for _ in range(7):
        c = app.test_client()
        assert sign_in(c, ANALYST).status_code == 302


def test_sign_in_starts_a_new_session(client: FlaskClient, analyst: StaffUser) -> None:
    client.get("/staff/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    sign_in(client, ANALYST)
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_next_goes_only_to_local_paths(client: FlaskClient, analyst: StaffUser) -> None:
    token = csrf_token(client)
    resp = client.post("/staff/login?next=/staff/exports",
                       data={"email": ANALYST, "password": PASSWORD, "csrf_token": token})
    assert resp.headers["Location"] == "/staff/exports"
    assert safe_next("https://evil.example/") is None
    assert safe_next("//evil.example/x") is None
    assert safe_next("/\\evil.example") is None
    assert safe_next("javascript:alert(1)") is None
    assert safe_next("/staff/responses?page=2") == "/staff/responses?page=2"


def test_anonymous_page_request_comes_back_after_sign_in(client: FlaskClient,
                                                         analyst: StaffUser) -> None:
    first = client.get("/staff/exports?region=east")
    login_url = first.headers["Location"]
    token = csrf_token(client, login_url)
    resp = client.post(login_url, data={"email": ANALYST, "password": PASSWORD,
                                        "csrf_token": token})
    assert resp.headers["Location"] == "/staff/exports?region=east"


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app: Flask,
                                                            analyst_client: FlaskClient) -> None:
    with analyst_client.session_transaction() as sess:
        copied = dict(sess)
    resp = post(analyst_client, "/staff/logout")
    assert resp.status_code == 302
    assert analyst_client.get("/staff/responses").status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as sess:
        sess.update(copied)
    assert replay.get("/staff/responses").status_code == 302


def test_sign_out_needs_post_with_csrf(analyst_client: FlaskClient) -> None:
    assert analyst_client.get("/staff/logout").status_code == 405
    assert analyst_client.post("/staff/logout").status_code == 400
    assert analyst_client.get("/staff/responses").status_code == 200


def test_deactivation_and_password_reset_end_existing_sessions(
        app: Flask, analyst_client: FlaskClient, analyst: StaffUser) -> None:
    staff.reset_password(analyst.id, "a brand new passphrase", None)
    assert analyst_client.get("/staff/responses").status_code == 302
    assert sign_in(analyst_client, ANALYST, "a brand new passphrase").status_code == 302
    staff.set_active(analyst.id, False, None)
    assert analyst_client.get("/staff/responses").status_code == 302


def test_admin_creates_an_account_and_it_is_audited(admin_client: FlaskClient,
                                                    admin: StaffUser) -> None:
    data = {"email": "New.Person@Example.org", "role": "analyst",
            "password": "plenty long passphrase", "confirm": "plenty long passphrase"}
    resp = post(admin_client, "/staff/accounts", data, token_from="/staff/accounts")
    assert resp.status_code == 302
    user = staff.find_staff("new.person@example.org")
    assert user is not None and user.role == "analyst"
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.create",
                                                   AuditLog.target == f"staff:{user.id}"))
    assert row is not None and row.actor_id == admin.id
    assert row.details["role"] == "analyst"


def test_account_form_refuses_weak_and_duplicate(admin_client: FlaskClient) -> None:
    weak = {"email": "weak@example.org", "role": "analyst",
            "password": "password1234", "confirm": "password1234"}
    resp = post(admin_client, "/staff/accounts", weak, token_from="/staff/accounts")
    assert resp.status_code == 400
    assert "too common" in resp.get_data(as_text=True)
    dup = {"email": ADMIN, "role": "analyst", "password": "plenty long passphrase",
           "confirm": "plenty long passphrase"}
    resp = post(admin_client, "/staff/accounts", dup, token_from="/staff/accounts")
    assert resp.status_code == 400
    assert "already exists" in resp.get_data(as_text=True)


def test_admin_changes_role_deactivates_and_resets(
        admin_client: FlaskClient, analyst: StaffUser
) -> None:
    base = f"/staff/accounts/{analyst.id}"
    assert post(admin_client, f"{base}/role", {"role": "admin"}, base).status_code == 302
    assert post(admin_client, f"{base}/deactivate", {}, base).status_code == 302
    pw = {"password": "another good passphrase", "confirm": "another good passphrase"}
    assert post(admin_client, f"{base}/password", pw, base).status_code == 302
    user = db.session.get(StaffUser, analyst.id)
    db.session.refresh(user)
    assert (user.role, user.active) == ("admin", False)
    actions = set(db.session.scalars(select(AuditLog.action)).all())
    assert {"staff.role", "staff.deactivate", "staff.password_reset"} <= actions


def test_last_admin_cannot_be_demoted_or_deactivated(admin_client: FlaskClient,
                                                     admin: StaffUser) -> None:
    base = f"/staff/accounts/{admin.id}"
    resp = post(admin_client, f"{base}/role", {"role": "analyst"}, base)
    assert resp.status_code == 400
    assert "last active admin" in resp.get_data(as_text=True)
    resp = post(admin_client, f"{base}/deactivate", {}, base)
    assert resp.status_code == 400
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active
