"""Rate limits on POST /api/v1/assessments: per address for anonymous clients, per token for
partners, answered as JSON 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from survey.config import LIMIT_SETTINGS
from survey.core.questionnaire import Questionnaire
from survey.services import tokens
from tests.helpers import best_answers, make_staff

URL = "/api/v1/assessments"


def submit(client: FlaskClient, body: Any, **kwargs: Any) -> Any:
    return client.post(URL, json=body, **kwargs)


def test_default_anonymous_limit_is_strict() -> None:
    anon = LIMIT_SETTINGS["API_RATE_LIMIT_ANON"]
    assert "/minute" in anon and "/hour" in anon


def test_anonymous_clients_are_limited_per_address(app: Flask, client: FlaskClient,
                                                   questionnaire: Questionnaire) -> None:
    app.config["API_RATE_LIMIT_ANON"] = "3/minute"
    body = {"answers": best_answers(questionnaire)}
    for _ in range(3):
        assert submit(client, body).status_code == 201
    limited = submit(client, body)
    assert limited.status_code == 429
    assert limited.is_json and limited.get_json()["status"] == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    other = submit(client, body, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 201
    # the limit is checked before the body is read: a flood of junk is refused cheaply
    assert client.post(URL, data=b"{", content_type="application/json").status_code == 429


def test_partners_are_limited_per_token_not_per_address(
    app: Flask, client: FlaskClient, questionnaire: Questionnaire
) -> None:
    app.config["API_RATE_LIMIT_ANON"] = "1/minute"
    app.config["API_RATE_LIMIT_PARTNER"] = "4/minute"
    user = make_staff("partner@example.org")
    first = tokens.issue(user.email, "first").token
    second = tokens.issue(user.email, "second").token
    body = {"answers": best_answers(questionnaire)}
    assert submit(client, body).status_code == 201
    assert submit(client, body).status_code == 429  # anonymous budget spent
    auth = {"Authorization": f"Bearer {first}"}
    for _ in range(4):
        assert submit(client, body, headers=auth).status_code == 201
    limited = submit(client, body, headers=auth)
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert submit(client, body, headers={"Authorization": f"Bearer {second}"}).status_code == 201


def test_invalid_token_on_submit_is_401(client: FlaskClient,
                                        questionnaire: Questionnaire) -> None:
    resp = submit(client, {"answers": best_answers(questionnaire)},
                  headers={"Authorization": "Bearer sme_revoked"})
    assert resp.status_code == 401 and resp.is_json


def test_reading_is_not_limited(app: Flask, client: FlaskClient) -> None:
    app.config["API_RATE_LIMIT_ANON"] = "1/minute"
    for _ in range(5):
        assert client.get("/api/v1/questionnaire").status_code == 200
        assert client.options(URL).status_code in (200, 204)
