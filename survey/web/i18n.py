"""Languages: one mapping from the short codes of URLs, API and CLI to Babel and HTML.

The language comes from an explicit switch (kept in the session), else the browser's
Accept-Language — any `zh` variant counts, which Werkzeug's best match would not map to
`zh_Hans_CN` by itself — else English.
"""

from __future__ import annotations

from flask import g, has_request_context, request, session

LANGUAGES: dict[str, dict[str, str]] = {
    "en": {"locale": "en", "html": "en", "name": "English"},
    "zh": {"locale": "zh_Hans_CN", "html": "zh-Hans", "name": "简体中文"},
}
DEFAULT = "en"


def normalise(code: str | None) -> str | None:
    """'zh', 'zh-CN', 'zh_Hans_CN', 'ZH-hans' → 'zh'; 'en-GB' → 'en'; others → None."""
    if not code:
        return None
    prefix = code.strip().replace("_", "-").split("-")[0].lower()
    return prefix if prefix in LANGUAGES else None


def from_accept_language(header_values: list[tuple[str, float]]) -> str | None:
    for value, quality in sorted(header_values, key=lambda vq: -vq[1]):
        if quality > 0 and (lang := normalise(value)):
            return lang
    return None


def current_language() -> str:
    """The short language code for this request (cached on `g`)."""
    if "lang" in g:
        return str(g.lang)
    lang = (
        normalise(request.args.get("lang"))
        or normalise(session.get("lang"))
        or from_accept_language(list(request.accept_languages))
        or DEFAULT
    )
    g.lang = lang
    return lang


def select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs: their messages are in English
        return LANGUAGES[DEFAULT]["locale"]
    return LANGUAGES[current_language()]["locale"]


def html_lang() -> str:
    return LANGUAGES[current_language()]["html"]


def default_to(lang: str) -> None:
    """Use `lang` for this request unless the person chose a language (link or switch).

    A report opens in the language its SME answered in, whatever the browser prefers.
    """
    explicit = normalise(request.args.get("lang")) or normalise(session.get("lang"))
    if not explicit and normalise(lang):
        g.lang = normalise(lang)
