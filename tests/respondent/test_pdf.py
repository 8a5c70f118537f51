"""The report as a PDF: two A4 pages for a typical firm in both languages, text a reader can
copy (Chinese in a Chinese face), page numbers, private headers, no network, no 500s."""

from __future__ import annotations

import io
import logging
import math
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.respondent.views import CONSENT_VERSION
from survey.services import responses as services
from survey.web import pdf
from tests.helpers import varied_answers

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
A4_POINTS = (595, 842)

TITLES = {"en": "Your digital readiness report", "zh": "您的数字化准备度报告"}
PAGE_NUMBERS = {"en": "Page {page} of {pages}", "zh": "第 {page} 页，共 {pages} 页"}
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def typical_report(language: str) -> tuple[str, float]:
    """A submitted firm with scores neither 0 nor 100 (every other scored question answered
    worst, the rest best): its token and overall score."""
    response = services.create_submitted(varied_answers(), language=language, source="web")
    assert response.assessment is not None
    score = response.assessment.result["overall"]["score"]
    assert score is not None and 0 < score < 100
    return response.token, score


def pages_text(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def embedded_fonts(reader: pypdf.PdfReader) -> set[str]:
    """Base names of the fonts the pages use, without the subset prefix ("ABCDEF+")."""
    names: set[str] = set()
    for page in reader.pages:
        fonts: Any = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def heading(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, html[:300]
    return found.group(1).strip()


def save_first_page(data: bytes, name: str) -> Path:
    """Page 1 as a PNG under test-output/screenshots/, for people to look at."""
    import pypdfium2

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    document = pypdfium2.PdfDocument(data)
    try:
        document[0].render(scale=2).to_pil().save(path)
    finally:
        document.close()
    return path


@pytest.mark.slow  # each render takes 1–2 s of wall time on a shared machine
@pytest.mark.parametrize("language", ["en", "zh"])
def test_typical_report_is_two_a4_pages_of_real_text(client: FlaskClient, language: str) -> None:
    token, score = typical_report(language)
    r = client.get(f"/report/{token}/report.pdf")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"] == 'inline; filename="digital-readiness-report.pdf"'
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Robots-Tag"] == "noindex, nofollow"

    reader = pypdf.PdfReader(io.BytesIO(r.data))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    assert reader.metadata is not None and reader.metadata.title == TITLES[language]
    assert reader.trailer["/Root"]["/Lang"] == HTML_LANG[language]

    text = pages_text(reader)
    assert TITLES[language] in text[0]
    assert re.search(rf"(?<!\d){math.floor(score)}\s*/\s*100", text[0]), text[0][:400]
    for number, page_text in enumerate(text, start=1):
        assert PAGE_NUMBERS[language].format(page=number, pages=2) in page_text

    fonts = embedded_fonts(reader)
    assert fonts and all(f.startswith("Noto-Sans-CJK-SC") for f in fonts), fonts
    assert len(r.data) < 1_000_000  # fonts subset: a few hundred KB, not megabytes

    shot = save_first_page(r.data, f"report-pdf-{language}-page1.png")
    assert shot.stat().st_size > 20_000


@pytest.mark.slow
def test_pdf_follows_the_report_language_rule(client: FlaskClient, app: Flask) -> None:
    """Like the page: the language the firm answered in, unless the reader chose another."""
    token, _score = typical_report("zh")
    chosen = client.get(f"/report/{token}/report.pdf?lang=en",
                        headers={"Accept-Language": "zh-CN"})
    text = pages_text(pypdf.PdfReader(io.BytesIO(chosen.data)))
    assert TITLES["en"] in text[0] and TITLES["zh"] not in text[0]
    # No such language, and a reader who chose none (the client above chose English): the
    # firm's language.
    odd = app.test_client().get(f"/report/{token}/report.pdf?lang=%ff")
    assert odd.status_code == 200
    assert TITLES["zh"] in pages_text(pypdf.PdfReader(io.BytesIO(odd.data)))[0]


def test_pdf_of_an_unknown_or_deleted_report_is_the_report_page_answer(
        client: FlaskClient) -> None:
    response = services.create_submitted(varied_answers(), language="en", source="web")
    services.delete_response(response.token)
    # A NUL byte is refused app-wide with 400 (tests/web/test_hygiene.py); the others are
    # links that open nothing.
    for token, status in ((response.token, 404), ("nope", 404), ("x" * 43, 404),
                          ("%00" * 20, 400), ("é" * 30, 404),
                          ("a%27%20OR%201=1--aaaaaaaaaa", 404)):
        page = client.get(f"/report/{token}")
        got = client.get(f"/report/{token}/report.pdf")
        assert got.status_code == page.status_code == status, token
        assert got.mimetype == "text/html"
        assert heading(got.text) == heading(page.text), token


def test_pdf_of_a_draft_is_the_report_page_answer(client: FlaskClient) -> None:
    draft = services.start_response("en", CONSENT_VERSION)
    page = client.get(f"/report/{draft.token}")
    got = client.get(f"/report/{draft.token}/report.pdf")
    assert got.status_code == page.status_code == 404
    assert heading(got.text) == heading(page.text)


def test_pdf_is_rate_limited_per_report(client: FlaskClient) -> None:
    """Each PDF costs about 0.4 s of CPU: one report gets a few a minute (counted before
    the token is even looked up, so unknown tokens cost nothing either)."""
    token = "A" * 43
    codes = [client.get(f"/report/{token}/report.pdf").status_code for _ in range(7)]
    assert codes == [404] * 6 + [429]
    assert client.get(f"/report/{'B' * 43}/report.pdf").status_code == 404


def test_fetcher_serves_static_files_and_data_only(app: Flask) -> None:
    assert app.static_folder is not None
    fetch = pdf.static_fetcher("http://localhost/static/", app.static_folder)
    css = fetch("http://localhost/static/css/print.css?v=1")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetch("data:text/plain;base64,b2s=").read() == b"ok"
    for url in ("http://example.org/static/css/site.css", "https://localhost/static/css/site.css",
                "http://localhost/other/site.css", "http://localhost/static/../pyproject.toml",
                "http://localhost/static/%2e%2e/pyproject.toml", "file:///etc/passwd",
                "http://localhost/static/css/missing.css", "ftp://localhost/static/x"):
        with pytest.raises(ValueError):
            fetch(url)


def test_pdf_makes_no_request_outside_static(client: FlaskClient, app: Flask,
                                             monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """An image from elsewhere in the page is refused and logged; the PDF is still made."""
    fetched: list[str] = []
    make = pdf.static_fetcher

    def recording(static_url: str, static_folder: str) -> Any:
        fetcher = make(static_url, static_folder)
        original = fetcher.fetch

        def fetch(url: str, headers: Any = None) -> Any:
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf, "static_fetcher", recording)
    with app.test_request_context("/report/x/report.pdf"), caplog.at_level(logging.ERROR):
        data = pdf.render_pdf('<html lang="en"><head><link rel="stylesheet" '
                              'href="/static/css/print.css"></head><body><p>Hello</p>'
                              '<img src="http://example.org/tracker.png"></body></html>', "en")
    assert data.startswith(b"%PDF")
    assert "http://localhost/static/css/print.css" in fetched
    assert "http://example.org/tracker.png" in fetched  # asked for, and refused:
    assert "tracker.png" in caplog.text


def test_chinese_pdf_without_a_chinese_face_fails_loudly(app: Flask,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No CJK face on the server would draw boxes: the render says which package is missing
    instead of handing out an unreadable PDF."""
    monkeypatch.setattr(pdf, "CJK_FAMILIES", ("A face this server does not have",))
    with app.test_request_context("/report/x/report.pdf"), \
            pytest.raises(pdf.MissingFontError, match="fonts-noto-cjk"):
        pdf.render_pdf('<html lang="zh-Hans"><body><p>您的报告</p></body></html>', "zh")


def test_the_pdf_limit_never_stores_a_token_in_the_limit_storage(app: Flask,
                                                                client: FlaskClient) -> None:
    from survey.extensions import limiter

    token = services.create_submitted(varied_answers(), language="en", source="web").token
    client.get(f"/report/{token}/report.pdf")
    keys = list(getattr(limiter.storage, "storage", {}))
    assert keys and not any(token in str(k) for k in keys)


def test_pdfs_can_be_switched_off(client: FlaskClient, app: Flask) -> None:
    """REPORT_PDF=0 for a server without Chinese fonts: no button, and the address is a 404."""
    response = services.create_submitted(varied_answers(), language="en", source="web")
    assert "report.pdf" in client.get(f"/report/{response.token}").text
    app.config["REPORT_PDF"] = False
    assert "report.pdf" not in client.get(f"/report/{response.token}").text
    assert client.get(f"/report/{response.token}/report.pdf").status_code == 404


def test_pdf_keeps_its_styles_when_server_name_names_a_port(client: FlaskClient,
                                                             app: Flask) -> None:
    """Behind nginx on a non-standard port, SERVER_NAME carries the port and the proxied Host
    does not: the stylesheets still come from the static folder."""
    response = services.create_submitted(varied_answers(), language="en", source="web")
    plain = client.get(f"/report/{response.token}/report.pdf")
    app.config["SERVER_NAME"] = "localhost:8443"
    ported = client.get(f"/report/{response.token}/report.pdf", base_url="http://localhost")
    assert ported.status_code == 200
    assert abs(len(ported.data) - len(plain.data)) < len(plain.data) * 0.1
