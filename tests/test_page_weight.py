"""The page-weight budgets of bench/page_weight.py hold: a phone downloads at most 50 KB for a
questionnaire page and 100 KB for the report (HTML, CSS and JS, uncompressed)."""

from __future__ import annotations

from flask import Flask

from bench.page_weight import BUDGETS, measure


def test_every_page_is_within_its_budget(app: Flask) -> None:
    measured = measure(app)
    assert len(measured["questionnaire"]) == 14  # seven pages in two languages
    assert len(measured["report"]) == 2
    for kind, weights in measured.items():
        for w in weights:
            urls = [url for url, _ in w.parts]
            assert any(u.endswith(".css") for u in urls), urls  # its stylesheet is counted
            assert not any("plotly" in u for u in urls), urls
            assert w.raw <= BUDGETS[kind], w.show(BUDGETS[kind])
