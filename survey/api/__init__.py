"""The versioned JSON API (/api/v1) for partners and integrations (DESIGN.md §4).

Clients are programs, not browsers with forms: the blueprint is exempt from CSRF (it never
acts on a session for writes), answers JSON for every error (the app-level handlers in
`survey.web.errors` cover routing, rate-limit and server errors under /api/; `ApiError` covers the
rest) and speaks CORS only to the origins in CORS_ORIGINS.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from survey.api import cors
from survey.api.http import ApiError
from survey.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return exc.response()


@bp.before_request
def _preflight() -> Response | None:
    return cors.preflight()


@bp.after_app_request
def _cors(response: Response) -> Response:
    if request.path.startswith("/api/"):
        cors.add_headers(response)
    return response


from survey.api import views  # noqa: E402, F401
