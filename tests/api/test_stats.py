"""GET /api/v1/stats: who may read it (session or bearer token), filters, and suppression."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.core.questionnaire import Questionnaire
from survey.database import write_transaction
from survey.models import StaffUser
from survey.services import tokens
from tests.helpers import make_staff, random_answers, sign_in

URL = "/api/v1/stats"
PROVINCES = {"east": "shanghai", "central": "hubei", "west": "sichuan"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def analyst(app: Flask) -> StaffUser:
    return make_staff("analyst@example.org", "analyst")


@pytest.fixture
def secret(analyst: StaffUser) -> str:
    return tokens.issue(analyst.email, "partner portal").token


def seed(client: FlaskClient, q: Questionnaire, counts: dict[str, int]) -> None:
    seed_no = 0
    for region, n in counts.items():
        for _ in range(n):
            seed_no += 1
            answers = random_answers(seed_no, q, province=PROVINCES[region])
            assert client.post("/api/v1/assessments",
                               json={"answers": answers}).status_code == 201


# --- who may read -----------------------------------------------------------------------

def test_anonymous_is_json_401_not_a_redirect(client: FlaskClient) -> None:
    resp = client.get(URL)
    assert resp.status_code == 401
    assert resp.is_json and resp.get_json()["status"] == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in resp.headers


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_signed_in_staff_may_read(app: Flask, client: FlaskClient, role: str) -> None:
    make_staff(f"{role}@example.org", role)
    assert sign_in(client, f"{role}@example.org").status_code == 302
    resp = client.get(URL)
    assert resp.status_code == 200, resp.get_json()
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.get_json()["n"] == 0


def test_signed_in_without_a_staff_role_is_403(app: Flask, client: FlaskClient) -> None:
    make_staff("visitor@example.org", "viewer")
    assert sign_in(client, "visitor@example.org").status_code == 302
    resp = client.get(URL)
    assert resp.status_code == 403 and resp.is_json


def test_bearer_token_may_read(client: FlaskClient, secret: str) -> None:
    resp = client.get(URL, headers=bearer(secret))
    assert resp.status_code == 200
    assert "n" in resp.get_json()


@pytest.mark.parametrize("header", [
    "Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000, "Token abc",
])
def test_bad_credentials_are_401(client: FlaskClient, secret: str, header: str) -> None:
    resp = client.get(URL, headers={"Authorization": header})
    assert resp.status_code == 401 and resp.is_json
    assert "invalid_token" in resp.headers["WWW-Authenticate"]


def test_revoked_token_is_401(client: FlaskClient, secret: str) -> None:
    assert client.get(URL, headers=bearer(secret)).status_code == 200
    token_id = tokens.list_tokens()[0].id
    assert tokens.revoke(token_id)
    resp = client.get(URL, headers=bearer(secret))
    assert resp.status_code == 401 and resp.is_json


def test_token_of_a_deactivated_user_is_401(client: FlaskClient, secret: str,
                                            analyst: StaffUser) -> None:
    with write_transaction() as s:
        user = s.get(StaffUser, analyst.id)
        assert user is not None
        user.active = False
    assert client.get(URL, headers=bearer(secret)).status_code == 401


def test_an_invalid_token_is_refused_even_with_a_session(app: Flask, client: FlaskClient,
                                                         analyst: StaffUser) -> None:
    assert sign_in(client, analyst.email).status_code == 302
    assert client.get(URL, headers=bearer("sme_wrong")).status_code == 401


# --- what it shows ----------------------------------------------------------------------

@pytest.fixture
def seeded(app: Flask, client: FlaskClient, questionnaire: Questionnaire) -> Iterator[None]:
    app.config["PRIVACY_MIN_GROUP"] = 10
    seed(client, questionnaire, {"east": 12, "central": 11, "west": 3})
    yield


def _regions(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["key"]: g for g in body["segments"]["region"]}


def test_small_groups_are_suppressed(client: FlaskClient, secret: str, seeded: None) -> None:
    body = client.get(URL, headers=bearer(secret)).get_json()
    assert body["n"] == 26 and body["min_group"] == 10 and body["suppressed"] is False
    west = _regions(body)["west"]
    assert west["suppressed"] is True
    assert west["n"] is None and west["overall"]["mean"] is None
    assert all(share["count"] is None for share in west["high_priority"].values())
    for groups in body["segments"].values():
        for g in groups:
            assert g["n"] is None or g["n"] >= 10, g


def test_filters_are_query_parameters(client: FlaskClient, secret: str, seeded: None) -> None:
    body = client.get(URL, query_string={"region": "east"}, headers=bearer(secret)).get_json()
    assert body["n"] == 12 and body["filters"] == {"region": "east"}
    assert body["suppressed"] is False
    tiny = client.get(URL, query_string={"region": "west"}, headers=bearer(secret)).get_json()
    assert tiny["n"] == 3 and tiny["suppressed"] is True
    assert tiny["overall"]["mean"] is None


@pytest.mark.parametrize("query", [
    {"region": "mars"}, {"wave": "abc"}, {"month_from": "2026-13"}, {"industry": "x" * 300},
    {"size": "huge"}, {"demo": "maybe"},
])
def test_bad_filters_are_400(client: FlaskClient, secret: str, query: dict[str, str]) -> None:
    resp = client.get(URL, query_string=query, headers=bearer(secret))
    assert resp.status_code == 400 and resp.is_json
    assert resp.get_json()["invalid"] == list(query)


def test_a_nul_in_a_filter_is_400(client: FlaskClient, secret: str) -> None:
    resp = client.get(URL, query_string={"industry": "\x00"}, headers=bearer(secret))
    assert resp.status_code == 400 and resp.is_json and "NUL" in resp.get_json()["detail"]


def test_an_unknown_wave_is_a_404(client: FlaskClient, secret: str) -> None:
    resp = client.get(URL, query_string={"wave": "999"}, headers=bearer(secret))
    assert resp.status_code == 404 and resp.is_json
    assert "999" in resp.get_json()["detail"]
