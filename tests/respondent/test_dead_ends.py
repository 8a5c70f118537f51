"""Private links that open nothing (unknown, mistyped, deleted): a page that explains, in the
visitor's language, private and without the token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_from
from tests.journey import Respondent

MISTYPED = "Zq9" + "x" * 40  # shaped like a token, but no draft has it


def assert_dead_end(r: Any, token: str) -> None:
    assert r.status_code == 404
    assert r.headers["Cache-Control"] == "no-store"
    assert "noindex" in r.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in r.text
    assert token not in r.text
    assert re.search(r'<a class="button" href="/">', r.text)


@pytest.mark.parametrize("path", [f"/r/{MISTYPED}", f"/report/{MISTYPED}",
                                  f"/report/{MISTYPED}/my-data.json",
                                  f"/report/{MISTYPED}/my-data.csv"])
def test_unknown_links_explain_in_english(client: FlaskClient, path: str) -> None:
    r = client.get(path)
    assert_dead_end(r, MISTYPED)
    assert "This link does not open any answers" in r.text
    assert "mistyped" in r.text and "deleted by their owner" in r.text
    assert "we keep no copy" in r.text
    assert "Start again" in r.text
    kind = "resume" if path.startswith("/r/") else "report"
    assert f'href="/link-not-found?kind={kind}&amp;lang=zh"' in r.text


@pytest.mark.parametrize("path", [f"/r/{MISTYPED}", f"/report/{MISTYPED}"])
def test_unknown_links_explain_in_the_browsers_language(zh_client: FlaskClient,
                                                       path: str) -> None:
    r = zh_client.get(path)
    assert_dead_end(r, MISTYPED)
    assert '<html lang="zh-Hans">' in r.text
    assert "This link does not open any answers" not in r.text
    assert "重新开始" in r.text


def test_the_language_chosen_earlier_wins(client: FlaskClient) -> None:
    client.get("/?lang=zh")
    r = client.get(f"/r/{MISTYPED}")
    assert '<html lang="zh-Hans">' in r.text


def test_the_language_switch_shows_the_same_page_without_the_token(
        zh_client: FlaskClient) -> None:
    r = zh_client.get("/link-not-found?kind=report&lang=en")
    assert_dead_end(r, MISTYPED)
    assert "We have no report at this link." in r.text
    assert "This link does not open any answers" in r.text
    r = zh_client.get("/link-not-found?kind=<script>")
    assert r.status_code == 404 and "<script>" not in r.text.split("<main", 1)[1]


def test_a_deleted_report_link_explains(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all()
    respondent.submit()
    token = respondent.token()  # the report's own token
    page = respondent.client.get(f"/report/{token}/delete")
    r = respondent.client.post(f"/report/{token}/delete",
                               data={"csrf_token": csrf_from(page.text)})
    assert r.status_code in (200, 302)
    for path in (f"/report/{token}", f"/r/{token}"):
        dead = respondent.client.get(path)
        assert_dead_end(dead, token)
        assert "deleted by their owner" in dead.text


def test_a_draft_that_was_purged_explains(app: Flask, respondent: Respondent) -> None:
    from survey.services import responses as services

    respondent.start()
    token = respondent.token()
    assert services.delete_response(token)
    fresh = app.test_client()
    r = fresh.get(f"/r/{token}")
    assert_dead_end(r, token)
    assert "We have no unfinished questionnaire at this link." in r.text
