"""Staff workspace: sign-in, dashboard, responses, exports, brief, administration.

Every route here checks the role (`survey.web.auth.role_required`) and answers `no-store`.
"""

from flask import Blueprint, Response

from survey.web.security import no_store

bp = Blueprint("staff", __name__)


@bp.after_request
def _no_store(response: Response) -> Response:
    return no_store(response)


from survey.staff import (  # noqa: E402, F401
    account,
    admin,
    brief,
    dashboard,
    display,
    exports,
    indicators,
    profile,
    responses,
    signin,
    tokens,
)
