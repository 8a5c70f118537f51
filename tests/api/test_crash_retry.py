"""A gunicorn worker SIGKILLed in the middle of `POST /api/v1/assessments` blocks no retry: the
client's immediate retry with the same Idempotency-Key stores exactly once, on SQLite and
PostgreSQL (survey/services/idempotency.py says why).

"In the middle" is made certain with a trigger that stalls the insert of the assessment, so the
worker is killed holding an open transaction with the response already written. (The design
before 1.0.0 committed its claim of the key before this point, and the retry got 409 for ten
minutes: this test failed on it.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import _backends, new_database
from tests.helpers import best_answers
from tests.processes import free_port, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STALL_SECONDS = 4

PG_STALL = [
    "CREATE FUNCTION crash_stall() RETURNS trigger AS $$ BEGIN "
    f"PERFORM pg_sleep({STALL_SECONDS}); RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER crash_stall BEFORE INSERT ON assessments FOR EACH ROW "
    "EXECUTE FUNCTION crash_stall()",
]
PG_UNSTALL = ["DROP TRIGGER crash_stall ON assessments", "DROP FUNCTION crash_stall()"]
# SQLite has no sleep and no WITH in triggers: a large cross join keeps the worker busy.
SQLITE_STALL = [
    "CREATE TABLE crash_pad (x INTEGER)",
    "INSERT INTO crash_pad SELECT value FROM json_each(json_array("
    + ",".join(["0"] * 100) + "))",
    "INSERT INTO crash_pad SELECT a.x FROM crash_pad a, crash_pad b, (SELECT 1 UNION ALL "
    "SELECT 2 UNION ALL SELECT 3) c",
    "CREATE TRIGGER crash_stall BEFORE INSERT ON assessments BEGIN "
    "SELECT count(*) FROM crash_pad a, crash_pad b; END",
]
SQLITE_UNSTALL = ["DROP TRIGGER crash_stall", "DROP TABLE crash_pad"]


def _execute(url: str, statements: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = int(conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
    engine.dispose()
    return found


def _inside_the_transaction(url: str) -> bool:
    """The worker holds its submission's transaction open in the stalled insert."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # the write lock is held: by the worker, in its transaction
        finally:
            conn.close()
        return False
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                             "'PgSleep' AND query LIKE '%assessments%'"))
    engine.dispose()
    return bool(n)


def _wait(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("kind", _backends())
def test_a_killed_worker_blocks_no_retry(tmp_path: Path, kind: str) -> None:
    requests = pytest.importorskip("requests")
    with new_database(kind, tmp_path, "crash") as url:
        env = {k: v for k, v in os.environ.items()
               if k not in ("RATELIMIT_STORAGE_URI", "SURVEY_ENV")}
        env.update(DATABASE_URL=url, SURVEY_INSTANCE_PATH=str(tmp_path), WEB_CONCURRENCY="1",
                   GUNICORN_THREADS="4", API_RATE_LIMIT_ANON="100/minute")
        subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=120)
        _execute(url, PG_STALL if kind == "postgresql" else SQLITE_STALL)
        port = free_port()
        master = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind",
                                   f"127.0.0.1:{port}", "app:app"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        body = {"answers": best_answers()}
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        try:
            wait_until_healthy(base, 60)
            first: dict[str, Any] = {}

            def submit() -> None:
                try:
                    first["status"] = requests.post(f"{base}/api/v1/assessments", json=body,
                                                    headers=headers, timeout=60).status_code
                except requests.RequestException as exc:
                    first["error"] = exc

            client = threading.Thread(target=submit)
            client.start()
            _wait(lambda: _inside_the_transaction(url), 30, "the submit's open transaction")
            workers = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True,
                                     text=True).stdout.split()
            assert len(workers) == 1, workers
            os.kill(int(workers[0]), signal.SIGKILL)
            client.join(timeout=60)
            assert "error" in first or first.get("status", 0) >= 500, first  # never answered

            _execute(url, PG_UNSTALL if kind == "postgresql" else SQLITE_UNSTALL)
            assert _count(url, "responses") == 0  # the killed transaction left nothing

            started = time.monotonic()
            wait_until_healthy(base, 60)  # the replacement worker
            retry = requests.post(f"{base}/api/v1/assessments", json=body, headers=headers,
                                  timeout=60)
            assert retry.status_code == 201, retry.text
            assert "Idempotent-Replayed" not in retry.headers
            assert time.monotonic() - started < 30
            again = requests.post(f"{base}/api/v1/assessments", json=body, headers=headers,
                                  timeout=60)
            assert again.headers.get("Idempotent-Replayed") == "true"
            assert again.json()["id"] == retry.json()["id"]
            assert _count(url, "responses") == 1 and _count(url, "assessments") == 1
            assert _count(url, "idempotency_keys") == 1
        finally:
            stop(master)
