"""Export jobs at size: wall time, the runner's peak memory, and what the web meanwhile feels.

    python bench/bench_export_jobs.py --rows 100000 --formats csv,xlsx --runner thread,rq

A SQLite database under --workdir gets `--rows` assessments (`--generated` realistic demo rows
scored by the real method, copied in SQL up to the size, as bench/bench_dashboard.py does).
Then for each runner and format a real server is started — gunicorn from gunicorn.conf.py,
--web-workers processes (2, the deployment's least) of 4 threads, counting rate limits in the
Redis at --redis as several workers must — an analyst signs in over HTTP, posts the export
form as the page does, and the bench follows the job to its end and downloads the file:

  wall       seconds from the POST to the job's state "done" (as its JSON reports it)
  peak RSS   the high-water mark (VmHWM) of the process that ran the job — the gunicorn
             worker for `thread`, `flask jobs worker` for `rq` — and its RSS before the job
  slowest    the slowest and the median of a stream of small requests (GET /healthz and the
             job's JSON, one after another) made while the job ran
  rows       data rows in the downloaded file: must equal --rows
  stored     the file's size as stored in the database (zlib-compressed chunks)
  attempts   runs the job took (more than 1 when its runner died and it started again)

The servers' own output goes to --workdir (`web-<format>-<runner>.log`, `worker-…`).
Redis at --redis counts the rate limits of several web workers and, for `rq`, holds the queue
(one of its own, deleted after). Never point it at a database you care about: the schema is
dropped and recreated.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_db import PASSWORD, fresh_schema, make_app, seed  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KiB (zeros once it has gone)."""
    out: dict[str, int] = {"VmRSS": 0, "VmHWM": 0}
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return out
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


class Client:
    """A browser enough for the staff pages: cookies, CSRF tokens from the forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(self.base + path, timeout=120) as r:
                return r.status, r.read(), r.geturl()
        except urllib.error.HTTPError as e:
            return e.code, e.read(), path

    def download(self, path: str, fmt: str) -> tuple[int, int]:
        """(data rows, bytes) of a file, read in pieces: a million-row CSV is gigabytes."""
        size, newlines, last = 0, 0, b""
        with tempfile.TemporaryFile() as spool, \
                self.opener.open(self.base + path, timeout=600) as r:
            while piece := r.read(1024 * 1024):
                size += len(piece)
                if fmt == "csv":  # a CRLF may straddle two pieces
                    newlines += (last + piece).count(b"\r\n") - last.count(b"\r\n")
                    last = piece[-1:]
                else:
                    spool.write(piece)
            if fmt == "csv":
                return newlines - 1, size
            spool.seek(0)
            with zipfile.ZipFile(spool) as z, z.open("xl/worksheets/sheet1.xml") as sheet:
                rows, tail = 0, b""
                while piece := sheet.read(2**20):  # a "<row " may straddle two pieces
                    rows += (tail + piece).count(b"<row ") - tail.count(b"<row ")
                    tail = piece[-5:]
            return rows - 1, size

    def post(self, path: str, data: dict[str, str]) -> tuple[int, bytes, str]:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, data=body, timeout=120) as r:
            return r.status, r.read(), r.geturl()

    def token(self, path: str) -> str:
        page = self.get(path)[1].decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert found, f"no form on {path}"
        return found.group(1)


def wait_for_server(client: Client, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if client.get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def pinger(client: Client, paths: list[str], stop: threading.Event,
           out: list[float], errors: list[str]) -> None:
    """Small requests one after another, each timed, until told to stop."""
    i = 0
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            client.get(paths[i % len(paths)])
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
        out.append(time.perf_counter() - t0)
        i += 1
        time.sleep(0.05)


def stored(url: str, job_id: int) -> tuple[int, int]:
    """(compressed bytes stored, attempts the job took)."""
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        size = conn.execute("SELECT sum(length(data)) FROM export_chunks WHERE job_id = ?",
                            (job_id,)).fetchone()[0]
        attempts = conn.execute("SELECT attempts FROM export_jobs WHERE id = ?",
                                (job_id,)).fetchone()[0]
    return int(size or 0), int(attempts)


def run_one(env: dict[str, str], fmt: str, runner: str, rows: int, logs: Path
            ) -> dict[str, Any]:
    port = free_port()
    web_log = open(logs / f"web-{fmt}-{runner}.log", "wb")  # noqa: SIM115
    worker_log = open(logs / f"worker-{fmt}-{runner}.log", "wb")  # noqa: SIM115
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if runner == "rq":
        env["JOBS_QUEUE"] = f"bench-{uuid.uuid4().hex}"
    else:
        env.pop("JOBS_REDIS_URL", None)
    web = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:app"],
                           cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT)
    worker = None
    try:
        client = Client(f"http://127.0.0.1:{port}")
        wait_for_server(client)
        if runner == "rq":
            worker = subprocess.Popen([str(VENV_BIN / "flask"), "--app", "app", "jobs",
                                       "worker"], cwd=ROOT, env=env,
                                      stdout=worker_log, stderr=subprocess.STDOUT)
            time.sleep(3)
            pids = lambda: [worker.pid]  # noqa: E731
        else:
            # gunicorn may replace its worker (max_requests): follow whichever is current.
            pids = lambda: children(web.pid)  # noqa: E731
        token = client.token("/staff/login")
        status, _, _ = client.post("/staff/login", {"email": "bench@example.org",
                                                   "password": PASSWORD, "csrf_token": token})
        assert status == 200, status
        # The runner's memory; with the thread runner, the largest web worker's (either may
        # take the job).
        before = max((memory_kib(pid) for pid in pids()), key=lambda m: m["VmRSS"])
        token = client.token("/staff/exports")
        t0 = time.perf_counter()
        status, _, where = client.post(f"/staff/export.{fmt}", {"csrf_token": token})
        job = re.search(r"/staff/exports/jobs/(\d+)$", where)
        assert job, f"no job started ({status} {where})"
        status_path = f"/staff/exports/jobs/{job.group(1)}.json"
        latencies: list[float] = []
        errors: list[str] = []
        stop = threading.Event()
        ping = threading.Thread(target=pinger, args=(Client(client.base), ["/healthz"], stop,
                                                    latencies, errors))
        ping.start()
        peak = before["VmHWM"]
        while True:
            try:
                state = json.loads(client.get(status_path)[1])
            except (OSError, http.client.HTTPException):
                if web.poll() is not None:
                    raise SystemExit(f"the web server exited ({web.returncode}): see "
                                     f"{web_log.name}") from None
                time.sleep(0.5)  # gunicorn replacing a worker (max_requests): ask again
                continue
            peak = max([peak, *(memory_kib(pid)["VmHWM"] for pid in pids())])
            if state["finished"]:
                break
            time.sleep(0.25)
        wall = time.perf_counter() - t0
        stop.set()
        ping.join()
        assert state["state"] == "done", state
        written, file_bytes = client.download(state["download_url"], fmt)
        assert written == rows, (written, rows)
        size, attempts = stored(env["DATABASE_URL"], int(job.group(1)))
        return {"format": fmt, "runner": runner, "rows": written, "wall_s": round(wall, 1),
                "rss_before_mib": round(before["VmRSS"] / 1024, 1),
                "peak_rss_mib": round(peak / 1024, 1), "file_mib": round(file_bytes / 2**20, 1),
                "stored_mib": round(size / 2**20, 1), "attempts": attempts,
                "request_errors": len(errors), "errors": errors[:3],
                "requests": len(latencies),
                "slowest_request_ms": round(max(latencies) * 1000, 1) if latencies else None,
                "median_request_ms": round(statistics.median(latencies) * 1000, 1)
                if latencies else None}
    finally:
        for proc in (worker, web):
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        web_log.close()
        worker_log.close()
        if runner == "rq":
            from redis import Redis
            from rq import Queue

            Queue(env["JOBS_QUEUE"], connection=Redis.from_url(env["JOBS_REDIS_URL"])).delete(
                delete_jobs=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--generated", type=int, default=2000,
                        help="realistic rows scored by the method; the rest are copies")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--runner", default="thread", help="thread, rq or both: thread,rq")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--web-workers", type=int, default=2,
                        help="gunicorn worker processes (each recycled after ~2,000 requests: "
                             "with one, requests wait while it is replaced)")
    parser.add_argument("--workdir", default="/tmp/survey-bench-jobs")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database of an earlier run with the same --rows")
    args = parser.parse_args()

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    db_file = work / f"bench-{args.rows}.sqlite3"
    url = f"sqlite:///{db_file}"
    if not (args.reuse and db_file.exists()):
        db_file.unlink(missing_ok=True)
        t0 = time.perf_counter()
        app = make_app(url)
        with app.app_context():
            fresh_schema()
            seed(args.rows, "demo", 1, 0, min(args.generated, args.rows))
        print(f"seeded {args.rows} rows in {time.perf_counter() - t0:.0f} s", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "SURVEY_ENV": "development",
           "SURVEY_INSTANCE_PATH": str(work / "instance"),
           "WEB_CONCURRENCY": str(args.web_workers),
           "GUNICORN_THREADS": "4", "JOBS_REDIS_URL": args.redis,
           "RATELIMIT_STORAGE_URI": args.redis if args.web_workers > 1 else "memory://",
           "EXPORT_JOB_THRESHOLD": "5000"}
    results = []
    for runner in args.runner.split(","):
        for fmt in args.formats.split(","):
            result = run_one(env, fmt, runner, args.rows, work)
            print(json.dumps(result), flush=True)
            results.append(result)
    print(f"\n{'format':6} {'runner':6} {'rows':>9} {'wall s':>7} {'RSS MiB':>8} "
          f"{'peak MiB':>8} {'file MiB':>8} {'stored':>7} {'slowest ms':>10} {'median ms':>9}")
    for r in results:
        print(f"{r['format']:6} {r['runner']:6} {r['rows']:>9} {r['wall_s']:>7} "
              f"{r['rss_before_mib']:>8} {r['peak_rss_mib']:>8} {r['file_mib']:>8} "
              f"{r['stored_mib']:>7} "
              f"{r['slowest_request_ms']!s:>10} {r['median_request_ms']!s:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
