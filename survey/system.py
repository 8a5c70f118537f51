"""App-wide routes: the health check and the self-hosted plotly.js."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from survey.extensions import db, limiter
from survey.web.vendor import plotly_js_response

bp = Blueprint("system", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.get("/vendor/plotly-<version>.min.js")
def plotly_js(version: str) -> Response:
    return plotly_js_response(version)
