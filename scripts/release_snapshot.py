"""Write tests/migrations/releases/<version>.json: a small database as release <version> made it.

Run once when a release is cut (docs/upgrading.md, "Cutting a release"), with that release's
code: `.venv/bin/python scripts/release_snapshot.py 1.0.0`. The upgrade rehearsal
(tests/migrations/test_upgrades.py) loads it into the release's schema and upgrades it with
the current migrations, on SQLite and PostgreSQL.

Rows are stored per table, values as JSON (dates and times as ISO text), read back by the
column types of the *old* schema, so the snapshot never depends on today's models.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import MetaData, select

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "migrations" / "releases"
PASSWORD = "release rehearsal password"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def main(version: str) -> None:
    from survey import create_app
    from survey.core.questionnaire import load_questionnaire
    from survey.extensions import db
    from survey.services import demo, responses, staff, tokens
    from survey.services.demo import synth_answers

    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/snapshot.sqlite3",
                      "SECRET_KEY": "snapshot", "ARGON2_PARAMS": {"time_cost": 1,
                                                                  "memory_cost": 8192}})
    with app.app_context():
        upgrade()
        admin = staff.create_staff("admin@example.org", "admin", PASSWORD)
        tokens.issue("admin@example.org", "Partner feed", actor_id=admin.id)
        for _ in demo.seed(12, seed=7, workers=1):
            pass
        rng = random.Random(7)
        q = load_questionnaire()
        for language in ("en", "zh"):
            responses.create_submitted(synth_answers(q, rng), language=language, source="web")
        responses.start_response("en", "2026-11")
        meta = MetaData()
        meta.reflect(db.engine)
        tables = {t.name: [{k: _plain(v) for k, v in row._mapping.items()}
                           for row in db.session.execute(select(t))]
                  for t in meta.sorted_tables if t.name != "alembic_version"}
        head = db.session.execute(select(meta.tables["alembic_version"])).scalar()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{version}.json"
    path.write_text(json.dumps({"version": version, "head": head, "staff_password": PASSWORD,
                                "tables": tables}, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: "
          + ", ".join(f"{name} {len(rows)}" for name, rows in tables.items()))


if __name__ == "__main__":
    main(sys.argv[1])
