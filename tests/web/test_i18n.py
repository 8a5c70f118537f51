"""The product in Simplified Chinese as well as English (issue 6).

What can silently break: a new string wrapped but never translated, a .po edited but not
compiled, a string never wrapped at all, a page that falls back to English, a language that
changes scores. Each test below catches one of these.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Response, Wave
from survey.services import responses as services
from tests.helpers import (
    PLACEHOLDER,
    best_answers,
    catalogue_messages,
    chinese_catalogue,
    csrf_from,
    form_data_for,
    make_staff,
    message_ids,
    sign_in,
)
from tests.journey import Respondent

ADMIN = "i18n-admin@example.org"


class _Text(HTMLParser):
    """Visible text plus the text alternatives a screen reader speaks; the strings of JSON
    data blocks (chart titles, axes, hover text) are included, script code is not."""

    ATTRS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self._script = values.get("type") or tag
        self.parts.extend(v for k, v in attrs if k in self.ATTRS and v)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script == "application/json":
            self.parts.extend(_json_strings(json.loads(data)))
        elif self._script is None:
            self.parts.append(data)


TEXT_KEYS = {"text", "name", "title", "hovertemplate", "hovertext", "ticktext", "texttemplate",
             "x", "y", "summary", "label"}
NOT_TEXT = {"font", "config", "marker", "line", "colorscale", "pattern"}


def _json_strings(value: Any, key: str | None = None) -> Iterator[str]:
    """The words of a figure: titles, axis and trace names, categories, hover text."""
    if isinstance(value, str) and key in TEXT_KEYS:
        yield re.sub(r"<[^>]+>|%\{[^}]*\}", " ", value)  # Plotly's <br>, %{y:.0f}
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in NOT_TEXT:
                yield from _json_strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v, key)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _english_fragments() -> set[str]:
    """Literal parts of the catalogue's English longer than two words: one of these on a
    Chinese page is an untranslated string."""
    out: set[str] = set()
    for m in catalogue_messages(chinese_catalogue()):
        for msgid in message_ids(m):
            for part in PLACEHOLDER.split(msgid.replace("%%", "%")):
                part = " ".join(re.sub(r"<[^>]+>", " ", part).split()).strip(" .,:;·—()")
                if len(part.split()) > 2:
                    out.add(part)
    return out


ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}")
ALLOWED_RUNS = (
    "AmCham China",  # proper noun, also inside the Chinese questionnaire texts
    "Authorization: Bearer",
    "Wilson",
)


def english_left(text: str, fragments: set[str]) -> list[str]:
    found = sorted(f for f in fragments if f in text)
    runs = [r for r in ENGLISH_RUN.findall(text)
            if not any(a in r for a in ALLOWED_RUNS) and "@" not in r]
    return found + runs


class ChinesePages:
    """Collects the pages of one test and checks them all at the end."""

    def __init__(self) -> None:
        self.fragments = _english_fragments()
        self.problems: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def check(self, name: str, resp: Any, status: int | tuple[int, ...] = 200) -> str:
        html = resp.get_data(as_text=True)
        codes = status if isinstance(status, tuple) else (status,)
        assert resp.status_code in codes, f"{name}: {resp.status_code}"
        assert '<html lang="zh-Hans">' in html, name
        left = english_left(visible_text(html), self.fragments)
        if left:
            self.problems[name] = left
        self.seen.append(name)
        return html

    def assert_clean(self) -> None:
        assert not self.problems, json.dumps(self.problems, ensure_ascii=False, indent=1)




def _seed_assessments(real: int, demo_count: int = 0) -> list[Response]:
    """Plausible, varied assessments (survey.services.demo's generator), so charts have bars, levels
    vary and segments differ; `real` of them are stored as live submissions."""
    import random

    from survey.services import demo

    q = load_questionnaire()
    rng = random.Random(6)
    out = [services.create_submitted(demo.synth_answers(q, rng),
                                     language="zh" if i % 2 else "en", source="web")
           for i in range(real)]
    if demo_count:
        list(demo.seed(demo_count, seed=6, workers=1))
    return out


def test_every_respondent_page_is_in_chinese(zh_client: FlaskClient) -> None:
    pages = ChinesePages()
    respondent = Respondent(zh_client)
    q = respondent.q
    pages.check("start", zh_client.get("/"))
    pages.check("start without CSRF", zh_client.post("/start", data={"consent": "y"}), 400)
    pages.check("start without consent",
                zh_client.post("/start", data={"csrf_token": csrf_from(zh_client.get("/").text)}),
                400)
    respondent.start()
    first = q.sections[0]
    pages.check("section with errors",
                respondent.post_section(first.id, {}, action="next"), (200, 400, 422))
    given = best_answers()
    for section in q.sections:
        pages.check(f"section {section.id}", zh_client.get(f"/survey/{section.id}"))
        data = form_data_for(list(section.questions), given)
        assert respondent.post_section(section.id, data).status_code == 302
    saved = respondent.post_section(q.sections[-1].id,
                                    form_data_for(list(q.sections[-1].questions), given),
                                    action="save")
    pages.check("saved", zh_client.get(saved.headers["Location"]))
    pages.check("review", zh_client.get("/survey/review"))
    submitted = respondent.submit()
    assert submitted.status_code == 302
    token = respondent.token()
    pages.check("report", zh_client.get(f"/report/{token}"))
    pages.check("start after submitting", zh_client.get("/"))
    pages.check("methodology", zh_client.get("/methodology"))
    pages.check("delete", zh_client.get(f"/report/{token}/delete"))
    deleted = zh_client.post(f"/report/{token}/delete",
                             data={"csrf_token": csrf_from(
                                 zh_client.get(f"/report/{token}/delete").text)})
    pages.check("deleted", zh_client.get(deleted.headers["Location"]))
    pages.check("404", zh_client.get("/no-such-page"), 404)
    pages.check("404 report", zh_client.get("/report/" + "x" * 43), 404)
    pages.check("400 CSRF", zh_client.post("/survey/submit"), 400)
    pages.check("405", zh_client.post("/methodology"), 405)
    pages.assert_clean()
    assert len(pages.seen) >= 10 + len(q.sections)


def test_every_staff_page_is_in_chinese(app: Flask, zh_client: FlaskClient) -> None:
    pages = ChinesePages()
    admin = make_staff(ADMIN, "admin")
    response_id = _seed_assessments(14, demo_count=30)[0].id
    wave_id = db.session.scalar(select(Wave.id))

    pages.check("login", zh_client.get("/staff/login"))
    pages.check("login redirect", zh_client.get("/staff/", follow_redirects=True))
    pages.check("login failed", sign_in(zh_client, ADMIN, "not the password at all"))
    pages.check("login empty", sign_in(zh_client, "", ""), 400)  # WTForms' own messages
    assert sign_in(zh_client, ADMIN).status_code == 302
    for name, path in [
        ("dashboard", "/staff/"),
        ("dashboard filtered to nothing", "/staff/?size=large&region=northeast&wave=999999"),
        ("dashboard with bad filters", "/staff/?size=gigantic"),
        ("brief", "/staff/brief"),
        ("indicators", "/staff/indicators?demo=include"),
        ("indicators, bad split", "/staff/indicators?by=colour"),
        ("indicators by wave", "/staff/indicators?by=wave&demo=include"),
        ("responses", "/staff/responses"),
        ("response", f"/staff/responses/{response_id}"),
        ("response delete", f"/staff/responses/{response_id}/delete"),
        ("waves", "/staff/waves"),
        ("wave new", "/staff/waves/new"),
        ("wave edit", f"/staff/waves/{wave_id}"),
        ("wave delete", f"/staff/waves/{wave_id}/delete"),
        ("accounts", "/staff/accounts"),
        ("account", f"/staff/accounts/{admin.id}"),
        ("audit", "/staff/audit"),
        ("tokens", "/staff/tokens"),
        ("exports", "/staff/exports"),
    ]:
        pages.check(name, zh_client.get(path))
    pages.check("export refused", zh_client.get("/staff/export.csv?size=gigantic"), 400)
    for name, path, data in [
        ("wave form errors", "/staff/waves/new", {"name": "", "starts_on": "2026-13-45"}),
        ("account form errors", "/staff/accounts",
         {"email": "not-an-email", "role": "admin", "password": "short", "confirm": "x"}),
    ]:
        token = csrf_from(zh_client.get(path).text)
        pages.check(name, zh_client.post(path, data={**data, "csrf_token": token}), 400)
    pages.check("403", _analyst_client(app).get("/staff/accounts"), 403)
    pages.assert_clean()


def _analyst_client(app: Flask) -> FlaskClient:
    make_staff("i18n-analyst@example.org", "analyst")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    assert sign_in(client, "i18n-analyst@example.org").status_code == 302
    return client


def test_rate_limit_page_is_in_chinese(zh_client: FlaskClient) -> None:
    pages = ChinesePages()
    for i in range(5):
        sign_in(zh_client, f"guess{i}@example.org", "wrong password here")
    blocked = sign_in(zh_client, "guess0@example.org", "wrong password here")
    pages.check("429", blocked, 429)
    pages.assert_clean()


def test_dashboard_charts_are_labelled_in_chinese(app: Flask, zh_client: FlaskClient) -> None:
    make_staff(ADMIN, "admin")
    _seed_assessments(12)
    assert sign_in(zh_client, ADMIN).status_code == 302
    html = zh_client.get("/staff/").get_data(as_text=True)
    figures = re.findall(r'<script type="application/json" id="fig-[^"]+">(.*?)</script>',
                         html, re.S)
    assert figures, "the dashboard should draw charts with 12 assessments"
    for raw in figures:
        fig = json.loads(raw)
        assert re.search(r"[\u4e00-\u9fff]", fig["layout"]["title"]["text"])
        assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]
        assert fig["config"]["displaylogo"] is False
        assert fig["config"].get("displayModeBar") is False


def test_english_detector_finds_an_untranslated_string() -> None:
    """The page check itself: it must see English both as a catalogue string and as a run."""
    fragments = _english_fragments()
    html = ('<html><body><p>准备度</p><p>We could not find that page.</p>'
            '<div aria-label="Some unwrapped English label"></div>'
            '<script type="application/json">{"title": "Mean readiness by month"}</script>'
            '<script>var x = "ignored code here";</script></body></html>')
    left = english_left(visible_text(html), fragments)
    assert "We could not find that page" in left
    assert "Mean readiness by month" in left
    assert any("Some unwrapped English label" in x for x in left)
    assert not any("ignored" in x for x in left)
    assert english_left(visible_text("<p>评分方法说明 AmCham China 2022</p>"), fragments) == []


# --- (d) choosing the language ------------------------------------------------------------------
