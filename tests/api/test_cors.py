"""CORS for partner sites on the CORS_ORIGINS allow-list, and nothing for anyone else."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

PARTNER = "https://partner.example.cn"
PREFLIGHT = {"Origin": PARTNER, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type, idempotency-key"}


@pytest.fixture
def partner_app(app: Flask) -> Flask:
    app.config["CORS_ORIGINS"] = [PARTNER, "https://other.example.org"]
    return app


def test_no_origins_by_default(client: FlaskClient) -> None:
    resp = client.get("/api/v1/questionnaire", headers={"Origin": PARTNER})
    assert resp.status_code == 200
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert "Origin" in resp.headers["Vary"]


def test_listed_origin_is_echoed_never_a_wildcard(partner_app: Flask) -> None:
    resp = partner_app.test_client().get("/api/v1/questionnaire", headers={"Origin": PARTNER})
    assert resp.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Credentials" not in resp.headers
    assert "Location" in resp.headers["Access-Control-Expose-Headers"]
    assert "Origin" in resp.headers["Vary"]


def test_unlisted_origin_gets_no_cors_headers(partner_app: Flask) -> None:
    client = partner_app.test_client()
    for origin in ("https://evil.example", "https://partner.example.cn.evil.example", "null"):
        resp = client.get("/api/v1/questionnaire", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in resp.headers
        pre = client.options("/api/v1/assessments", headers={**PREFLIGHT, "Origin": origin})
        assert "Access-Control-Allow-Origin" not in pre.headers


def test_preflight_for_a_listed_origin(partner_app: Flask) -> None:
    resp = partner_app.test_client().options("/api/v1/assessments", headers=PREFLIGHT)
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    allowed = resp.headers["Access-Control-Allow-Headers"].lower()
    assert "idempotency-key" in allowed and "content-type" in allowed
    assert "authorization" in allowed


def test_errors_carry_cors_headers_so_partners_can_read_them(partner_app: Flask) -> None:
    client = partner_app.test_client()
    for resp in (client.get("/api/v1/nowhere", headers={"Origin": PARTNER}),
                 client.post("/api/v1/assessments", data=b"{", content_type="application/json",
                             headers={"Origin": PARTNER})):
        assert resp.status_code in (400, 404)
        assert resp.headers["Access-Control-Allow-Origin"] == PARTNER


def test_pages_outside_the_api_get_no_cors(partner_app: Flask) -> None:
    resp = partner_app.test_client().get("/", headers={"Origin": PARTNER})
    assert "Access-Control-Allow-Origin" not in resp.headers
