"""App-wide routes: health and readiness probes, the self-hosted plotly.js."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from survey.extensions import db, limiter
from survey.limit_storage import limits_state
from survey.release import migration_head, release
from survey.services import job_queue
from survey.web.vendor import plotly_js_response

bp = Blueprint("system", __name__)

def _database() -> tuple[str, str | None]:
    """("ok", the schema's migration) or ("down", None)."""
    try:
        found = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        db.session.rollback()
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001
            db.session.rollback()
            return "down", None
        db.session.rollback()
        return "ok", None
    db.session.rollback()
    return "ok", found


def _report() -> dict[str, Any]:
    database, schema = _database()
    limits = limits_state(limiter.storage)
    jobs = job_queue.state()
    healthy = limits == "ok" and jobs == "ok"
    status = "error" if database != "ok" else ("ok" if healthy else "degraded")
    return {"status": status, "version": release(), "database": database, "limits": limits,
            "jobs": jobs, "schema": schema, "schema_expected": migration_head()}


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """Liveness and each dependency: `database`, `limits` and `jobs` are `ok`, `degraded` or
    `down`. 503 only when the database is down — a rate-limit store outage degrades the limits
    (survey/limit_storage.py), a job queue outage runs export jobs in the web process
    (survey/services/job_queue.py); the app keeps serving, and a load balancer must not take it
    out.
    """
    report = _report()
    return jsonify(report), 503 if report["database"] != "ok" else 200


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """For load balancers during a deploy: 200 only when the database answers and its schema is
    the one this code expects, so a server upgraded before `flask db upgrade` ran (or after, on
    old code) receives no traffic."""
    report = _report()
    ready = report["database"] == "ok" and report["schema"] == report["schema_expected"]
    report["ready"] = ready
    return jsonify(report), 200 if ready else 503


@bp.get("/vendor/plotly-<version>.min.js")
def plotly_js(version: str) -> Response:
    return plotly_js_response(version)
