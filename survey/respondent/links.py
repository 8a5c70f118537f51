"""The private resume link, as text and as a QR code (WeChat's browser has no clipboard)."""

from __future__ import annotations

from typing import Any

import segno
from flask import abort, redirect, request, url_for
from markupsafe import Markup


def resume_url(token: str) -> str:
    return url_for("respondent.resume", token=token, _external=True)


def qr_image(url: str) -> Markup:
    """The QR code as a PNG data URI in an <img>: WeChat's long-press "recognise QR code"
    reads images, not inline SVG, and the data URI needs no request that could log the
    token."""
    code = segno.make(url, error="m")
    uri = code.png_data_uri(scale=5, border=2, dark="#1c2430", light="#ffffff")
    side = int(code.symbol_size(scale=5, border=2)[0])
    return Markup('<img class="qr" src="{}" width="{}" height="{}" alt="">').format(
        uri, side, side)


# Private tokens are 43 characters (core/tokens.py, TOKEN_BYTES); a shorter prefix is not a link
# with something after it, but a wrong link, and gets the dead-end page.
MIN_TOKEN_CHARS = 40


def _token_prefix(token: str) -> str:
    """The leading run of characters a token can hold (URL-safe base64)."""
    end = next((i for i, c in enumerate(token) if not (c.isascii() and (c.isalnum() or c in "-_"))),
               len(token))
    return token[:end]


def tidy_token_url(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A private link copied with what followed it in a chat ("…。", "…)", "…，"): redirect to
    the link itself instead of saying it opens nothing."""
    if not endpoint or not values or not isinstance(values.get("token"), str):
        return
    token = values["token"]
    clean = _token_prefix(token)
    if len(clean) >= MIN_TOKEN_CHARS and clean != token:
        target = url_for(endpoint, **{**values, "token": clean})
        query = request.query_string.decode("latin-1")
        abort(redirect(f"{target}?{query}" if query else target))
