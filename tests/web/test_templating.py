"""Template helpers: the words of printed page numbers, the print stylesheet on every page."""

from __future__ import annotations

import re

from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh

from survey.web.templating import page_of_parts


def test_page_numbers_are_worded_in_the_page_language(app: Flask) -> None:
    for lang, parts in (("en", ("Page ", " of ", "")), ("zh", ("第 ", " 页，共 ", " 页"))):
        with app.test_request_context(f"/?lang={lang}"):
            g.pop("lang", None)  # the test's app context outlives each request
            refresh()
            assert page_of_parts() == parts


def test_every_page_links_the_print_sheet_and_its_page_words(client: FlaskClient) -> None:
    html = client.get("/?lang=zh").text
    link = re.search(r'<link rel="stylesheet" href="([^"]+)" media="print">', html)
    assert link and link.group(1) == "/static/css/print.css"
    assert html.index("css/site.css") < html.index("css/print.css")  # print rules win
    assert 'data-page-before="第 " data-page-middle=" 页，共 " data-page-after=" 页"' in html
    sheet = client.get(link.group(1)).text
    assert "string(page-before) counter(page) string(page-middle) counter(pages)" in sheet
