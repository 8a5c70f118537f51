"""NUL bytes and out-of-range ids are refused (400, 404) on every route, before any query.

On PostgreSQL a NUL in a string parameter and an id above 2^31 - 1 are database errors; on
SQLite an id above 2^63 - 1 overflows the driver. Run with TEST_DATABASE_URL for PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

from survey.web.hygiene import MAX_ID
from tests.helpers import ADMIN, csrf_token, make_staff, sign_in

HUGE_IDS = (MAX_ID + 1, 2**63, 2**64 + 7, 10**30)


def _id_rules(app: Flask) -> list[tuple[str, str]]:
    """(path template with {}, method) of every route with an `<int:…>` part."""
    out = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        template = re.sub(r"<int:\w+>", "{id}", rule.rule)
        template = re.sub(r"<any\(([\w, ]+)\):\w+>", lambda m: m.group(1).split(",")[0],
                          template)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((template, method))
    return out


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    make_staff(ADMIN, "admin")
    assert sign_in(client, ADMIN).status_code == 302
    return client


def test_every_id_route_is_bounded(app: Flask) -> None:
    rules = _id_rules(app)
    assert len(rules) >= 8, rules  # staff responses, waves, accounts, tokens


def test_huge_ids_are_404_on_every_staff_route(app: Flask, admin: FlaskClient) -> None:
    token = csrf_token(admin, "/staff/responses")
    for template, method in _id_rules(app):
        for huge in HUGE_IDS:
            path = template.format(id=huge)
            if method == "GET":
                r = admin.get(path)
            else:
                r = admin.open(path, method=method, data={"csrf_token": token})
            assert r.status_code == 404, (method, path, r.status_code)


def test_largest_real_id_still_routes(app: Flask, admin: FlaskClient) -> None:
    assert admin.get(f"/staff/responses/{MAX_ID}").status_code == 404  # no such row, a 404
    assert app.url_map.bind("localhost").match(f"/staff/responses/{MAX_ID}")[1] == {
        "response_id": MAX_ID}


def test_nul_in_sign_in_form_is_400_before_sign_in(app: Flask) -> None:
    client = app.test_client()
    make_staff(ADMIN, "admin")
    r = sign_in(client, ADMIN + "\x00")
    assert r.status_code == 400
    assert "NUL" in r.text
    r = sign_in(client, ADMIN, password="x\x00y")
    assert r.status_code == 400


@pytest.mark.parametrize("path", ["/", "/staff/login", "/methodology", "/r/abc",
                                  "/report/abc", "/api/v1/questionnaire", "/no-such-page"])
def test_nul_in_query_args_is_400(client: FlaskClient, path: str) -> None:
    for query in ("lang=en%00", "x%00=1", "page=1%00"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query, r.status_code)


def test_nul_in_api_is_a_json_400(client: FlaskClient) -> None:
    r = client.get("/api/v1/questionnaire?lang=en%00")
    assert r.status_code == 400 and r.is_json and "NUL" in r.json["detail"]
    r = client.post("/api/v1/assessments", data='{"answers": {"province": "x\\u0000"}}',
                    content_type="application/json")
    assert r.status_code == 422 and r.is_json


def test_nul_in_path_and_staff_forms_is_400(app: Flask, admin: FlaskClient) -> None:
    assert admin.get("/staff/responses%00").status_code == 400
    token = csrf_token(admin, "/staff/responses")
    r = admin.post("/staff/waves/new", data={"csrf_token": token, "name": "Spring\x00",
                                             "starts_on": "2026-01-01"})
    assert r.status_code == 400


def test_nul_in_respondent_form_is_400(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client, "/")
    r = client.post("/start", data={"consent": "y\x00", "csrf_token": token})
    assert r.status_code == 400
