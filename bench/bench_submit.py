"""How fast the API stores a submission, next to the least a JSON endpoint can do.

    python bench/bench_submit.py --threads 8 --connections 8 --duration 10 [--idempotency]

Three gunicorn servers run side by side on this machine, each one worker process with
`--threads` threads (gthread):

  app     the real app (`gunicorn -c gunicorn.conf.py app:app`, a fresh SQLite file, anonymous
          rate limit raised out of the way but still checked) taking POST /api/v1/assessments:
          validate, score, store, answer the assessment JSON
  bare    bench/bare_app.py: parse the JSON, insert it as one row into a SQLite table, answer
          201 (the issue's yardstick)
  scored  bench/bare_app.py with BARE_SCORE=1: the same, after validating and scoring the
          answers with the app's own pure core, answering the assessment JSON — so app/scored
          is what the app adds around the method (ORM, cells, peer benchmark, limits, logs)

All three get the same load for the same time, in turns (`--rounds`, after a short warm-up each):
`--connections` keep-alive connections posting complete answer sets (plausible firms from
`survey.services.demo`, cycled), with a fresh Idempotency-Key per request when
`--idempotency` is given. The load comes from `wrk` when it is installed, else from Python
threads (which cost the server CPU on a small machine: prefer wrk). It prints requests per
second for each, the ratios app/bare and app/scored, and refuses to report a round in which
any response was not 201.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATH_APP = "/api/v1/assessments"
PATH_BARE = "/submit"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bodies(count: int) -> list[str]:
    """Complete, valid submissions of `count` different synthetic firms."""
    from survey.core.answers import validate
    from survey.core.questionnaire import load_questionnaire
    from survey.services.demo import synth_answers

    q = load_questionnaire()
    rng = random.Random(12)
    out: list[str] = []
    while len(out) < count:
        answers = synth_answers(q, rng)
        if not validate(q, answers).problems:
            out.append(json.dumps({"answers": answers, "language": "zh"}, ensure_ascii=False))
    return out


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def lua_script(docs: list[str], path: str, keys: bool) -> str:
    quoted = ",\n".join(f"[==[{d}]==]" for d in docs)
    return f"""
local bodies = {{ {quoted} }}
local counter = 0
local tid = 0
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
end
function init(args)
  tid = wrk.thread:get("tid") or 0
end
function request()
  counter = counter + 1
  local headers = {{["Content-Type"] = "application/json"}}
  if {str(keys).lower()} then
    headers["Idempotency-Key"] = "bench-{uuid.uuid4().hex}-" .. tid .. "-" .. counter
  end
  return wrk.format("POST", "{path}", headers, bodies[(counter % #bodies) + 1])
end
"""


def run_wrk(port: int, path: str, docs: list[str], keys: bool, connections: int,
            seconds: float, workdir: Path) -> tuple[float, int]:
    """(requests per second, responses that were not 2xx) from one wrk run."""
    script = workdir / f"load-{port}.lua"
    script.write_text(lua_script(docs, path, keys), encoding="utf-8")
    out = subprocess.run(
        ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
         "-d", f"{seconds:g}s", "--timeout", "30s", "-s", str(script),
         f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print(f"  wrk: {errors.group(0)}", file=sys.stderr)
    return rate, int(bad.group(1)) if bad else 0


def run_python(port: int, path: str, docs: list[str], keys: bool, connections: int,
               seconds: float) -> tuple[float, int]:
    """The same load from Python threads, one keep-alive connection each."""
    counts = [0] * connections
    bad = [0] * connections
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop:
            headers = {"Content-Type": "application/json"}
            if keys:
                headers["Idempotency-Key"] = f"bench-{uuid.uuid4().hex}"
            conn.request("POST", path, body=docs[(i + n) % len(docs)].encode(), headers=headers)
            resp = conn.getresponse()
            resp.read()
            n += 1
            counts[i] += 1
            if not 200 <= resp.status < 300:
                bad[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started), sum(bad)


def start_servers(workdir: Path, threads: int) -> tuple[dict[str, int], list[Any]]:
    env = {**os.environ, "SURVEY_INSTANCE_PATH": str(workdir / "instance"),
           "DATABASE_URL": f"sqlite:///{workdir / 'app.db'}", "SURVEY_ENV": "development",
           "API_RATE_LIMIT_ANON": "10000000/minute", "WEB_CONCURRENCY": "1",
           "GUNICORN_THREADS": str(threads)}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    ports = {"app": free_port(), "bare": free_port(), "scored": free_port()}
    logs = [open(workdir / f"{name}.log", "wb") for name in ports]  # noqa: SIM115
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{ports['app']}"},
        stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True)
    bare = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", str(threads),
         "-b", f"127.0.0.1:{ports[name]}", "bench.bare_app:app"],
        cwd=ROOT, env={**env, "BARE_DB": str(workdir / f"{name}.db"),
                       "BARE_SCORE": "1" if name == "scored" else "0"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        for name, log in (("bare", logs[1]), ("scored", logs[2]))]
    wait_ready(ports["app"], app)
    for name, proc in zip(("bare", "scored"), bare, strict=True):
        wait_ready(ports[name], proc)
    return ports, [app, *bare, *logs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bodies", type=int, default=50)
    parser.add_argument("--idempotency", action="store_true",
                        help="send a fresh Idempotency-Key with every request")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    docs = bodies(args.bodies)
    workdir = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    ports, handles = start_servers(workdir, args.threads)

    def load(name: str, seconds: float) -> tuple[float, int]:
        path = PATH_APP if name == "app" else PATH_BARE
        if client == "wrk":
            return run_wrk(ports[name], path, docs, args.idempotency, args.connections,
                           seconds, workdir)
        return run_python(ports[name], path, docs, args.idempotency, args.connections, seconds)

    print(f"client={client} threads={args.threads} connections={args.connections} "
          f"duration={args.duration:g}s idempotency={args.idempotency} cpus={os.cpu_count()}")
    try:
        for name in ports:
            load(name, args.warmup)
        rates: dict[str, list[float]] = {name: [] for name in ports}
        for r in range(args.rounds):
            for name in list(ports) if r % 2 == 0 else list(ports)[::-1]:
                rate, bad = load(name, args.duration)
                if bad:
                    raise SystemExit(f"{name}: {bad} responses were not 2xx "
                                     f"(see {workdir / (name + '.log')})")
                rates[name].append(rate)
                print(f"  round {r + 1} {name:6s} {rate:8.1f} req/s")
        median = {name: statistics.median(found) for name, found in rates.items()}
        for name, rate in median.items():
            print(f"{name:6s} {rate:8.1f} req/s (median of {args.rounds})")
        print(f"ratio app/bare {median['app'] / median['bare']:.2f}")
        print(f"ratio app/scored {median['app'] / median['scored']:.2f}")
    finally:
        for proc in handles[:3]:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        for fh in handles[3:]:
            fh.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
