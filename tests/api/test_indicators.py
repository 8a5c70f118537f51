"""GET /api/v1/indicators: who may read it, its shape, filters and suppression."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.services import tokens
from tests.helpers import add_rows, make_staff, row_2027, sign_in, staff_client

URL = "/api/v1/indicators"


def seed() -> None:
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused"},
                       size_class="small")] * 20)
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "granted_full"},
                       size_class="micro")] * 20)
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "pending"},
                       size_class="micro")] * 3)


def test_anonymous_is_json_401(client: FlaskClient) -> None:
    resp = client.get(URL)
    assert resp.status_code == 401 and resp.is_json
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_signed_in_without_a_staff_role_is_403(app: Flask, client: FlaskClient) -> None:
    make_staff("visitor@example.org", "viewer")
    assert sign_in(client, "visitor@example.org").status_code == 302
    assert client.get(URL).status_code == 403


def test_bearer_token_may_read(app: Flask, client: FlaskClient) -> None:
    make_staff("analyst@example.org", "analyst")
    secret = tokens.issue("analyst@example.org", "think tank").token
    resp = client.get(URL, headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 200 and resp.headers["Cache-Control"].startswith("no-store")


def test_shape_and_numbers(app: Flask) -> None:
    seed()
    body = staff_client(app).get(URL, query_string={"by": "size", "lang": "zh"}).get_json()
    assert body["by"] == "size" and body["min_group"] == 10 and body["n"] == 43
    assert body["filters"] == {}  # the defaults (demo rows excluded) are not echoed, as in /stats
    assert body["segments"] == ["micro", "small"]
    refused = next(i for i in body["indicators"] if i["id"] == "loan_refused")
    assert refused["label"] == "过去12个月贷款申请被拒"
    assert refused["source"] == "fin_loan_outcome" and refused["numerator"] == ["refused"]
    assert refused["denominator"] == ["granted_full", "granted_part", "refused"]
    assert refused["apart"] == ["pending"]
    total = refused["total"]
    assert (total["key"], total["n"], total["count"], total["share"]) == ("all", 40, 20, 0.5)
    assert total["apart"] == 3 and total["suppressed"] is False
    low, high = total["interval"]
    assert 0.34 < low < 0.5 < high < 0.66
    micro, small = refused["by_segment"]
    assert (micro["key"], micro["n"], micro["share"]) == ("micro", 20, 0.0)
    assert (small["key"], small["n"], small["share"]) == ("small", 20, 1.0)
    assert {g["id"] for g in body["groups"]} >= {"credit", "financing", "scheme_guarantee"}


def test_a_small_denominator_is_null_with_its_neighbours(app: Flask) -> None:
    """Micro: 5 applicants with a decision. Hidden, every number of the cell null, and the
    small cell or the total hidden too (the total minus small would give micro)."""
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused"},
                       size_class="small")] * 20)
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused"},
                       size_class="micro")] * 5)
    body = staff_client(app).get(URL).get_json()
    refused = next(i for i in body["indicators"] if i["id"] == "loan_refused")
    micro = refused["by_segment"][0]
    assert micro["suppressed"] is True
    assert all(micro[k] is None for k in ("n", "count", "share", "interval", "apart"))
    assert refused["total"]["suppressed"] or refused["by_segment"][1]["suppressed"]


def test_demo_rows_only_when_asked(app: Flask) -> None:
    seed()
    add_rows([row_2027(answers={"fin_applied": "no"}, is_demo=True)] * 12)
    client = staff_client(app)
    assert client.get(URL).get_json()["n"] == 43
    assert client.get(URL, query_string={"demo": "include"}).get_json()["n"] == 55


@pytest.mark.parametrize("args", [{"by": "colour"}, {"lang": "fr"}, {"size": "huge"}])
def test_bad_parameters_are_400(app: Flask, args: dict[str, str]) -> None:
    resp = staff_client(app).get(URL, query_string=args)
    assert resp.status_code == 400 and resp.is_json
    assert resp.get_json()["invalid"]


def test_an_unknown_wave_is_404(app: Flask) -> None:
    assert staff_client(app).get(URL, query_string={"wave": "999"}).status_code == 404
