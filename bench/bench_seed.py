"""How fast `flask demo seed` fills the database, next to a raw `executemany` of the same rows.

    python bench/bench_seed.py --count 20000 [--workers 2]

Three figures, each on a fresh SQLite file migrated by `flask db upgrade`:

  seed     `flask --app app demo seed --count N --seed S` as a user runs it (a new process:
           start-up, generating and scoring every firm, inserting, filing into waves)
  raw      the rows that command inserts (the same seed gives the same firms), made beforehand
           in memory, then written with the sqlite3 module alone: one `executemany` into
           `responses` and one into `assessments`, every column the seed writes, JSON and dates
           encoded as SQLAlchemy stores them, in one transaction
  generate making and scoring those rows in this one process, without a database: the part of
           `seed` that is the method's own work, so the gap between seed and raw is readable

It prints rows per second of each, the ratio seed/raw (the issue's yardstick, which leaves
out the method's work), and seed/(generate + raw): the seed against generating, scoring and a
raw write of the same rows one after another, so what remains is the seed's own overhead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TZ = "Asia/Shanghai"


def migrated(workdir: Path, name: str) -> tuple[Path, dict[str, str]]:
    path = workdir / f"{name}.db"
    env = {**os.environ, "SURVEY_INSTANCE_PATH": str(workdir / "instance"),
           "DATABASE_URL": f"sqlite:///{path}", "SURVEY_ENV": "development"}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return path, env


def sql_value(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite dialect stores it (JSON text, ISO-like dates)."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def raw_insert(path: Path, rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> float:
    """Seconds to write `rows` with two executemany calls in one transaction."""
    r_cols = ["id", *rows[0][0]]
    a_cols = ["response_id", *rows[0][1]]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        f"INSERT INTO responses ({', '.join(r_cols)}) VALUES ({', '.join('?' * len(r_cols))})",
        ([i, *(sql_value(v) for v in r.values())] for i, (r, _) in enumerate(rows, 1)))
    conn.executemany(
        f"INSERT INTO assessments ({', '.join(a_cols)}) VALUES ({', '.join('?' * len(a_cols))})",
        ([i, *(sql_value(v) for v in a.values())] for i, (_, a) in enumerate(rows, 1)))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None,
                        help="passed to demo seed (default: its own)")
    args = parser.parse_args()

    from survey.core.questionnaire import load_questionnaire  # noqa: F401 - warm the import
    from survey.services.demo import chunks

    workdir = Path(tempfile.mkdtemp(prefix="bench-seed-"))
    try:
        seed_db, env = migrated(workdir, "seed")
        cmd = [sys.executable, "-m", "flask", "--app", "app", "demo", "seed",
               "--count", str(args.count), "--seed", str(args.seed)]
        if args.workers is not None:
            cmd += ["--workers", str(args.workers)]
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        seed_s = time.perf_counter() - started
        with sqlite3.connect(seed_db) as conn:
            stored = conn.execute("SELECT count(*) FROM assessments WHERE is_demo").fetchone()[0]
        if stored != args.count:
            raise SystemExit(f"demo seed stored {stored} rows, not {args.count}")

        today = dt.date.today()
        started = time.perf_counter()
        rows = [pair for chunk in chunks(args.count, args.seed, today, TZ, workers=0)
                for pair in chunk]
        gen_s = time.perf_counter() - started
        raw_db, _ = migrated(workdir, "raw")
        raw_s = raw_insert(raw_db, rows)

        n = args.count
        workers = "default" if args.workers is None else args.workers
        print(f"rows={n} cpus={os.cpu_count()} workers={workers}")
        print(f"seed      {n / seed_s:9.0f} rows/s  ({seed_s:.1f} s, `flask demo seed`, "
              f"start-up included)")
        print(f"raw       {n / raw_s:9.0f} rows/s  ({raw_s:.1f} s, sqlite3 executemany)")
        print(f"generate  {n / gen_s:9.0f} rows/s  ({gen_s:.1f} s, one process, no database)")
        print(f"ratio seed/raw {n / seed_s / (n / raw_s):.2f}")
        # The least any seed can take in one process: the method's work, then the raw write.
        print(f"ratio seed/(generate + raw) {(gen_s + raw_s) / seed_s:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
