"""A deleted response is gone from the SQLite files too, and its deletion is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, Response
from survey.services import erasure, responses, staff
from tests.helpers import best_answers


def _files(app: Flask) -> list[Path]:
    database = Path(db.engine.url.database or "")
    return [p for p in (database, database.with_name(database.name + "-wal")) if p.exists()]


def _holds(app: Flask, token: str) -> list[str]:
    return [p.name for p in _files(app) if token.encode() in p.read_bytes()]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("by", ["respondent", "staff"])
def test_deleted_token_is_not_left_in_the_database_files(app: Flask, by: str) -> None:
    assert db.engine.dialect.name == "sqlite"
    token = responses.create_submitted(best_answers()).token
    assert _holds(app, token), "the token should be on disk before the delete"
    db.session.remove()  # no open read transaction holds the log back
    erasure.checkpoint()  # as SQLite's automatic checkpoint would: now in the database file
    assert _holds(app, token) == ["test.sqlite3"]
    if by == "respondent":
        assert responses.delete_response(token)
    else:
        rid = db.session.scalar(select(Response.id).where(Response.token == token))
        assert rid is not None and staff.delete_response(rid, None)
    db.session.remove()
    assert _holds(app, token) == []
    wal = [p for p in _files(app) if p.name.endswith("-wal")]
    assert all(p.stat().st_size == 0 for p in wal)


def test_respondent_deletion_is_audited_without_the_token(app: Flask) -> None:
    response = responses.create_submitted(best_answers())
    token, rid = response.token, response.id
    assert responses.delete_response(token)
    row = db.session.scalars(select(AuditLog)).one()
    assert row.action == "response.delete" and row.target == f"response:{rid}"
    assert row.actor_id is None and row.details["via"] == "respondent"
    assert row.details["status"] == "submitted"
    assert token not in repr((row.action, row.target, row.details))
