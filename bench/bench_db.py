"""The benchmarks' databases: an app on one, a fresh schema, seeding to a size, and reuse.

bench/bench_dashboard.py and bench/bench_export_jobs.py share these. Never point them at a
database you care about: `fresh_schema` drops every table.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import create_engine, text

from survey import create_app
from survey.config import database_url

PASSWORD = "bench-passphrase-long-enough"


def ensure_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1].split("?")[0]
    admin = create_engine(database_url(url.rsplit("/", 1)[0] + "/postgres", ""),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def make_app(url: str) -> Any:
    return create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url(url, ""),
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 60}}
        if url.startswith("sqlite") else {"pool_pre_ping": True},
        "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        "RATELIMIT_STORAGE_URI": "memory://",
    })


def fresh_schema() -> None:
    from survey.extensions import db
    from survey.models import StaffUser, Wave
    from survey.services.hashing import hash_password

    db.drop_all()
    db.create_all()
    db.session.add(Wave(name="Default wave", starts_on=dt.date(2000, 1, 1), ends_on=None))
    db.session.add(StaffUser(email="bench@example.org", password_hash=hash_password(PASSWORD),
                             role="analyst"))
    db.session.commit()


def seed(count: int, seeder: str, start: int, have: int, generate_max: int) -> None:
    """Add `count` rows: generated up to `generate_max` in all, copied in SQL beyond it.

    The rows are then marked real (not demo): the brief and the peer benchmark ignore demo
    rows, and the point is to measure them at size. This is a throwaway database.
    """
    from sqlalchemy import update

    from survey.extensions import db
    from survey.models import Assessment, Response

    generated = max(0, min(count, generate_max - have))
    if generated and seeder == "demo":
        from survey.services import demo

        for _ in demo.seed(generated, seed=start):
            pass
    elif generated:
        from bench.seed import insert_rows, synthetic

        insert_rows(db.session(), synthetic(generated, seed=start, demo=True))
        db.session.commit()
    originals = min(have + generated, generate_max)
    copy_round = 0
    while (missing := count - generated) > 0:
        copy_round += 1
        generated += replicate(min(missing, originals), f"~{start}.{copy_round}")
    db.session.execute(update(Assessment).where(Assessment.is_demo.is_(True))
                       .values(is_demo=False))
    db.session.execute(update(Response).where(Response.is_demo.is_(True)).values(is_demo=False))
    db.session.commit()
    analyse()


def replicate(count: int, tag: str) -> int:
    """Copy the first `count` assessments (with their responses) in two INSERT … SELECTs,
    new tokens being the old ones plus a short tag, so a million rows need not all be scored.
    The first rows are always generated ones, so tags never pile up past the token column."""
    from sqlalchemy import insert, literal, select

    from survey.extensions import db
    from survey.models import Assessment, Response

    r_cols = [c for c in Response.__table__.columns if c.name != "id"]
    a_cols = [c for c in Assessment.__table__.columns if c.name not in ("id", "response_id")]
    first = select(Response.id).order_by(Response.id).limit(count).subquery()
    src = select(*[(Response.token + literal(":" + tag)).label("token") if c.name == "token"
                   else c for c in r_cols]).where(Response.id.in_(select(first.c.id)))
    db.session.execute(insert(Response).from_select([c.name for c in r_cols], src))
    new = Response.__table__.alias("new")
    a_src = (select(new.c.id, *a_cols)
             .select_from(Assessment)
             .join(Response, Response.id == Assessment.response_id)
             .join(new, new.c.token == Response.token + literal(":" + tag))
             .where(Response.id.in_(select(first.c.id))))
    db.session.execute(insert(Assessment).from_select(
        ["response_id", *[c.name for c in a_cols]], a_src))
    db.session.commit()
    return count


def analyse() -> None:
    """Fresh planner statistics, as a production database would have after autovacuum."""
    from survey.extensions import db

    db.session.execute(text("ANALYZE"))
    db.session.commit()


def count_rows() -> int:
    from sqlalchemy import func, select

    from survey.extensions import db
    from survey.models import Assessment

    try:
        return int(db.session.scalar(select(func.count()).select_from(Assessment)) or 0)
    except Exception:  # no schema yet
        db.session.rollback()
        return -1


def rebuild_cells() -> float:
    from survey.database import write_transaction
    from survey.services import cells, starts

    t0 = time.perf_counter()
    with write_transaction() as s:
        cells.rebuild(s)
        starts.rebuild(s)
    return time.perf_counter() - t0


def cell_counts() -> str:
    from sqlalchemy import func, select

    from survey.aggregates import CELL_TABLES
    from survey.extensions import db

    return ", ".join(f"{g} {db.session.scalar(select(func.count()).select_from(t)):,}"
                     for g, t in CELL_TABLES.items())


def drop_stale_cells() -> bool:
    """Drop cell tables whose columns are not this code's (seeded by an older version)."""
    from sqlalchemy import inspect

    from survey.aggregates import CELL_TABLES
    from survey.extensions import db

    inspector = inspect(db.engine)
    stale = [t for t in CELL_TABLES.values() if inspector.has_table(t.name)
             and {c["name"] for c in inspector.get_columns(t.name)} != set(t.c.keys())]
    for table in stale:
        table.drop(db.engine)
    return bool(stale)


def cells_complete(size: int) -> bool:
    """Every pre-aggregate holds the database's assessments (tables added by a later version
    start empty)."""
    from sqlalchemy import func, select

    from survey.aggregates import CELL_TABLES, SCORE_COUNTS
    from survey.extensions import db

    cells_ok = all(int(db.session.scalar(select(func.coalesce(func.sum(t.c.n), 0))) or 0)
                   == size for t in CELL_TABLES.values())
    return cells_ok and db.session.scalar(select(SCORE_COUNTS.c.n).limit(1)) is not None
