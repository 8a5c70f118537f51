"""gunicorn.conf.py: production refuses per-worker rate-limit counters before it serves anyone,
and with Redis the sign-in counters hold across workers."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from survey.startup import worker_storage_problem
from tests.conftest import skip_or_fail
from tests.helpers import PRODUCTION, csrf_from
from tests.processes import free_port, stop, wait_until_healthy

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
    env.update({**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/survey.sqlite3",
                "SURVEY_INSTANCE_PATH": str(tmp_path)}, **extra)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("how", [{"WEB_CONCURRENCY": "3"}, {"args": "--workers=2"}])
def test_production_refuses_memory_storage_with_several_workers(
        tmp_path: Path, how: dict[str, str]) -> None:
    extra = {k: v for k, v in how.items() if k != "args"}
    args = [how["args"]] if "args" in how else []
    done = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", *args, "--bind", f"127.0.0.1:{free_port()}",
         "app:app"], cwd=ROOT, env=_env(tmp_path, **extra), capture_output=True, text=True,
        timeout=60)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "RATELIMIT_STORAGE_URI" in errors[0], done.stderr
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr


@pytest.mark.slow
def test_production_refuses_bad_settings_one_line_each(tmp_path: Path) -> None:
    env = _env(tmp_path, SECRET_KEY="changeme", SURVEY_TIMEZONE="Europe/Berln",
               WEB_CONCURRENCY="1")
    del env["DATABASE_URL"]
    done = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{free_port()}",
         "app:app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert [e.split()[1] for e in errors] == ["SECRET_KEY", "DATABASE_URL", "SURVEY_TIMEZONE"], \
        done.stderr
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr


@pytest.mark.slow
def test_production_with_one_worker_starts(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{free_port()}",
         "app:app"], cwd=ROOT, env=_env(tmp_path, WEB_CONCURRENCY="1"),
        stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        seen = ""
        while time.monotonic() < deadline and "Booting worker" not in seen:
            seen += proc.stdout.readline()
        assert "Booting worker" in seen, seen
    finally:
        stop(proc)


@pytest.mark.slow
def test_logs_are_one_key_value_line_per_record(tmp_path: Path) -> None:
    """Access lines carry time, level, the request id the response echoes and the redacted
    path; health probes that pass are not logged; the app's own errors have a level."""
    requests = pytest.importorskip("requests")
    port = free_port()
    env = _env(tmp_path, WEB_CONCURRENCY="1")
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    log = (tmp_path / "out.log").open("w+")
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "app:app"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    token = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3"
    try:
        wait_until_healthy(base)
        given = requests.get(f"{base}/", headers={"X-Request-ID": "probe-0123456789"}, timeout=10)
        assert given.headers["X-Request-ID"] == "probe-0123456789"
        made = requests.get(f"{base}/report/{token}", timeout=10)
        assert len(made.headers["X-Request-ID"]) == 32
        bad = requests.get(f"{base}/", headers={"X-Request-ID": "x y"}, timeout=10)
        assert bad.headers["X-Request-ID"] != "x y"
        requests.get(f"{base}/readyz", timeout=10)
    finally:
        stop(server)
    log.seek(0)
    lines = log.read().splitlines()
    access = [line for line in lines if "logger=gunicorn.access" in line]
    assert len(access) == 3, lines
    for line in access:
        assert re.match(r"ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=INFO ", line), line
    assert "method=GET path=/ status=200" in access[0]
    assert "request_id=probe-0123456789" in access[0]
    assert "path=/report/[token] status=404" in access[1] and token not in "\n".join(lines)
    assert f"request_id={made.headers['X-Request-ID']}" in access[1]
    assert not any("healthz" in line or "readyz" in line for line in access)
    booted = [line for line in lines if "Booting worker" in line]
    assert booted and booted[0].startswith("ts=")
    assert "level=INFO logger=gunicorn.error" in booted[0]


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the Redis at TEST_REDIS_URL, its keys removed after."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail(f"no Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex[:12]}-"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


@pytest.mark.slow
def test_sign_in_limits_hold_across_workers_with_redis(tmp_path: Path, redis_prefix: str) -> None:
    requests = pytest.importorskip("requests")
    port = free_port()
    env = _env(tmp_path, SURVEY_ENV="development", WEB_CONCURRENCY="2", GUNICORN_THREADS="8",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=redis_prefix)
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=60)
    subprocess.run([*flask, "staff", "create", "owner@example.org", "--role", "analyst",
                    "--password-stdin"], cwd=ROOT, env=env, check=True, capture_output=True,
                   input=b"a long and private passphrase\n", timeout=60)
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "app:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base)
        sessions = [requests.Session() for _ in range(40)]
        tokens = [csrf_from(s.get(f"{base}/staff/login", timeout=10).text) for s in sessions]
        barrier = threading.Barrier(len(sessions))
        statuses: list[int] = []

        def attempt(i: int) -> None:
            barrier.wait()
            resp = sessions[i].post(f"{base}/staff/login", timeout=60, allow_redirects=False,
                                    data={"email": "owner@example.org", "password": "a guess",
                                          "csrf_token": tokens[i]})
            statuses.append(resp.status_code)

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(sessions))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Never more than the address's 5 a minute are checked, whatever worker takes them.
        # Under a burst a guess can take a place in one window and be refused by the other,
        # so a few less may get through: that only ever helps the owner.
        counts = Counter(statuses)
        assert set(counts) <= {200, 429} and 1 <= counts[200] <= 5, counts
    finally:
        stop(server)


def test_a_worker_running_export_jobs_is_not_recycled_until_they_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    from types import SimpleNamespace

    from survey.services import job_queue

    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    worker = SimpleNamespace(nr=2100, max_requests=2100)
    conf.pre_request(worker, None)
    assert worker.nr == 2100  # idle: gunicorn recycles it as usual
    monkeypatch.setattr(job_queue, "_running", {7})
    conf.pre_request(worker, None)
    assert worker.nr == 2098  # one more request would reach the limit: held below it
    worker.nr = 10
    conf.pre_request(worker, None)
    assert worker.nr == 10


def _lost(base: str, count: int) -> int:
    """Requests answered with no response at all, of `count` made one after another, each on a
    new connection, as a browser's first request to a server is."""
    lost = 0
    for _ in range(count):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=30) as r:
                r.read()
        except (http.client.HTTPException, ConnectionError):
            lost += 1
        time.sleep(0.01)
    return lost


@pytest.mark.slow
def test_a_recycled_worker_answers_every_connection_it_took(tmp_path: Path) -> None:
    """With max_requests at 5, two workers recycle every few requests. gunicorn's own gthread
    worker accepts a connection while going away and closes it unanswered (gunicorn #3038); the
    project's worker (gunicorn.conf.py) leaves it to the other worker."""
    port = free_port()
    env = _env(tmp_path, WEB_CONCURRENCY="2", GUNICORN_THREADS="2", SURVEY_ENV="development")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "--max-requests", "5",
         "--max-requests-jitter", "0", "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base)
        assert _lost(base, 60) == 0
    finally:
        stop(server)
