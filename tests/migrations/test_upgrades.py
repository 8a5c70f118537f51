"""Upgrades: released migrations never change, and each release's database upgrades to today's
schema with its data intact, on SQLite and PostgreSQL (docs/upgrading.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Date, DateTime, LargeBinary, MetaData, func, select
from sqlalchemy import text as sql

from survey.extensions import db
from survey.models import Assessment, Response
from survey.release import migration_head
from tests.conftest import make_app
from tests.helpers import sign_in

MIGRATIONS = Path(__file__).resolve().parents[2] / "survey" / "migrations"
RELEASES = tomllib.loads((MIGRATIONS / "released.toml").read_text())["release"]
SNAPSHOTS = Path(__file__).resolve().parent / "releases"


def test_released_migrations_are_unchanged() -> None:
    for release in RELEASES:
        for name, digest in release["migrations"].items():
            found = hashlib.sha256((MIGRATIONS / "versions" / name).read_bytes()).hexdigest()
            assert found == digest, (
                f"{name} was released in {release['version']} and must not change: "
                "add a new migration instead")


def test_every_release_has_a_snapshot_and_its_head() -> None:
    versions = [r["version"] for r in RELEASES]
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))
    for release in RELEASES:
        snapshot = json.loads((SNAPSHOTS / f"{release['version']}.json").read_text())
        assert snapshot["head"] == release["head"]
        assert f"{release['head']}.py" in release["migrations"]


def _value(column: Any, value: Any) -> Any:
    """A snapshot value as the old schema's column takes it."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return bytes.fromhex(value)
    return value


def _load(snapshot: dict[str, Any]) -> None:
    """Replace the rows the migrations made (the default wave) with the snapshot's, through the
    schema as it is now (the release's), reflected."""
    meta = MetaData()
    meta.reflect(db.engine)
    with db.engine.begin() as conn:
        for table in reversed(meta.sorted_tables):
            if table.name != "alembic_version":
                conn.execute(table.delete())
        for table in meta.sorted_tables:
            rows = snapshot["tables"].get(table.name, [])
            if rows:
                conn.execute(table.insert(), [
                    {k: _value(table.c[k], v) for k, v in row.items()} for row in rows])
        if db.engine.dialect.name == "postgresql":  # ids were given: move the sequences on
            for table in meta.sorted_tables:
                if "id" in table.c and snapshot["tables"].get(table.name):
                    conn.execute(sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"))


@pytest.mark.slow
@pytest.mark.parametrize("release", RELEASES, ids=[r["version"] for r in RELEASES])
def test_a_release_database_upgrades_with_its_data(release: dict[str, Any],
                                                    empty_database: str) -> None:
    snapshot = json.loads((SNAPSHOTS / f"{release['version']}.json").read_text())
    app: Flask = make_app(empty_database)
    with app.app_context():
        upgrade(revision=release["head"])  # the database as that release left it
        _load(snapshot)
        upgrade()  # the documented step: `flask db upgrade`, once
        with db.engine.connect() as conn:
            assert conn.scalar(sql("SELECT version_num FROM alembic_version")) == migration_head()
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], "the upgraded schema differs from the models"

        submitted = [r for r in snapshot["tables"]["responses"] if r["status"] == "submitted"]
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == len(
            snapshot["tables"]["assessments"])
        real = next(r for r in submitted if not r.get("is_demo"))
        client = app.test_client()
        report = client.get(f"/report/{real['token']}")
        assert report.status_code == 200, report.text[:300]
        staff = app.test_client()
        signed = sign_in(staff, "admin@example.org", snapshot["staff_password"])
        assert signed.status_code == 302
        assert staff.get("/staff/").status_code == 200
        assert db.session.get(Response, real["id"]) is not None

        result = app.test_cli_runner().invoke(args=["rescore"])
        assert result.exit_code == 0, result.output
