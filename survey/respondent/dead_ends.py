"""The page for a private link that opens nothing: a resume or report link that is unknown,
mistyped, cut short, or whose answers were deleted by their owner.

We cannot tell these apart — a deleted response leaves no trace, by design — so the page says
so plainly and offers a fresh start, instead of a bare "Error 404". It is private like the
pages the link would have opened (no-store, noindex) and never shows the token: the language
switch points at a token-free copy of this page.
"""

from __future__ import annotations

from typing import Literal

from flask import render_template, url_for
from werkzeug.wrappers import Response

from survey.web.security import no_store

LinkKind = Literal["resume", "report"]


def unknown_link(kind: LinkKind) -> Response:
    """The 404 page for a private link of this kind, in the visitor's language."""

    def switch_url(lang: str) -> str:
        return url_for("respondent.link_not_found", kind=kind, lang=lang)

    html = render_template("respondent/unknown_link.html", kind=kind,
                           lang_switch_url=switch_url)
    resp = no_store(Response(html, status=404, mimetype="text/html"))
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp
