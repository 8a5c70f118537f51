"""The product in Simplified Chinese as well as English (issue 6).

What can silently break: a new string wrapped but never translated, a .po edited but not
compiled, a string never wrapped at all, a page that falls back to English, a language that
changes scores. Each test below catches one of these.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey import services
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.questionnaire import load_questionnaire
from survey.staff import services as staff
from tests import factories
from tests.journey import Respondent, csrf_token

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "survey" / "translations"
PO = CATALOGUES / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "_l": None, "lazy_gettext": None, "N_": None}
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%%|\{\w*\}")
PASSWORD = "correct horse battery staple"
ADMIN = "i18n-admin@example.org"


def _catalogue() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hans_CN")


def _messages(cat: Catalog) -> Iterator[Message]:
    return (m for m in cat if m.id)


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string,)


# --- (a) every message translated, placeholders intact ---------------------------------------


def test_every_catalogue_message_has_a_chinese_translation() -> None:
    untranslated = [m.id for m in _messages(_catalogue())
                    if m.fuzzy or not all(s.strip() for s in _strings(m))]
    assert untranslated == [], f"untranslated or fuzzy: {untranslated}"


def test_translations_keep_the_placeholders_of_the_message() -> None:
    cat = _catalogue()
    wrong = []
    for m in _messages(cat):
        wanted = {p for i in _ids(m) for p in PLACEHOLDER.findall(i)}
        for s in _strings(m):
            if set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((m.id, s))
    assert wrong == []
    babel_errors = [(m.id, [str(e) for e in errs]) for m, errs in cat.check()]
    assert babel_errors == []


def test_chinese_plural_entries_have_one_form() -> None:
    cat = _catalogue()
    assert cat.num_plurals == 1
    plural = [m for m in _messages(cat) if m.pluralizable]
    assert plural, "the catalogue should hold the ngettext messages"
    assert all(len(_strings(m)) == 1 for m in plural)


def test_every_string_in_the_source_is_in_the_catalogue() -> None:
    """Wrapped but never extracted (scripts/i18n.sh update not run) would show English."""
    method_map = [("survey/**.py", "python"), ("templates/**.html", "jinja2")]
    found: set[tuple[str | None, str]] = set()
    for _file, _line, msg, _comments, context in extract_from_dir(
            str(ROOT), method_map, keywords=KEYWORDS):
        found.add((context, msg[0] if isinstance(msg, tuple) else msg))
    known = {(m.context, _ids(m)[0]) for m in _messages(_catalogue())}
    missing = sorted(str(x) for x in found - known)
    assert missing == [], ("run `scripts/i18n.sh update`, translate and compile; "
                           f"missing: {missing}")


# --- (b) the committed .mo is the .po compiled ------------------------------------------------


def _table(cat: Catalog) -> dict[tuple[Any, Any], Any]:
    def frozen(x: Any) -> Any:
        return tuple(x) if isinstance(x, list | tuple) else x

    return {(m.context, frozen(m.id)): frozen(m.string) for m in cat if m.id and not m.fuzzy}


def test_committed_mo_is_current() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, _catalogue())
    buffer.seek(0)
    fresh = read_mo(buffer)
    with MO.open("rb") as fh:
        committed = read_mo(fh)
    assert _table(committed) == _table(fresh), "run `scripts/i18n.sh compile`"


# --- (c) every page in Chinese, no English UI left ----------------------------------------------


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
    for m in _messages(_catalogue()):
        for msgid in _ids(m):
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


@pytest.fixture
def zh_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9,en;q=0.5"
    return client


def _seed_assessments(real: int, demo_count: int = 0) -> list[Response]:
    """Plausible, varied assessments (survey.demo's generator), so charts have bars, levels
    vary and segments differ; `real` of them are stored as live submissions."""
    import random

    from survey import demo

    q = load_questionnaire()
    rng = random.Random(6)
    out = [services.create_submitted(demo.synth_answers(q, rng),
                                     language="zh" if i % 2 else "en", source="web")
           for i in range(real)]
    if demo_count:
        list(demo.seed(demo_count, seed=6, workers=1))
    return out


def _sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    page = client.get("/staff/login")
    return client.post("/staff/login", data={"email": email, "password": password,
                                             "csrf_token": csrf_token(page.text)})


def test_every_respondent_page_is_in_chinese(zh_client: FlaskClient) -> None:
    pages = ChinesePages()
    respondent = Respondent(zh_client)
    q = respondent.q
    pages.check("start", zh_client.get("/"))
    pages.check("start without CSRF", zh_client.post("/start", data={"consent": "y"}), 400)
    pages.check("start without consent",
                zh_client.post("/start", data={"csrf_token": csrf_token(zh_client.get("/").text)}),
                400)
    respondent.start()
    first = q.sections[0]
    pages.check("section with errors",
                respondent.post_section(first.id, {}, action="next"), (200, 400, 422))
    given = factories.answers()
    for section in q.sections:
        pages.check(f"section {section.id}", zh_client.get(f"/survey/{section.id}"))
        data = factories.form_data_for(list(section.questions), given)
        assert respondent.post_section(section.id, data).status_code == 302
    saved = respondent.post_section(q.sections[-1].id,
                                    factories.form_data_for(list(q.sections[-1].questions),
                                                            given), action="save")
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
                             data={"csrf_token": csrf_token(
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
    admin = staff.create_staff(ADMIN, "admin", PASSWORD, actor=None, via="test")
    response_id = _seed_assessments(14, demo_count=30)[0].id
    wave_id = db.session.scalar(select(Wave.id))

    pages.check("login", zh_client.get("/staff/login"))
    pages.check("login redirect", zh_client.get("/staff/", follow_redirects=True))
    pages.check("login failed", _sign_in(zh_client, ADMIN, "not the password at all"))
    pages.check("login empty", _sign_in(zh_client, "", ""), 400)  # WTForms' own messages
    assert _sign_in(zh_client, ADMIN).status_code == 302
    for name, path in [
        ("dashboard", "/staff/"),
        ("dashboard filtered to nothing", "/staff/?size=large&region=northeast&wave=999999"),
        ("dashboard with bad filters", "/staff/?size=gigantic"),
        ("brief", "/staff/brief"),
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
        token = csrf_token(zh_client.get(path).text)
        pages.check(name, zh_client.post(path, data={**data, "csrf_token": token}), 400)
    pages.check("403", _analyst_client(app).get("/staff/accounts"), 403)
    pages.assert_clean()


def _analyst_client(app: Flask) -> FlaskClient:
    staff.create_staff("i18n-analyst@example.org", "analyst", PASSWORD, actor=None, via="test")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    assert _sign_in(client, "i18n-analyst@example.org").status_code == 302
    return client


def test_rate_limit_page_is_in_chinese(zh_client: FlaskClient) -> None:
    pages = ChinesePages()
    for i in range(5):
        _sign_in(zh_client, f"guess{i}@example.org", "wrong password here")
    blocked = _sign_in(zh_client, "guess0@example.org", "wrong password here")
    pages.check("429", blocked, 429)
    pages.assert_clean()


def test_dashboard_charts_are_labelled_in_chinese(app: Flask, zh_client: FlaskClient) -> None:
    staff.create_staff(ADMIN, "admin", PASSWORD, actor=None, via="test")
    _seed_assessments(12)
    assert _sign_in(zh_client, ADMIN).status_code == 302
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
    from survey.templating import number, percent

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


def _varied_answers() -> dict[str, Any]:
    worst = factories.answers(best=False)
    best = factories.answers(best=True)
    scored = [q.id for q in load_questionnaire().questions.values() if q.scored]
    return {**best, **{qid: worst[qid] for qid in scored[::2] if qid in worst}}


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
    given = _varied_answers()
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
    given = _varied_answers()
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
