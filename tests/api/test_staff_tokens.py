"""The admin page /staff/tokens (survey/staff/tokens.py): roles, issue once, revoke."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import ApiToken, AuditLog
from survey.services import tokens
from tests.helpers import csrf_from, make_staff, sign_in

PAGE = "/staff/tokens"


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    make_staff("admin@example.org", "admin")
    make_staff("analyst@example.org", "analyst")
    assert sign_in(client, "admin@example.org").status_code == 302
    return client


def test_anonymous_is_sent_to_sign_in(client: FlaskClient) -> None:
    resp = client.get(PAGE)
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]
    assert client.post(PAGE).status_code in (302, 400)


def test_analysts_are_refused(app: Flask, client: FlaskClient) -> None:
    make_staff("analyst@example.org", "analyst")
    assert sign_in(client, "analyst@example.org").status_code == 302
    assert client.get(PAGE).status_code == 403
    home = client.get("/staff/login", follow_redirects=True).get_data(as_text=True)
    resp = client.post(f"{PAGE}/1/revoke", data={"csrf_token": csrf_from(home)})
    assert resp.status_code == 403


def test_admin_issues_a_token_shown_once(admin_client: FlaskClient) -> None:
    page = admin_client.get(PAGE)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "analyst@example.org" in html
    resp = admin_client.post(PAGE, data={"owner": "analyst@example.org",
                                         "name": "Think-tank portal",
                                         "csrf_token": csrf_from(html)})
    assert resp.status_code == 200
    shown = re.findall(r'value="(sme_[^"]+)"', resp.get_data(as_text=True))
    assert len(shown) == 1
    secret = shown[0]
    assert admin_client.get("/api/v1/stats",
                            headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    later = admin_client.get(PAGE).get_data(as_text=True)
    assert secret not in later and "Think-tank portal" in later
    row = db.session.scalar(select(ApiToken))
    assert row is not None and secret not in row.token_hash
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.action != "staff.sign_in")
                              .order_by(AuditLog.id)).all() == [
        "staff.create", "staff.create", "api_token.create"]  # the two accounts, then the token


def test_issue_without_csrf_or_with_bad_input_is_refused(admin_client: FlaskClient) -> None:
    no_csrf = admin_client.post(PAGE, data={"owner": "analyst@example.org", "name": "x"})
    assert no_csrf.status_code == 400
    html = admin_client.get(PAGE).get_data(as_text=True)
    for data in ({"owner": "stranger@example.org", "name": "x"},
                 {"owner": "analyst@example.org", "name": ""},
                 {"owner": "analyst@example.org", "name": "n" * 81}):
        resp = admin_client.post(PAGE, data={**data, "csrf_token": csrf_from(html)})
        assert resp.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_admin_revokes_a_token(admin_client: FlaskClient) -> None:
    issued = tokens.issue("analyst@example.org", "to revoke")
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert f"{PAGE}/{issued.id}/revoke" in html
    resp = admin_client.post(f"{PAGE}/{issued.id}/revoke",
                             data={"csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    assert tokens.authenticate(issued.token) is None
    assert admin_client.get("/api/v1/stats", headers={
        "Authorization": f"Bearer {issued.token}"}).status_code == 401


def test_revoke_needs_csrf(admin_client: FlaskClient) -> None:
    issued = tokens.issue("analyst@example.org", "keep")
    admin_client.post(f"{PAGE}/{issued.id}/revoke")
    assert tokens.authenticate(issued.token) is not None
