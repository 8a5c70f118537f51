"""Error handlers: JSON under /api/, friendly pages elsewhere — never a traceback.

App-level handlers also see routing 404/405, CSRF failures, rate limits (429) and the sign-in
redirect, so an API client always gets JSON whatever went wrong.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from survey.web.probes import trusted_host

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/")


# Lazy: translated only when an error response reads its own title, in the request's language.
_TITLES = {
    400: _l("That request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    409: _l("That request conflicts with one still in progress."),
    410: _l("That no longer exists: it has been deleted."),
    413: _l("That request is too large."),
    415: _l("That content type is not supported."),
    422: _l("Some answers need attention."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side."),
}


def _title(code: int, default: str) -> str:
    title = _TITLES.get(code)
    return str(title) if title is not None else default


def _json_error(code: int, message: str, description: str | None = None) -> Response:
    body: dict[str, object] = {"error": message, "status": code}
    if description:
        body["detail"] = description
    resp = jsonify(body)
    resp.status_code = code
    return resp


def api_error(code: int, detail: str | None = None, **fields: object) -> Response:
    """The API's one error shape, for views that answer an error themselves (a 422 with
    `errors`, a 401 with its challenge), so a client parses every failure the same way."""
    from werkzeug.http import HTTP_STATUS_CODES

    body: dict[str, object] = {
        "error": _title(code, HTTP_STATUS_CODES.get(code, "Error")), "status": code}
    if detail:
        body["detail"] = detail
    body.update(fields)
    resp = jsonify(body)
    resp.status_code = code
    return resp


def _fallback_host() -> str:
    """A host to build links with when the request's own cannot be trusted: the configured
    name, else the first allowed host, else localhost. Pages link by path only, so it is never
    shown; it only lets `url_for` work."""
    return trusted_host(current_app.config.get("SERVER_NAME"),
                        current_app.config.get("TRUSTED_HOSTS")) or "localhost"


def ensure_url_adapter() -> None:
    """Let an error page build its links when Flask could not bind the URL map.

    Flask binds the map to the request's Host; a Host it refuses (too long, not valid IDNA,
    not in TRUSTED_HOSTS) leaves the request with no URL adapter and a routing error of 400.
    Every page's `url_for` would then raise and turn that 400 into a 500. The map is bound
    instead to a known host, with the request's script root and scheme, which are not taken
    from the Host header.
    """
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            _fallback_host(), script_name=request.script_root or "/",
            url_scheme=request.scheme)


class ExplainedBadRequest(BadRequest):
    """A 400 whose description is written for the person who sent the request, so the error
    page shows it (other 400s keep their descriptions, which may echo what was sent, to
    themselves)."""


def _detail(exc: HTTPException) -> str | None:
    if isinstance(exc, ExplainedBadRequest) and isinstance(exc.description, str):
        return exc.description
    return None


def handle_http(exc: HTTPException) -> Response | tuple[str, int]:
    ensure_url_adapter()
    code = exc.code or 500
    retry_after = None
    if code == 429:
        limit = getattr(exc, "limit", None)
        retry_after = "60"
        if limit is not None:
            try:
                retry_after = str(int(limit.limit.get_expiry()))
            except Exception:  # noqa: BLE001 - a header, not worth failing the response
                retry_after = "60"
    if wants_json():
        message = _title(code, exc.name)
        detail = exc.description if code not in (404, 500) else None
        resp = _json_error(code, message, detail if isinstance(detail, str) else None)
    else:
        resp = Response(render_template("error.html", code=code, detail=_detail(exc),
                                        title=_title(code, exc.name)), status=code)
    if retry_after:
        resp.headers["Retry-After"] = retry_after
    if code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        resp.headers["Allow"] = ", ".join(exc.valid_methods)
    return resp


def handle_csrf(exc: CSRFError) -> Response | tuple[str, int]:
    ensure_url_adapter()
    if wants_json():
        return _json_error(400, _("The form expired or was sent from elsewhere."), exc.description)
    return Response(render_template("error.html", code=400,
                                    title=_("The form expired. Please go back and try again.")),
                    status=400)


def handle_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.path)
    err = InternalServerError()
    return handle_http(err)  # type: ignore[return-value]


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
