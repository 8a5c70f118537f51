"""Choosing the language, and scores that do not depend on it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import Assessment, Response
from tests.helpers import varied_answers
from tests.journey import Respondent


@pytest.mark.parametrize("header", ["zh-CN", "zh-TW", "zh-Hans-CN", "zh", "zh_Hans_CN",
                                    "en-US;q=0.4, zh-CN;q=0.9"])
def test_any_chinese_accept_language_gives_chinese(client: FlaskClient, header: str) -> None:
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert "贵企业为数字经济做好准备了吗" in html


@pytest.mark.parametrize("header", ["en-GB", "en", "fr-FR", "de, ja;q=0.5", ""])
def test_other_languages_give_english(client: FlaskClient, header: str) -> None:
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "How ready is your company for the digital economy?" in html


def test_language_switch_is_kept_in_the_session(client: FlaskClient) -> None:
    english = {"Accept-Language": "en-GB"}
    assert '<html lang="zh-Hans">' in client.get("/?lang=zh", headers=english).text
    assert '<html lang="zh-Hans">' in client.get("/methodology", headers=english).text
    with client.session_transaction() as s:
        assert s["lang"] == "zh"
    assert '<html lang="en">' in client.get("/?lang=en",
                                            headers={"Accept-Language": "zh-CN"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "zh-CN"}).text


def test_unknown_language_switch_is_ignored(client: FlaskClient) -> None:
    html = client.get("/?lang=xx", headers={"Accept-Language": "zh-CN"}).text
    assert '<html lang="zh-Hans">' in html
    with client.session_transaction() as s:
        assert "lang" not in s


def test_language_switch_links_keep_the_page(client: FlaskClient) -> None:
    html = client.get("/methodology?lang=zh").text
    assert 'href="/methodology?lang=en"' in html
    assert 'hreflang="en"' in html and ">English<" in html


def test_pages_format_numbers_per_locale(app: Flask) -> None:
    from survey.web.templating import number, percent

    with app.test_request_context("/?lang=zh"):
        assert percent(0.125, 1) == "12.5%"
        assert number(1234567) == "1,234,567"
    with app.test_request_context("/", headers={"Accept-Language": "de-DE"}):
        assert number(1234.5) == "1,234.5"  # not German: only en and zh are offered


def test_chosen_language_is_stored_with_the_response(zh_client: FlaskClient) -> None:
    respondent = Respondent(zh_client)
    respondent.start()
    response = db.session.scalar(select(Response).where(Response.token == respondent.token()))
    assert response is not None and response.language == "zh"


def test_resume_link_brings_back_the_language(app: Flask, zh_client: FlaskClient) -> None:
    respondent = Respondent(zh_client)
    respondent.start()
    other_device = app.test_client()
    resumed = other_device.get(f"/r/{respondent.token()}", headers={"Accept-Language": "en"},
                               follow_redirects=True)
    assert '<html lang="zh-Hans">' in resumed.get_data(as_text=True)


# --- (e) the same answers score the same in either language --------------------------------------


def _stored(token: str) -> Assessment:
    found = db.session.scalar(select(Assessment).join(Response,
                                                      Assessment.response_id == Response.id)
                              .where(Response.token == token))
    assert found is not None
    return found


def _score_columns(a: Assessment) -> dict[str, Any]:
    skip = {"id", "response_id", "submitted_at", "local_date", "month", "duration_seconds",
            "wave_id"}
    return {c.key: getattr(a, c.key) for c in Assessment.__table__.columns if c.key not in skip}


def test_web_answers_score_the_same_in_chinese_and_english(app: Flask) -> None:
    given = varied_answers()
    results = {}
    for lang in ("en", "zh"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN" if lang == "zh" else "en-GB"
        respondent = Respondent(client)
        respondent.start()
        respondent.fill_all(given)
        assert respondent.submit().status_code == 302
        stored = _stored(respondent.token())
        assert stored.response.language == lang
        results[lang] = stored
    en, zh = results["en"], results["zh"]
    assert en.result == zh.result
    assert _score_columns(en) == _score_columns(zh)
    assert en.response.answers == zh.response.answers
    assert 0 < (en.overall_score or 0) < 100  # a varied set, not a trivial 0 or 100


def test_api_answers_score_the_same_in_chinese_and_english(client: FlaskClient) -> None:
    given = varied_answers()
    bodies = {}
    for lang in ("en", "zh"):
        resp = client.post("/api/v1/assessments", json={"answers": given, "language": lang})
        assert resp.status_code == 201, resp.get_data(as_text=True)
        bodies[lang] = resp.get_json()
    en, zh = (_stored(bodies[lang]["id"]) for lang in ("en", "zh"))
    assert (en.response.language, zh.response.language) == ("en", "zh")
    assert en.result == zh.result
    assert _score_columns(en) == _score_columns(zh)
    strip = {"id", "report_url"}
    assert ({k: v for k, v in bodies["en"].items() if k not in strip}
            == {k: v for k, v in bodies["zh"].items() if k not in strip})

