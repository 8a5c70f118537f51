"""Security headers for every response (DESIGN.md §3, §5).

No page sends a Referer (`Referrer-Policy: no-referrer`): the report, resume and questionnaire
URLs carry the respondent's private token, and even a same-origin Referer to a static file or
/methodology writes it to the web server's access log. Nothing in the app needs a referrer:
Flask-WTF's HTTPS "referrer must match" check (WTF_CSRF_SSL_STRICT) would refuse every form
under that policy, so it is off and `refuse_cross_site_forms` checks where a form came from by
the Fetch-Metadata and Origin headers instead, which browsers send whatever the policy. The
CSRF token and the SameSite=Lax cookie remain the main defence.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, Response, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.web.errors import ExplainedBadRequest

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


REFERRER_POLICY = "no-referrer"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})


def refuse_cross_site_forms() -> None:
    """A form posted from another site is refused before its view runs (CSRF defence in depth).

    `Sec-Fetch-Site` says where the request came from (all current browsers, WeChat's
    included); without it, an `Origin` other than this site's is refused. `Origin: null` is what
    a no-referrer page sends with its own forms, so it proves nothing either way and only the
    CSRF token decides. The API takes cross-site requests by design (bearer tokens, CORS).
    """
    if request.method not in UNSAFE_METHODS or request.path.startswith("/api/"):
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site not in SAME_SITE_FETCHES:
            raise ExplainedBadRequest(_("The form was sent from another website."))
        return
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin != f"{request.scheme}://{request.host}":
        raise ExplainedBadRequest(_("The form was sent from another website."))


def add_security_headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h["Referrer-Policy"] = REFERRER_POLICY
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
    app.before_request(refuse_cross_site_forms)
    app.after_request(add_security_headers)
