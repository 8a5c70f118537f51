"""gunicorn.conf.py: production refuses per-worker rate-limit counters before it serves anyone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from survey.config import worker_storage_problem

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_the_rule() -> None:
    prod = {"SURVEY_ENV": "production"}
    assert worker_storage_problem(prod, 2) is not None
    assert worker_storage_problem({**prod, "RATELIMIT_STORAGE_URI": "memory://"}, 4) is not None
    assert worker_storage_problem({**prod, "RATELIMIT_STORAGE_URI": "redis://r:6379/0"}, 4) is None
    assert worker_storage_problem(prod, 1) is None
    assert worker_storage_problem({"SURVEY_ENV": "development"}, 4) is None
    assert worker_storage_problem({}, 4) is None


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("WEB_CONCURRENCY", "RATELIMIT_STORAGE_URI", "DATABASE_URL")}
    env.update({"SURVEY_ENV": "production", "SECRET_KEY": "a-test-secret-key-for-gunicorn",
                "SURVEY_INSTANCE_PATH": str(tmp_path)}, **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("how", [{"WEB_CONCURRENCY": "3"}, {"args": "--workers=2"}])
def test_production_refuses_memory_storage_with_several_workers(
        tmp_path: Path, how: dict[str, str]) -> None:
    extra = {k: v for k, v in how.items() if k != "args"}
    args = [how["args"]] if "args" in how else []
    done = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", *args, "--bind", f"127.0.0.1:{_free_port()}",
         "app:app"], cwd=ROOT, env=_env(tmp_path, **extra), capture_output=True, text=True,
        timeout=60)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "RATELIMIT_STORAGE_URI" in errors[0], done.stderr
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr


@pytest.mark.slow
def test_production_with_one_worker_starts(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{_free_port()}",
         "app:app"], cwd=ROOT, env=_env(tmp_path, WEB_CONCURRENCY="1"),
        stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 30
        seen = ""
        while time.monotonic() < deadline and "Booting worker" not in seen:
            seen += proc.stderr.readline()
        assert "Booting worker" in seen, seen
    finally:
        proc.terminate()
        proc.wait(timeout=30)
