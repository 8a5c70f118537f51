"""Template globals: the current language, bilingual data texts, number formatting."""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from survey.core.questionnaire.schema import Text
from survey.web import i18n


def t(text: Text | None) -> str:
    """A questionnaire text in the page's language."""
    return text.get(i18n.current_language()) if text is not None else ""


def score(value: float | None) -> str:
    """Scores are shown to people as whole numbers; '—' when there is none.

    Truncated, not rounded: levels are half-open bands, so 19.9 is Beginner and must not be
    shown as 20 (the first Emerging score).
    """
    return "—" if value is None else format_decimal(math.floor(value), format="#,##0")


def decimal1(value: float | None) -> str:
    """One decimal, in the page's locale: for needs, which people compare closely."""
    return "—" if value is None else format_decimal(value, format="#,##0.0")


def percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    fmt = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    text: str = format_percent(value, format=fmt)
    return text


def number(value: float | int | None) -> str:
    return "—" if value is None else format_decimal(value)


def page_of_parts() -> tuple[str, str, str]:
    """The words of "Page X of Y" before, between and after the two numbers.

    Printed pages number themselves in CSS (`counter(page)`, `counter(pages)`), which cannot
    call gettext: base.html hands these parts to the print stylesheet as data attributes. A
    translation that puts the total first falls back to "X / Y".
    """
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, _sep, rest = text.partition("\x00")
    middle, found, after = rest.partition("\x01")
    if not found:
        return "", " / ", ""
    return before, middle, after


def lang_switch_url(lang: str) -> str:
    """This page in another language; the start page when this page cannot be fetched by GET
    (an error shown after a POST, say)."""
    endpoint = request.endpoint
    rule = request.url_rule
    if endpoint is None or rule is None or "GET" not in (rule.methods or ()):
        return url_for("respondent.index", lang=lang)
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    args["lang"] = lang
    try:
        return url_for(endpoint, **args)
    except Exception:  # noqa: BLE001 - fall back to the start page for odd endpoints
        return url_for("respondent.index", lang=lang)


def register(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        from survey.web.vendor import plotly_js_url

        return {
            "lang": i18n.current_language(),
            "html_lang": i18n.html_lang(),
            "languages": i18n.LANGUAGES,
            "t": t,
            "lang_switch_url": lang_switch_url,
            "page_of": page_of_parts,
            "plotly_js_url": plotly_js_url,
        }

    app.jinja_env.filters["score"] = score
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["decimal1"] = decimal1
    app.jinja_env.filters["number"] = number
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.before_request
    def remember_language() -> None:
        from flask import session

        if request.path.startswith("/api/"):
            return  # the API is stateless: a cookie would spoil its public caching
        chosen = i18n.normalise(request.args.get("lang"))
        if chosen and session.get("lang") != chosen:
            session["lang"] = chosen
