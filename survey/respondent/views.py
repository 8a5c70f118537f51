"""Respondent pages (thin views: parse, call a service or query, render)."""

from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def index() -> str:
    return render_template("respondent/index.html")


@bp.get("/methodology")
def methodology() -> str:
    return render_template("respondent/methodology.html")
