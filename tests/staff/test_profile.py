"""A staff member's own account page: changing the password ends everything the old one opened."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, StaffUser
from survey.services import tokens
from tests.helpers import ANALYST, PASSWORD, post, sign_in

NEW = "a brand new passphrase"
PAGE = "/staff/account"


def change(client: FlaskClient, current: str, new: str = NEW, confirm: str | None = None) -> object:
    return post(client, f"{PAGE}/password",
                {"current": current, "password": new, "confirm": confirm or new}, PAGE)


def test_the_page_is_linked_from_every_staff_page(analyst_client: FlaskClient) -> None:
    assert f'href="{PAGE}"' in analyst_client.get("/staff/responses").get_data(as_text=True)
    page = analyst_client.get(PAGE).get_data(as_text=True)
    for name in ('name="current"', 'name="password"', 'name="confirm"',
                 'autocomplete="current-password"', 'autocomplete="new-password"'):
        assert name in page


def test_changing_the_password_ends_other_sessions_and_tokens(
        app: Flask, analyst: StaffUser, analyst_client: FlaskClient) -> None:
    elsewhere = app.test_client()
    assert sign_in(elsewhere, ANALYST).status_code == 302
    issued = tokens.issue(ANALYST, "partner")
    bearer = {"Authorization": f"Bearer {issued.token}"}
    assert app.test_client().get("/api/v1/stats", headers=bearer).status_code == 200

    resp = change(analyst_client, PASSWORD)
    assert resp.status_code == 302
    assert analyst_client.get("/staff/responses").status_code == 200  # this session goes on
    assert elsewhere.get("/staff/responses").status_code == 302
    assert app.test_client().get("/api/v1/stats", headers=bearer).status_code == 401
    assert sign_in(app.test_client(), ANALYST, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), ANALYST, NEW).status_code == 302
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.password_change"))
    assert row is not None and row.actor_id == analyst.id
    assert row.details == {"tokens_revoked": 1}


def test_a_wrong_current_password_is_refused_audited_and_counted(
        app: Flask, analyst: StaffUser, analyst_client: FlaskClient) -> None:
    resp = change(analyst_client, "not my password")
    assert resp.status_code == 400
    assert "current password is not right" in resp.get_data(as_text=True)
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.sign_in_failed"))
    assert row is not None and row.details["reason"] == "wrong_current_password"
    # this browser signed in before, so its own allowance (10 an hour) applies
    statuses = [change(analyst_client, f"guess number {i}").status_code for i in range(10)]
    assert statuses == [400] * 9 + [429]
    assert change(analyst_client, PASSWORD).status_code == 429  # a borrowed session cannot guess


def test_the_password_rule_applies(analyst_client: FlaskClient) -> None:
    resp = change(analyst_client, PASSWORD, "password1234")
    assert resp.status_code == 400 and "too common" in resp.get_data(as_text=True)
    resp = change(analyst_client, PASSWORD, NEW, "something else entirely")
    assert resp.status_code == 400 and "passwords differ" in resp.get_data(as_text=True)
    assert analyst_client.post(f"{PAGE}/password", data={
        "current": PASSWORD, "password": NEW, "confirm": NEW}).status_code == 400  # no CSRF


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    assert client.get(PAGE).status_code == 302
