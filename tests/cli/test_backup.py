"""`flask backup PATH` and `flask restore PATH`: a round trip on SQLite and (with
TEST_DATABASE_URL) PostgreSQL, and the refusals that keep a bad restore from doing harm."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response
from survey.services import responses
from tests.conftest import make_app, new_database
from tests.helpers import best_answers, worst_answers


def _tokens() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(select(Response.token)))


def test_round_trip(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    kept = responses.create_submitted(best_answers()).token
    path = tmp_path / "survey.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "encrypt" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["survey.backup"]  # no temporary left

    assert responses.delete_response(kept)
    later = responses.create_submitted(worst_answers()).token
    assert _tokens() == {later}

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _tokens() == {kept}
    assert responses.find_response(kept) is not None
    # the restored database is fully usable: a new write and a delete
    again = responses.create_submitted(worst_answers()).token
    assert responses.delete_response(again) and _tokens() == {kept}


def test_backup_keeps_an_existing_file_unless_forced(app: Flask, runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "survey.backup"
    path.write_text("precious")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1 and "--force" in result.output
    assert path.read_text() == "precious"
    assert runner.invoke(args=["backup", str(path), "--force"]).exit_code == 0
    assert path.read_bytes() != b"precious"


def test_restore_refuses_a_file_that_is_no_backup(app: Flask, runner: FlaskCliRunner,
                                                  tmp_path: Path) -> None:
    token = responses.create_submitted(best_answers()).token
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1 and "error:" in result.output
    assert _tokens() == {token}


def test_restore_asks_first(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    token = responses.create_submitted(best_answers()).token
    path = tmp_path / "survey.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    responses.delete_response(token)
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code == 1 and "Replace everything" in result.output
    assert _tokens() == set()


@pytest.mark.slow
def test_restore_onto_a_new_server(app: Flask, runner: FlaskCliRunner, tmp_path: Path,
                                   database_url: str) -> None:
    """The documented path for a lost server: an empty database (PostgreSQL: `createdb`), then
    `flask restore`; the report opens from its old link."""
    kept = responses.create_submitted(best_answers()).token
    path = tmp_path / "survey.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with new_database(kind, tmp_path, "restored") as url:
        fresh = make_app(url)
        with fresh.app_context():
            result = fresh.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
            assert result.exit_code == 0, result.output
            assert fresh.test_client().get(f"/report/{kept}").status_code == 200
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
