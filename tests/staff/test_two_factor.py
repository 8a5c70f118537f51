"""Two-step sign-in in the browser's terms: set up with a QR code, sign in with a code, recover."""

from __future__ import annotations

import re
import time

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, StaffUser
from survey.staff.signin import PENDING
from tests.helpers import ADMIN, ANALYST, PASSWORD, csrf_token, post, sign_in

PAGE = "/staff/two-factor"
RECOVERY = re.compile(r"<code>([a-z0-9]{4}(?:-[a-z0-9]{4}){3})</code>")


def secret_of(user_id: int) -> str:
    db.session.expire_all()
    user = db.session.get(StaffUser, user_id)
    assert user is not None and user.totp_secret is not None
    return user.totp_secret


def enrol(client: FlaskClient, user_id: int) -> tuple[pyotp.TOTP, list[str]]:
    """Set up the second factor as a person does; the app's codes and the recovery codes."""
    assert post(client, f"{PAGE}/start", token_from=PAGE).status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    totp = pyotp.TOTP(secret_of(user_id))
    assert " ".join(secret_of(user_id)[i:i + 4] for i in range(0, 32, 4)) in page
    wrong = post(client, f"{PAGE}/confirm", {"code": "12345"}, token_from=PAGE)
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    done = post(client, f"{PAGE}/confirm", {"code": totp.now()}, token_from=PAGE)
    assert done.status_code == 200
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert len(set(codes)) == 10
    return totp, codes


def code_step(client: FlaskClient, code: str) -> object:
    token = csrf_token(client, "/staff/login/code")
    return client.post("/staff/login/code", data={"code": code, "csrf_token": token})


def test_set_up_then_sign_in_with_a_code(app: Flask, analyst: StaffUser,
                                         analyst_client: FlaskClient) -> None:
    other_session = app.test_client()
    assert sign_in(other_session, ANALYST).status_code == 302
    assert "Set up two-step sign-in" in analyst_client.get(PAGE).get_data(as_text=True)
    totp, _codes = enrol(analyst_client, analyst.id)
    assert analyst_client.get("/staff/responses").status_code == 200  # this session goes on
    assert other_session.get("/staff/responses").status_code == 302  # the other one ends
    assert "Two-step sign-in is on" in analyst_client.get(PAGE).get_data(as_text=True)

    post(analyst_client, "/staff/logout")
    first = sign_in(analyst_client, ANALYST)
    assert first.status_code == 302 and first.headers["Location"] == "/staff/login/code"
    assert analyst_client.get("/staff/responses").status_code == 302  # the password alone: no
    wrong = code_step(analyst_client, "000000" if totp.now() != "000000" else "999999")
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    right = code_step(analyst_client, totp.at(time.time() + 30))
    assert right.status_code == 302
    assert analyst_client.get("/staff/responses").status_code == 200
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.sign_in")
                            .order_by(AuditLog.id.desc()))
    assert row is not None and row.details["second_factor"] == "totp"
    assert db.session.scalar(select(AuditLog).where(
        AuditLog.action == "staff.sign_in_failed", AuditLog.target == f"staff:{analyst.id}")
    ).details["reason"] == "wrong_code"


def test_a_recovery_code_signs_in_once(app: Flask, analyst: StaffUser,
                                       analyst_client: FlaskClient) -> None:
    _totp, codes = enrol(analyst_client, analyst.id)
    post(analyst_client, "/staff/logout")
    sign_in(analyst_client, ANALYST)
    assert code_step(analyst_client, codes[0].upper()).status_code == 302
    post(analyst_client, "/staff/logout")
    sign_in(analyst_client, ANALYST)
    reused = code_step(analyst_client, codes[0])
    assert reused.status_code == 200
    assert analyst_client.get("/staff/responses").status_code == 302


def test_code_guesses_are_throttled(app: Flask, analyst: StaffUser,
                                    analyst_client: FlaskClient) -> None:
    totp, _codes = enrol(analyst_client, analyst.id)
    post(analyst_client, "/staff/logout")
    sign_in(analyst_client, ANALYST)
    bad = "000000" if totp.now() != "000000" else "999999"
    # five wrong codes per window in all: the one mistyped while setting up counts too
    assert [code_step(analyst_client, bad).status_code for _ in range(5)] == [200] * 4 + [429]
    assert code_step(analyst_client, totp.at(time.time() + 30)).status_code == 429


def test_the_code_step_expires(app: Flask, analyst: StaffUser,
                               analyst_client: FlaskClient) -> None:
    enrol(analyst_client, analyst.id)
    post(analyst_client, "/staff/logout")
    sign_in(analyst_client, ANALYST)
    with analyst_client.session_transaction() as sess:
        sess[PENDING] = {**sess[PENDING], "t": int(time.time()) - 301}
    assert analyst_client.get("/staff/login/code").headers["Location"] == "/staff/login"


def test_admins_must_set_it_up_when_required(app: Flask, admin: StaffUser,
                                            analyst: StaffUser) -> None:
    app.config["STAFF_2FA_REQUIRED_ROLES"] = ("admin",)
    analyst_browser = app.test_client()
    assert sign_in(analyst_browser, ANALYST).headers["Location"] == "/staff/"

    browser = app.test_client()
    first = sign_in(browser, ADMIN)
    assert first.headers["Location"] == PAGE
    assert browser.get("/staff/accounts").status_code == 302  # nothing else until set up
    assert browser.get("/api/v1/stats").status_code == 401
    assert "Your role needs two-step sign-in" in browser.get(PAGE).get_data(as_text=True)
    enrol(browser, admin.id)
    assert browser.get("/staff/accounts").status_code == 200
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.sign_in",
                                                   AuditLog.actor_id == admin.id))
    assert row is not None and row.details["second_factor"] == "enrolled"


def test_an_admin_session_without_it_ends_when_it_becomes_required(
        app: Flask, admin_client: FlaskClient) -> None:
    assert admin_client.get("/staff/accounts").status_code == 200
    app.config["STAFF_2FA_REQUIRED_ROLES"] = ("admin",)
    assert admin_client.get("/staff/accounts").status_code == 302


def test_an_admin_turns_off_a_lost_second_factor(app: Flask, admin_client: FlaskClient,
                                                 admin: StaffUser, analyst: StaffUser) -> None:
    browser = app.test_client()
    assert sign_in(browser, ANALYST).status_code == 302
    enrol(browser, analyst.id)
    page = admin_client.get(f"/staff/accounts/{analyst.id}").get_data(as_text=True)
    assert "Turn off two-step sign-in" in page
    base = f"/staff/accounts/{analyst.id}"
    assert admin_client.post(f"{base}/two-factor/reset").status_code == 400  # no CSRF token
    assert post(admin_client, f"{base}/two-factor/reset", token_from=base).status_code == 302
    assert browser.get("/staff/responses").status_code == 302
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.2fa_reset"))
    assert row is not None and row.actor_id == admin.id
    assert sign_in(browser, ANALYST).headers["Location"] == "/staff/"


def test_pages_need_someone_half_way_or_signed_in(client: FlaskClient) -> None:
    assert client.get(PAGE).headers["Location"] == "/staff/login"
    assert client.get("/staff/login/code").headers["Location"] == "/staff/login"
    token = csrf_token(client)
    assert client.post(f"{PAGE}/confirm", data={"code": "123456", "csrf_token": token}
                       ).headers["Location"] == "/staff/login"


def test_the_password_is_still_checked_first(client: FlaskClient, analyst: StaffUser) -> None:
    resp = sign_in(client, ANALYST, PASSWORD + "x")
    assert resp.status_code == 200
    with client.session_transaction() as sess:
        assert PENDING not in sess


def test_a_password_thief_cannot_lock_the_owner_out(app: Flask, analyst: StaffUser,
                                                   analyst_client: FlaskClient) -> None:
    """Wrong codes from a browser the account does not know use up that allowance only; the
    owner's browser, known to the account, signs in with its code."""
    totp, _codes = enrol(analyst_client, analyst.id)
    post(analyst_client, "/staff/logout")
    thief = app.test_client()
    assert sign_in(thief, ANALYST).headers["Location"] == "/staff/login/code"
    bad = "000000" if totp.now() != "000000" else "999999"
    statuses = [code_step(thief, bad).status_code for _ in range(6)]
    assert statuses[-1] == 429 and statuses.count(200) == 5

    assert sign_in(analyst_client, ANALYST).headers["Location"] == "/staff/login/code"
    assert code_step(analyst_client, totp.at(time.time() + 30)).status_code == 302
    assert analyst_client.get("/staff/responses").status_code == 200
