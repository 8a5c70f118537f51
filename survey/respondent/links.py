"""The private resume link, as text and as a QR code (WeChat's browser has no clipboard)."""

from __future__ import annotations

import segno
from flask import url_for
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
