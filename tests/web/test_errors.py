"""Error pages never fail themselves: a Host Flask refuses is a 400 page, not a 500.

Flask binds the URL map to the request's Host; a Host that is too long, not valid IDNA or not
in TRUSTED_HOSTS leaves no URL adapter, and the error page's links used to raise.
"""

from __future__ import annotations

import random
import string

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.conftest import make_app

HOSTILE_HOSTS = [
    "a" * 70, "a" * 64 + ".example.org", "x" * 300, "exa mple.org", "ex\tample.org",
    "example.org:99999999", "[::1", "..", ".", "-", "xn--zz", "xn--" + "a" * 80,
    "例子。测试", "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 10,
    "localhost:abc", "local\\host", "evil.example/x", "user@evil.example",
]


def _fuzzed_hosts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + ".-:[]_~%@!$&'()*+,;=" + "äé中。"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
            for _ in range(count)]


PATHS = ["/", "/methodology", "/staff/login", "/staff/responses", "/r/abc", "/report/abc",
         "/api/v1/questionnaire", "/api/v1/assessments/abc", "/no-such-page", "/static/none"]


def _get(app: Flask, path: str, host: str) -> tuple[int, str]:
    """The app's answer, straight through WSGI: the test client's own URL and cookie handling
    cannot parse such hosts."""
    environ = EnvironBuilder(path=path, headers={"Host": host}).get_environ()
    body, status, _headers = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), b"".join(body).decode()


def _check(app: Flask, hosts: list[str], caplog: pytest.LogCaptureFixture) -> None:
    for host in hosts:
        for path in PATHS:
            code, text = _get(app, path, host)
            assert code < 500, (host, path, code)
            if code == 400 and not path.startswith("/api/"):
                assert "<h1>" in text
    assert "Traceback" not in caplog.text


def test_hostile_hosts_never_500(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    _check(app, HOSTILE_HOSTS + _fuzzed_hosts(1312, 60), caplog)


def test_untrusted_host_is_a_400_page(database_url: str,
                                      caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(database_url, TRUSTED_HOSTS=["survey.example.org"])
    client = app.test_client()
    r = client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 400 and 'href="/"' in r.text and "evil.example" not in r.text
    assert client.get("/", headers={"Host": "survey.example.org"}).status_code == 200
    r = client.get("/api/v1/questionnaire", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.is_json
    _check(app, HOSTILE_HOSTS[:6], caplog)


def test_a_400_page_says_why(client: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    r = client.get("/?q=%00")
    assert r.status_code == 400 and "NUL" in r.text
    r = client.get("/", headers={"Host": "a" * 70})
    assert r.status_code == 400 and "NUL" not in r.text


def test_error_titles_are_in_the_request_language(app: Flask) -> None:
    """The titles are translated when a response reads them, so each request gets its own
    language (a title fixed at import would be in whichever language came first)."""
    client = app.test_client()
    zh, en = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en-GB"}
    assert "找不到该页面。" in client.get("/no-such-page", headers=zh).get_data(as_text=True)
    assert "We could not find that page." in client.get("/no-such-page", headers=en).text
    api_zh = client.get("/api/v1/assessments/" + "A" * 43, headers=zh).get_json()
    api_en = client.get("/api/v1/assessments/" + "A" * 43, headers=en).get_json()
    assert api_zh["error"] == "找不到该页面。" and api_en["error"] == "We could not find that page."
