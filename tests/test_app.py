"""The health check, the self-hosted plotly.js and settings."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from survey import create_app
from survey.config import ConfigError, database_url, development_secret, load
from survey.web.vendor import plotly_version
from tests.helpers import PRODUCTION


def test_plotly_is_served_compressed_and_cached(client: FlaskClient) -> None:
    url = f"/vendor/plotly-{plotly_version()}.min.js"
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert b"plotly" in gzip.decompress(r.data)[:2000].lower()
    assert client.get("/vendor/plotly-0.0.1.min.js").status_code == 404


def test_database_url_normalisation() -> None:
    assert database_url("postgres://u@h/db", "/i") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db", "/i") == "postgresql+psycopg://u@h/db"
    assert database_url(None, "/inst").startswith("sqlite:////inst/")


def test_production_requires_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load(str(tmp_path), {"SURVEY_ENV": "production"})
    with pytest.raises(ConfigError):
        load(str(tmp_path), {"SURVEY_ENV": "staging"})
    with pytest.raises(ConfigError, match="PRIVACY_MIN_GROUP"):
        load(str(tmp_path), {"PRIVACY_MIN_GROUP": "ten"})


def test_sign_in_settings(tmp_path: Path) -> None:
    dev = load(str(tmp_path), {})
    assert dev["STAFF_2FA_REQUIRED_ROLES"] == ()  # tests and development are not forced
    assert (dev["STAFF_SESSION_IDLE_MINUTES"], dev["STAFF_SESSION_MAX_HOURS"]) == (30, 12)
    prod = load(str(tmp_path), PRODUCTION)
    assert prod["STAFF_2FA_REQUIRED_ROLES"] == ("admin",)
    none = load(str(tmp_path), {**PRODUCTION, "STAFF_2FA_REQUIRED_ROLES": ""})
    assert none["STAFF_2FA_REQUIRED_ROLES"] == ()
    both = load(str(tmp_path), {"STAFF_2FA_REQUIRED_ROLES": "admin, analyst"})
    assert both["STAFF_2FA_REQUIRED_ROLES"] == ("admin", "analyst")
    with pytest.raises(ConfigError, match="STAFF_LOGIN_ACCOUNT_LIMIT"):
        load(str(tmp_path), {"STAFF_LOGIN_ACCOUNT_LIMIT": "ten an hour"})


def test_development_secret_is_made_once(tmp_path: Path) -> None:
    first = development_secret(str(tmp_path))
    assert len(first) > 40 and development_secret(str(tmp_path)) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_factory_opens_no_connection(tmp_path: Path) -> None:
    """create_app must not touch the database: an unreachable one is fine until used."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x",
                      "SECRET_KEY": "t", "SQLALCHEMY_ENGINE_OPTIONS": {}})
    assert app.name == "survey"


def test_log_redaction() -> None:
    from survey.web.access_log import redact

    line = "GET /report/AbCdEfGhIjKlMnOpQrStUv_-12345/my-data.csv HTTP/1.1"
    assert redact(line) == "GET /report/[token]/my-data.csv HTTP/1.1"
    assert redact("/r/AbCdEfGhIjKlMnOpQrStUv") == "/r/[token]"
    assert redact("/api/v1/assessments/AbCdEfGhIjKlMnOpQrStUv") == "/api/v1/assessments/[token]"


def test_the_app_loads_without_the_statistics_file_libraries() -> None:
    """pandas and pyreadstat load when a Stata or SPSS file is written, not with every CLI
    command and gunicorn worker (about 0.7 s)."""
    import subprocess
    import sys

    code = ("import sys, app; "
            "print(sorted(m for m in ('pandas', 'pyreadstat', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr
