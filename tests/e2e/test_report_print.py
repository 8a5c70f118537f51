"""The report printed from the browser (Ctrl+P) and fetched as the server's PDF, in headless
Chromium: the browser uses the same print sheet, so a typical firm's report prints on two A4
pages there too. Page 1 of each is saved as a PNG in test-output/screenshots/."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from survey.models import Response
from survey.services import responses as services
from tests.e2e.helpers import temporary_responses
from tests.helpers import varied_answers

from .conftest import OUTPUT, Guard, LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SCREENSHOTS = OUTPUT / "screenshots"
TITLES = {"en": "Your digital readiness report", "zh": "您的数字化准备度报告"}


@pytest.fixture
def typical_firm(live_server: LiveServer) -> Iterator[str]:
    """A firm between all-worst and all-best answers, removed afterwards so other browser
    tests never count it as a peer."""
    def make() -> list[Response]:
        return [services.create_submitted(varied_answers(), language="en", source="web")]

    with temporary_responses(live_server.app, make) as (stored,):
        yield stored.token


def first_page_png(data: bytes, path: Path) -> None:
    import pypdfium2

    path.parent.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(data)
    try:
        document[0].render(scale=2).to_pil().save(path)
    finally:
        document.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browser_print_and_server_pdf_are_two_pages(browser: Any, live_server: LiveServer,
                                                    guard: Guard, typical_firm: str,
                                                    lang: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = guard.attach(context.new_page())
        page.goto(f"{live_server.url}/report/{typical_firm}?lang={lang}")
        page.emulate_media(media="print")
        printed = page.pdf(prefer_css_page_size=True, print_background=True)
        reader = pypdf.PdfReader(io.BytesIO(printed))
        assert len(reader.pages) == 2
        assert TITLES[lang] in reader.pages[0].extract_text()
        first_page_png(printed, SCREENSHOTS / f"report-browser-print-{lang}-page1.png")

        served = page.request.get(f"{live_server.url}/report/{typical_firm}/report.pdf"
                                  f"?lang={lang}")
        assert served.status == 200
        assert served.headers["content-type"] == "application/pdf"
        pdf = served.body()
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 2
        first_page_png(pdf, SCREENSHOTS / f"report-pdf-{lang}-page1-live.png")
        guard.assert_clean()
    finally:
        context.close()
