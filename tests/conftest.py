"""Shared fixtures: `app`, `client`, `runner` (as in Flask's tutorial), on SQLite and PostgreSQL.

Database tests run once per backend: SQLite (a file, since concurrency needs one) always, and
PostgreSQL when `TEST_DATABASE_URL` is set — only then are the PostgreSQL copies collected, so
a run without it reports no skips for them. With `SURVEY_REQUIRE_ALL=1` (set by `.ci/run`) a
missing PostgreSQL URL or browser fails the run instead. Under pytest-xdist each worker has
its own PostgreSQL database (`<name>_gw0`, …) and instance folder, so workers never share rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("SURVEY_INSTANCE_PATH",
                      str(Path(__file__).parent / f".instance{'-' + WORKER if WORKER else ''}"))

from survey import create_app  # noqa: E402
from survey.config import database_url as normalise_url  # noqa: E402
from survey.extensions import db  # noqa: E402

if TYPE_CHECKING:
    from tests.journey import Respondent

REQUIRE_ALL = os.environ.get("SURVEY_REQUIRE_ALL") == "1"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_ALL and not POSTGRES_URL:
        raise pytest.UsageError("SURVEY_REQUIRE_ALL=1 needs TEST_DATABASE_URL (PostgreSQL tests)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Hypothesis tests are `slow` like fuzzing and subprocess tests (marked where they are), so
    `./run.sh test -m "not slow"` is a quick loop; CI runs everything. A `sqlite_only` test's
    PostgreSQL copy is not collected at all, so CI's run shows no skip that hides a gap."""
    kept, dropped = [], []
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgresql" in callspec.id.split("-")
        (dropped if on_postgres and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def worker_database(url: str) -> str:
    """This xdist worker's own PostgreSQL database, created on first use."""
    if not WORKER:
        return url
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    return worker_database(normalise_url(POSTGRES_URL, ""))


def make_app(url: str, **overrides: object) -> Flask:
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}}
        if url.startswith("sqlite") else {"pool_pre_ping": True},
        "ARGON2_PARAMS": CHEAP_ARGON2,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    app = create_app(config)
    request_started.connect(_fresh_g, app)
    return app


def _fresh_g(sender: Flask, **_: object) -> None:
    """Give each test request a clean `g`, as in production.

    The fixtures keep one app context open for the whole test, and Flask reuses it for test
    requests, so without this `g` (Flask-WTF's "CSRF already checked", Flask-Login's user, the
    chosen language) would leak from one request into the next.
    """
    g.__dict__.clear()


def reset_database() -> None:
    from survey.models import Wave, utcnow

    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    import datetime as dt

    db.session.add(Wave(name="Default wave", starts_on=dt.date(2000, 1, 1), ends_on=None,
                        created_at=utcnow()))
    db.session.commit()


_schema_ready: set[str] = set()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        reset_database()
        yield app
        db.session.remove()
        # Each test builds its own app and so its own engine: close its pooled connections now,
        # or parallel workers run PostgreSQL out of connection slots before the GC does.
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def bare_app() -> Flask:
    """An app for tests that need no database (the pure core through the CLI)."""
    return make_app("sqlite:///:memory:")


@pytest.fixture
def respondent(client: FlaskClient) -> Respondent:
    from tests.journey import Respondent

    return Respondent(client)


@pytest.fixture
def zh_client(app: Flask) -> FlaskClient:
    """A browser that prefers Chinese (as most respondents' phones do)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9,en;q=0.5"
    return client


@contextmanager
def new_database(kind: str, tmp_path: Path, name: str = "empty") -> Iterator[str]:
    """The URL of a database with no schema at all: a fresh SQLite file, or a PostgreSQL
    database created for the test and dropped after it."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/{name}.sqlite3"
        return
    from sqlalchemy import create_engine, make_url
    from sqlalchemy import text as sql

    base = make_url(normalise_url(POSTGRES_URL, ""))
    database = f"{base.database}_{name}_{WORKER or 'main'}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(sql(f'CREATE DATABASE "{database}"'))
    try:
        yield base.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=_backends())
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with new_database(request.param, tmp_path) as url:
        yield url
