"""/healthz and /readyz: each dependency's state, 503 only for what makes the app unusable."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade

from survey import create_app
from survey.limit_storage import wrap_uri
from survey.release import migration_head, release
from tests.conftest import make_app
from tests.helpers import PASSWORD, best_answers, csrf_from, make_staff, sign_in
from tests.journey import Respondent

CLOSED_PORT_REDIS = wrap_uri("redis://127.0.0.1:1/0")


def test_healthz_names_each_dependency_and_the_release(client: FlaskClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json is not None
    assert (r.json["status"], r.json["database"], r.json["limits"]) == ("ok", "ok", "ok")
    assert r.json["version"] == release() != "unknown"


def test_healthz_is_503_when_the_database_is_down() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x",
                      "SECRET_KEY": "t", "SQLALCHEMY_ENGINE_OPTIONS": {}})
    for path in ("/healthz", "/readyz"):
        r = app.test_client().get(path)
        assert r.status_code == 503 and r.json is not None
        assert (r.json["status"], r.json["database"]) == ("error", "down")


def test_the_app_serves_with_the_limit_store_down(app: Flask, database_url: str) -> None:
    """Redis unreachable (a closed port): starting a survey, signing in and the API all work,
    the limits still hold in this process, and /healthz says `degraded` with a 200."""
    make_staff("ops@example.org", role="admin")
    down = make_app(database_url, RATELIMIT_STORAGE_URI=CLOSED_PORT_REDIS, RATELIMIT_ENABLED=True,
                    START_LIMIT_PER_SESSION="2/minute")
    with down.app_context():
        client = down.test_client()
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json is not None
        assert (health.json["status"], health.json["limits"]) == ("degraded", "degraded")

        Respondent(client).start()
        api = client.post("/api/v1/assessments", json={"answers": best_answers()})
        assert api.status_code == 201, api.text
        assert sign_in(down.test_client(), "ops@example.org", PASSWORD).status_code == 302

        Respondent(client).start()
        page = client.get("/")
        third = client.post("/start", data={"consent": "y", "csrf_token": csrf_from(page.text)})
        assert third.status_code == 429


def test_readyz_wants_the_schema_this_code_expects(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/ready.sqlite3"
    app = make_app(url)
    with app.app_context():
        client = app.test_client()
        assert client.get("/readyz").status_code == 503  # no schema yet
        upgrade()
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json is not None
        assert ready.json["schema"] == migration_head() and ready.json["ready"] is True
        downgrade(revision="-1")
        behind = client.get("/readyz")
        assert behind.status_code == 503 and behind.json is not None
        assert behind.json["schema"] != migration_head()
        assert client.get("/healthz").status_code == 200  # alive, just not ready


def test_probes_answer_a_load_balancer_that_names_the_ip(database_url: str, app: Flask) -> None:
    """With TRUSTED_HOSTS set, a probe to http://10.0.0.8:8000/readyz is answered; any other
    path for that host is still refused."""
    strict = make_app(database_url, TRUSTED_HOSTS=["survey.example.org"])
    with strict.app_context():
        client = strict.test_client()
        assert client.get("/healthz", base_url="http://10.0.0.8:8000").status_code == 200
        assert client.get("/readyz", base_url="http://127.0.0.1:8000").status_code in (200, 503)
        assert client.get("/readyz", base_url="http://127.0.0.1:8000").json is not None
        assert client.get("/", base_url="http://10.0.0.8:8000").status_code == 400
        assert client.get("/", base_url="https://survey.example.org").status_code == 200
