"""Security headers, cookies and the no-third-party rule on every kind of page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from survey.web.security import CSP
from tests.conftest import make_app
from tests.helpers import ADMIN, PRODUCTION, csrf_token, make_staff
from tests.journey import Respondent


def test_headers_on_pages(client: FlaskClient) -> None:
    for path in ("/", "/methodology", "/does-not-exist"):
        r = client.get(path)
        h = r.headers
        assert h["Content-Security-Policy"] == CSP
        assert "script-src 'self'" in CSP and "'unsafe-eval'" not in CSP
        assert "object-src 'none'" in CSP and "frame-ancestors 'none'" in CSP
        assert "img-src 'self' data: blob:" in CSP
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"


def test_session_cookie_flags(respondent: Respondent) -> None:
    respondent.start()
    cookie = respondent.client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_production_cookies_are_secure(tmp_path: object) -> None:
    app = make_app("sqlite:///:memory:", SURVEY_ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is False  # overrides only change what is given
    from survey.config import load

    cfg = load(str(tmp_path), PRODUCTION)
    assert cfg["SESSION_COOKIE_SECURE"] is True and cfg["REMEMBER_COOKIE_SECURE"] is True


def test_no_inline_script_and_no_other_host(respondent: Respondent) -> None:
    respondent.start()
    pages = [respondent.client.get("/"), respondent.client.get("/survey/profile"),
             respondent.client.get("/survey/digital_technology"),
             respondent.client.get("/methodology")]
    for page in pages:
        assert page.status_code == 200
        html = page.text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r'(src|href)="(https?:)?//', html)
        assert " on" + "click=" not in html
    questionnaire_page = pages[1].text
    assert "plotly" not in questionnaire_page.lower()


def test_private_pages_send_no_referrer(respondent: Respondent) -> None:
    """The token in a report, resume or questionnaire URL must not travel as a Referer, not
    even to this site's own static files or /methodology (a web server logs Referers)."""
    respondent.start()
    pages = ["/survey/profile", "/survey/digital_technology"]
    respondent.fill_all()
    respondent.submit()
    token = respondent.token()
    pages += [f"/r/{token}", f"/report/{token}"]
    for path in pages:
        r = respondent.client.get(path)
        assert r.status_code in (200, 302), path
        assert r.headers["Referrer-Policy"] == "no-referrer", path


def test_https_forms_work_without_a_referer(client: FlaskClient) -> None:
    """Flask-WTF's HTTPS check wanted a same-origin Referer, which no-referrer never sends."""
    make_staff(ADMIN, "admin")
    token = csrf_token(client)
    r = client.post("/staff/login", base_url="https://localhost",
                    data={"email": ADMIN, "password": "correct horse battery staple",
                          "csrf_token": token},
                    headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"})
    assert r.status_code == 302, r.text


def test_forms_from_another_site_are_refused(client: FlaskClient) -> None:
    make_staff(ADMIN, "admin")
    token = csrf_token(client)
    data = {"email": ADMIN, "password": "correct horse battery staple", "csrf_token": token}
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://evil.example"}, {"Origin": "http://localhost.evil"}):
        r = client.post("/staff/login", data=data, headers=headers)
        assert r.status_code == 400, headers
        assert "The form was sent from another website." in r.text
    assert client.post("/staff/login", data=data,
                       headers={"Origin": "http://localhost"}).status_code == 302


def test_api_takes_cross_site_posts(client: FlaskClient) -> None:
    r = client.post("/api/v1/assessments", json={"answers": {}},
                    headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://partner.example"})
    assert r.status_code == 422
