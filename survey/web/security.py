"""Security headers for every response (DESIGN.md §3, §5)."""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, Response, request
from werkzeug.wrappers import Response as WerkzeugResponse

R = TypeVar("R", bound=WerkzeugResponse)

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # plotly.js injects <style> elements; nothing else needs inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def no_store(response: R) -> R:
    """For private pages: reports, resume pages, everything of staff."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
