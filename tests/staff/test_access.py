"""Every staff route of part A for anonymous users, analysts and admins.

Anonymous users are sent to sign-in (pages) — the view never runs; analysts get 403 on admin
pages; admins get the page. Staff pages are never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditLog, Response, StaffUser, Wave
from tests.helpers import csrf_token

ANY = "any"
ADMIN = "admin"

# (path template, required role)
PAGES = [
    ("/staff/responses", ANY),
    ("/staff/responses/{response}", ANY),
    ("/staff/exports", ANY),
    ("/staff/export.csv", ANY),
    ("/staff/export.xlsx", ANY),
    ("/staff/codebook.csv", ANY),
    ("/staff/responses/{response}/delete", ADMIN),
    ("/staff/accounts", ADMIN),
    ("/staff/accounts/{user}", ADMIN),
    ("/staff/waves", ADMIN),
    ("/staff/waves/new", ADMIN),
    ("/staff/waves/{wave}", ADMIN),
    ("/staff/waves/{wave}/delete", ADMIN),
    ("/staff/audit", ADMIN),
]
POSTS = [
    ("/staff/responses/{response}/delete", ADMIN),
    ("/staff/accounts", ADMIN),
    ("/staff/accounts/{user}/role", ADMIN),
    ("/staff/accounts/{user}/password", ADMIN),
    ("/staff/accounts/{user}/deactivate", ADMIN),
    ("/staff/accounts/{user}/activate", ADMIN),
    ("/staff/waves/new", ADMIN),
    ("/staff/waves/{wave}", ADMIN),
    ("/staff/waves/{wave}/delete", ADMIN),
    ("/staff/export.csv", ANY),
    ("/staff/export.xlsx", ANY),
]


@pytest.fixture
def ids(app: Flask, submit: Callable[..., Response], analyst: StaffUser) -> dict[str, Any]:
    response = submit()
    wave = db.session.scalar(select(Wave.id))
    return {"response": response.id, "user": analyst.id, "wave": wave}


def _state() -> tuple[int, int, int]:
    """What a refused request must not have changed."""
    return (db.session.scalar(select(func.count()).select_from(Response)) or 0,
            db.session.scalar(select(func.count()).select_from(AuditLog)) or 0,
            db.session.scalar(select(func.count()).select_from(Wave)) or 0)


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_anonymous_pages_redirect_to_sign_in(client: FlaskClient, ids: dict[str, Any],
                                             path: str, role: str) -> None:
    resp = client.get(path.format(**ids))
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize(("path", "role"), POSTS)
def test_anonymous_posts_change_nothing(client: FlaskClient, ids: dict[str, Any],
                                        path: str, role: str) -> None:
    token = csrf_token(client)
    before = _state()
    resp = client.post(path.format(**ids), data={"csrf_token": token})
    assert resp.status_code == 302
    assert "/staff/login" in resp.headers["Location"]
    assert _state() == before


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_analyst_sees_analyst_pages_only(analyst_client: FlaskClient, ids: dict[str, Any],
                                         path: str, role: str) -> None:
    resp = analyst_client.get(path.format(**ids))
    assert resp.status_code == (200 if role == ANY else 403)
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("path", "role"), [p for p in POSTS if p[1] == ADMIN])
def test_analyst_cannot_post_admin_actions(analyst_client: FlaskClient, ids: dict[str, Any],
                                           path: str, role: str) -> None:
    token = csrf_token(analyst_client, "/staff/responses")
    before = _state()
    resp = analyst_client.post(path.format(**ids), data={"csrf_token": token})
    assert resp.status_code == 403
    assert _state() == before


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_admin_sees_every_page(admin_client: FlaskClient, ids: dict[str, Any],
                               path: str, role: str) -> None:
    resp = admin_client.get(path.format(**ids))
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"


def test_admin_nav_links_admin_pages_and_analyst_nav_does_not(
        admin_client: FlaskClient, analyst_client: FlaskClient) -> None:
    admin_page = admin_client.get("/staff/responses").get_data(as_text=True)
    analyst_page = analyst_client.get("/staff/responses").get_data(as_text=True)
    for link in ('href="/staff/audit"', 'href="/staff/waves"', 'href="/staff/accounts"'):
        assert link in admin_page
        assert link not in analyst_page
    assert 'href="/staff/exports"' in analyst_page
    assert 'action="/staff/logout"' in analyst_page


def test_missing_ids_are_404(admin_client: FlaskClient) -> None:
    for path in ("/staff/responses/999999", "/staff/accounts/999999", "/staff/waves/999999",
                 "/staff/responses/999999/delete", "/staff/waves/999999/delete"):
        assert admin_client.get(path).status_code == 404, path
