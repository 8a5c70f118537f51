"""App-wide routes: health and readiness probes, the self-hosted plotly.js."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from survey.extensions import db, limiter
from survey.limit_storage import limits_state
from survey.web.vendor import plotly_js_response

bp = Blueprint("system", __name__)

DISTRIBUTION = "sme-digital-readiness-survey"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@functools.cache
def release() -> str:
    """The installed release (pyproject's version; CHANGELOG.md says what it holds)."""
    try:
        return package_version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def migration_head() -> str | None:
    """The newest migration this code ships; read once, the scripts do not change at run time."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


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
    status = "error" if database != "ok" else ("ok" if limits == "ok" else "degraded")
    return {"status": status, "version": release(), "database": database, "limits": limits,
            "schema": schema, "schema_expected": migration_head()}


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """Liveness and each dependency: `database` and `limits` are `ok`, `degraded` or `down`.
    503 only when the database is down — a rate-limit store outage degrades the limits
    (survey/limit_storage.py), the app keeps serving, and a load balancer must not take it out.
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
