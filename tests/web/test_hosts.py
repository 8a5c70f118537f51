"""Which host and path the app's own links name: the request's Host, a forwarded host only by
opt-in, and never a host outside TRUSTED_HOSTS (report_url, Location, QR codes)."""

from __future__ import annotations

import pytest

from survey.config import ConfigError, load
from survey.extensions import db
from tests.conftest import make_app, reset_database
from tests.helpers import best_answers, csrf_from

EVIL = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/phish",
        "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def _submit(database_url: str, **config: object) -> tuple[int, str, str]:
    """Submit through the API behind a proxy that forwards a hostile host and prefix: the
    status, the Location header and the report_url the partner hands to the firm."""
    app = make_app(database_url, **config)
    with app.app_context():
        db.create_all()
        reset_database()
        r = app.test_client().post("/api/v1/assessments", json={"answers": best_answers()},
                                   headers=EVIL)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return r.status_code, r.headers.get("Location", ""), str(r.json.get("report_url", ""))


def test_forwarded_host_and_prefix_ignored_by_default(database_url: str) -> None:
    status, location, report = _submit(database_url, TRUSTED_PROXIES=1)
    assert status == 201
    assert location.startswith("https://localhost/api/v1/assessments/")  # proto is trusted
    assert report.startswith("https://localhost/report/")
    assert "evil" not in location + report and "/phish" not in location + report


def test_forwarded_host_and_prefix_by_opt_in(database_url: str) -> None:
    status, location, report = _submit(database_url, TRUSTED_PROXIES=1,
                                       TRUST_FORWARDED_HOST=True, TRUST_FORWARDED_PREFIX=True,
                                       TRUSTED_HOSTS=["evil.example"])
    assert status == 201
    assert location.startswith("https://evil.example/phish/api/v1/assessments/")
    assert report.startswith("https://evil.example/phish/report/")


def test_forwarded_host_must_be_trusted(database_url: str) -> None:
    app = make_app(database_url, TRUSTED_PROXIES=1, TRUST_FORWARDED_HOST=True,
                   TRUSTED_HOSTS=["survey.example.org"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "survey.example.org",
                                    "X-Forwarded-Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"X-Forwarded-Host": "survey.example.org"}).status_code \
        == 200


def test_direct_host_outside_the_list_is_refused(database_url: str) -> None:
    app = make_app(database_url, TRUSTED_HOSTS=["survey.example.org", ".example.com"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "survey.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "www.example.com:8443"}).status_code == 200


def test_server_name_pins_external_links(database_url: str) -> None:
    status, location, report = _submit(database_url, SERVER_NAME="survey.example.org")
    assert status == 201
    assert location.startswith("http://survey.example.org/api/v1/assessments/")
    assert report.startswith("http://survey.example.org/report/")


def test_settings_from_the_environment(tmp_path: object) -> None:
    base = {"SECRET_KEY": "k" * 40}
    cfg = load(str(tmp_path), base)
    assert cfg["TRUSTED_HOSTS"] is None and cfg["TRUST_FORWARDED_HOST"] is False
    assert cfg["TRUST_FORWARDED_PREFIX"] is False and cfg["SERVER_NAME"] is None
    cfg = load(str(tmp_path), {**base, "TRUSTED_PROXIES": "1", "TRUST_FORWARDED_HOST": "1",
                               "TRUSTED_HOSTS": "survey.example.org, .example.com",
                               "SERVER_NAME": "survey.example.org"})
    assert cfg["TRUSTED_HOSTS"] == ["survey.example.org", ".example.com"]
    assert cfg["TRUST_FORWARDED_HOST"] is True and cfg["SERVER_NAME"] == "survey.example.org"
    with pytest.raises(ConfigError):
        load(str(tmp_path), {**base, "TRUST_FORWARDED_HOST": "1"})
    with pytest.raises(ConfigError):
        load(str(tmp_path), {**base, "TRUSTED_PROXIES": "1", "TRUST_FORWARDED_PREFIX": "maybe"})


def test_resume_link_and_its_qr_name_the_real_host(database_url: str) -> None:
    app = make_app(database_url, TRUSTED_PROXIES=1)
    with app.app_context():
        db.create_all()
        reset_database()
        client = app.test_client()
        page = client.get("/", headers=EVIL)
        token = csrf_from(page.text)
        assert client.post("/start", data={"consent": "y", "csrf_token": token},
                           headers=EVIL).status_code == 302
        section = client.get("/survey/profile", headers=EVIL)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    assert section.status_code == 200
    assert "https://localhost/r/" in section.text
    assert "evil.example" not in section.text and "/phish" not in section.text
    assert "Location" not in section.headers or "evil" not in section.headers["Location"]
