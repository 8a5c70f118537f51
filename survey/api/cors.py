"""Cross-origin use of the API by partner sites on an allow-list (CORS_ORIGINS; none default).

Only listed origins are echoed back, never `*`, and credentials are never allowed: a partner's
page may fetch the questionnaire and submit answers from the browser, but no other site can
read a signed-in staff member's statistics through their cookies. `Vary: Origin` is on every
API response so a cache never serves one origin's answer to another.
"""

from __future__ import annotations

from flask import Response, current_app, request

ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept-Language"
EXPOSE_HEADERS = ("Location, Idempotent-Replayed, Retry-After, ETag, X-RateLimit-Limit, "
                  "X-RateLimit-Remaining, X-RateLimit-Reset")
PREFLIGHT_MAX_AGE = "600"


def allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    if not origin:
        return None
    allowed = current_app.config.get("CORS_ORIGINS") or []
    if isinstance(allowed, str):
        allowed = [o.strip() for o in allowed.split(",") if o.strip()]
    normalised = origin.rstrip("/")
    return normalised if normalised in {o.rstrip("/") for o in allowed} else None


def is_preflight() -> bool:
    return (request.method == "OPTIONS"
            and "Access-Control-Request-Method" in request.headers)


def preflight() -> Response | None:
    """Answer a CORS preflight here, before rate limits or authentication get a say."""
    if not is_preflight():
        return None
    resp = Response(status=204)
    origin = allowed_origin()
    if origin:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        resp.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return resp


def add_headers(response: Response) -> Response:
    response.vary.add("Origin")
    origin = allowed_origin()
    if origin and "Access-Control-Allow-Origin" not in response.headers:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response
