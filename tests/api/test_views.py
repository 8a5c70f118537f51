"""The /api/v1 routes: questionnaire, assessments, and JSON errors for every failure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from survey.core.questionnaire import Questionnaire
from survey.extensions import db
from survey.models import Assessment, Response
from tests.helpers import best_answers, count, random_answers, worst_answers

URL = "/api/v1/assessments"


# --- questionnaire ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_questionnaire_is_the_cli_output(
    client: FlaskClient, runner: FlaskCliRunner, lang: str
) -> None:
    resp = client.get(f"/api/v1/questionnaire?lang={lang}")
    assert resp.status_code == 200
    cli = runner.invoke(args=["questionnaire", "show", "--lang", lang])
    assert cli.exit_code == 0
    assert resp.get_json() == json.loads(cli.output)
    assert resp.get_json()["language"] == lang


def test_questionnaire_cache_headers_and_conditional_get(client: FlaskClient) -> None:
    first = client.get("/api/v1/questionnaire?lang=zh")
    etag = first.headers["ETag"]
    assert "zh" in etag
    assert first.cache_control.public and first.cache_control.max_age == 3600
    assert "Set-Cookie" not in first.headers
    assert client.get("/api/v1/questionnaire?lang=en").headers["ETag"] != etag
    again = client.get("/api/v1/questionnaire?lang=zh", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize("lang", ["fr", "", "zh-CN", "<script>"])
def test_questionnaire_bad_language_is_json_400(client: FlaskClient, lang: str) -> None:
    resp = client.get("/api/v1/questionnaire", query_string={"lang": lang})
    assert resp.status_code == 400
    assert resp.is_json and resp.get_json()["status"] == 400
    assert "en, zh" in resp.get_json()["detail"]


# --- submitting -------------------------------------------------------------------------

def test_post_stores_and_scores(client: FlaskClient, questionnaire: Questionnaire) -> None:
    resp = client.post(URL, json={"answers": best_answers(questionnaire),
                                  "language": "zh"})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    token = body["id"]
    assert len(token) >= 22
    assert resp.headers["Location"].endswith(f"/api/v1/assessments/{token}")
    assert body["report_url"].startswith("http://localhost/")
    assert body["report_url"].endswith(f"/report/{token}")
    assert body["overall"] == {"score": 100.0, "level": "leading"}
    assert [r["priority"] for r in body["recommendations"]] == ["low"] * 5
    assert resp.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(select(Response).where(Response.token == token))
    assert row is not None
    assert (row.status, row.source, row.language) == ("submitted", "api", "zh")
    assert count(Assessment) == 1


def test_get_returns_the_assessment_as_stored(
    client: FlaskClient, questionnaire: Questionnaire
) -> None:
    created = client.post(URL, json={"answers": worst_answers(questionnaire)})
    token = created.get_json()["id"]
    resp = client.get(f"{URL}/{token}")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.get_json() == created.get_json()
    # "as scored when submitted": the stored result is served, not a re-computation.
    row = db.session.scalar(select(Assessment).join(Response).where(Response.token == token))
    assert row is not None
    row.result = {**row.result, "method_version": "1999.1"}
    db.session.commit()
    assert client.get(f"{URL}/{token}").get_json()["method_version"] == "1999.1"


def test_a_new_submission_is_answered_from_what_was_stored_not_read_back(
    client: FlaskClient, questionnaire: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer to a fresh POST is built from the rows its transaction wrote, the same
    document a GET reads back; only a replay reads the stored assessment by its token."""
    import survey.api.views as views

    read_back: list[str] = []
    find = views.find_assessment

    def counting(token: str) -> Assessment | None:
        read_back.append(token)
        return find(token)

    monkeypatch.setattr(views, "find_assessment", counting)
    headers = {"Idempotency-Key": "speed-test-key-0123456789"}
    created = client.post(URL, json={"answers": best_answers(questionnaire)}, headers=headers)
    assert created.status_code == 201 and read_back == []
    token = created.get_json()["id"]
    assert client.get(f"{URL}/{token}").get_json() == created.get_json()
    replay = client.post(URL, json={"answers": best_answers(questionnaire)}, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == created.get_json()
    assert read_back == [token, token]


@pytest.mark.parametrize("token", ["nope", "x" * 65, "a" * 43])
def test_unknown_assessment_is_json_404(client: FlaskClient, token: str) -> None:
    resp = client.get(f"{URL}/{token}")
    assert resp.status_code == 404
    assert resp.is_json and resp.get_json()["status"] == 404


def test_nul_in_an_assessment_id_is_json_400(client: FlaskClient) -> None:
    resp = client.get(f"{URL}/%00")
    assert resp.status_code == 400
    assert resp.is_json and resp.get_json()["status"] == 400


def test_missing_answers_are_422_keyed_by_question(
    client: FlaskClient, questionnaire: Questionnaire
) -> None:
    answers = best_answers(questionnaire)
    del answers["fin_finance_obstacle"]
    answers["dig_core_systems"] = ["finance", "none"]
    answers["fin_applied"] = "maybe"
    answers["no_such_question"] = "x"
    resp = client.post(URL, json={"answers": answers})
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert errors["fin_finance_obstacle"] == ["This question is required."]
    assert "fin_applied" in errors and "dig_core_systems" in errors
    assert "no_such_question" in errors
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m)
               for m in errors.values())
    assert count(Response) == 0


@pytest.mark.parametrize("body", [
    [], "answers", 42, None, {"answers": []}, {"answers": "x"}, {"nothing": {}},
    {"answers": {}, "language": "fr"},
])
def test_wrong_shapes_are_422(client: FlaskClient, body: Any) -> None:
    resp = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["errors"]
    assert count(Response) == 0


@pytest.mark.parametrize("data", [
    b"{", b"", b"   ", b"{'answers': {}}", b'{"answers": NaN}', b"\xff\xfe{}",
    b'{"answers": {"industry": "\\ud800"}}', b"[" * 100_000, b"[" * 20 + b"]" * 20,
    b'{"a":' * 5000 + b"1" + b"}" * 5000, b"1" * 5000,
])
def test_malformed_json_is_400(client: FlaskClient, data: bytes) -> None:
    resp = client.post(URL, data=data, content_type="application/json")
    assert resp.status_code == 400
    assert resp.is_json and resp.get_json()["status"] == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_not_json_is_415(client: FlaskClient, content_type: str | None) -> None:
    kwargs: dict[str, Any] = {"data": b'{"answers": {}}'}
    if content_type:
        kwargs["content_type"] = content_type
    resp = client.post(URL, **kwargs)
    assert resp.status_code == 415
    assert resp.is_json


def test_json_with_charset_and_vendor_type_is_accepted(
    client: FlaskClient, questionnaire: Questionnaire
) -> None:
    data = json.dumps({"answers": best_answers(questionnaire)}).encode()
    for ct in ("application/json; charset=utf-8", "application/vnd.partner+json"):
        assert client.post(URL, data=data, content_type=ct).status_code == 201


def test_too_large_is_413(client: FlaskClient) -> None:
    big = b'{"answers": {"x": "' + b"a" * 300_000 + b'"}}'
    resp = client.post(URL, data=big, content_type="application/json")
    assert resp.status_code == 413
    assert resp.is_json and resp.get_json()["status"] == 413


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/nowhere", 404),
    ("get", "/api/v2/questionnaire", 404),
    ("delete", URL, 405),
    ("get", URL, 405),
    ("put", "/api/v1/questionnaire", 405),
])
def test_routing_errors_are_json(client: FlaskClient, method: str, path: str,
                                 status: int) -> None:
    resp = getattr(client, method)(path)
    assert resp.status_code == status
    assert resp.is_json and resp.get_json()["status"] == status
    assert b"<html" not in resp.data.lower()


def test_api_posts_need_no_csrf_token(app: Flask, questionnaire: Questionnaire) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    resp = client.post(URL, json={"answers": best_answers(questionnaire)})
    assert resp.status_code == 201


def test_server_errors_under_api_are_json(app: Flask, client: FlaskClient,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import survey.api.views as views

    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(views, "find_assessment", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = client.get(f"{URL}/whatever")
    assert resp.status_code == 500
    assert resp.is_json and "simulated" not in resp.get_data(as_text=True)


def test_a_firm_without_export_plans_gets_overseas_not_applicable(
    client: FlaskClient, questionnaire: Questionnaire
) -> None:
    """Method 2027.1 through the API: the area and the recommendation that do not apply say
    so, an answer to an export question it was not asked is listed as ignored, and the
    credit-constraint class is given."""
    answers = best_answers(questionnaire, export_status="no_plans")
    answers["ovs_logistics_obstacle"] = "none"  # not asked of a firm with no export plans
    resp = client.post(URL, json={"answers": answers})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    overseas = body["areas"]["overseas_markets"]
    assert overseas["status"] == "not_applicable" and overseas["score"] is None
    assert body["areas"]["financing"]["status"] == "scored"
    assert body["areas"]["financing"]["capability"] == 100.0
    cross = next(r for r in body["recommendations"] if r["id"] == "cross_border_ecommerce")
    assert cross["priority"] == "not_applicable" and cross["need"] is None
    assert body["ignored"] == ["ovs_logistics_obstacle"]
    assert body["indicators"]["credit_constraint"] in (
        "no_need", "not_constrained", "partially_constrained", "fully_constrained", "unknown")
    assert body["overall"]["score"] == 100.0  # the mean of the two areas that apply


# --- same result as the CLI -------------------------------------------------------------

SCORED_FIELDS = ("questionnaire_version", "method_version", "overall", "areas",
                 "indicators", "recommendations", "ignored")


@pytest.mark.parametrize("pick,seed", [("best", 0), ("worst", 0), ("random", 1),
                                       ("random", 2), ("random", 3)])
def test_api_matches_cli_assess(client: FlaskClient, runner: FlaskCliRunner,
                                questionnaire: Questionnaire, pick: str, seed: int) -> None:
    answers = (random_answers(seed, questionnaire) if pick == "random" else
               best_answers(questionnaire) if pick == "best" else worst_answers(questionnaire))
    api = client.post(URL, json={"answers": answers})
    assert api.status_code == 201, api.get_json()
    cli = runner.invoke(args=["assess", "-"], input=json.dumps({"answers": answers}))
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.output)
    body = api.get_json()
    for field in SCORED_FIELDS:
        assert body[field] == printed[field], field
    assert [r["id"] for r in body["recommendations"]] == [r["id"] for r in
                                                          printed["recommendations"]]
    assert printed["id"] is None and printed["benchmark"] is None


def test_a_submit_reads_no_questionnaire_file(client: FlaskClient, questionnaire: Questionnaire,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The questionnaire is parsed once per process (`load_questionnaire` caches by version);
    a submit must never parse it again."""
    from survey.core.questionnaire import loader

    loader.load_questionnaire()  # loaded before, as any request would have
    parsed: list[object] = []
    monkeypatch.setattr(loader, "load_file", lambda path: parsed.append(path))
    for _ in range(2):
        assert client.post(URL, json={"answers": best_answers(questionnaire)}).status_code == 201
    assert parsed == []
