"""Where export jobs run: RQ workers when JOBS_REDIS_URL is set, else a thread of this process.

The embedded default needs nothing beside the app (`./run.sh`, one small server): the job runs
in a daemon thread of the web process that started it, with its own app context and database
session. It suits one host; a job dies with its process (a restart or deploy), and its page
then says so (`survey.queries.export_jobs.STALE_AFTER`). With JOBS_REDIS_URL the job is
enqueued for `flask --app app jobs worker` (an RQ worker in its own process or host), so web
processes only serve. When Redis does not answer at enqueue time the job runs here instead:
slower for this process, but the export still finishes.

Sharing RATELIMIT_STORAGE_URI's Redis is deliberate opt-in, not implied: a queue that no worker
reads never finishes a job, so the queue is only used when it is named.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 0.5
"""A hung Redis costs the health probe and an enqueue at most about this long."""
JOB_TIMEOUT_SECONDS = 6 * 3600
WORKER_TTL_SECONDS = 60
"""How long a worker's registration outlives its last heartbeat: a worker killed outright
stops counting for `/healthz` within about this long."""


def redis_url(app: Flask | None = None) -> str | None:
    config = (app or current_app).config
    return config.get("JOBS_REDIS_URL") or None


def connection(url: str, probe: bool = True) -> Any:
    """A Redis client; short timeouts for the web process, none for a worker's long poll."""
    from redis import Redis

    if probe:
        return Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS,
                              socket_timeout=TIMEOUT_SECONDS)
    return Redis.from_url(url)


def queue(conn: Any, app: Flask | None = None) -> Any:
    from rq import Queue

    return Queue((app or current_app).config.get("JOBS_QUEUE", "survey-exports"),
                 connection=conn)


def perform(job_id: int) -> str:
    """The RQ entry point. It needs the app: `flask --app app jobs worker` runs the worker in
    the app's context (a bare `rq worker` has no settings and no database)."""
    from survey.services import export_jobs

    if not has_app_context():
        raise RuntimeError("run export jobs with `flask --app app jobs worker`")
    return export_jobs.run(job_id)


_running: set[int] = set()
_running_lock = threading.Lock()


def threads_busy() -> bool:
    """Whether this process is running an export job in a thread (gunicorn.conf.py's
    `pre_request` then holds off recycling the worker)."""
    with _running_lock:
        return bool(_running)


def _in_thread(app: Flask, job_id: int) -> threading.Thread:
    def work() -> None:
        from survey.extensions import db
        from survey.services import export_jobs

        with _running_lock:
            _running.add(job_id)
        try:
            with app.app_context():
                try:
                    export_jobs.run(job_id)
                finally:
                    db.session.remove()
        finally:
            with _running_lock:
                _running.discard(job_id)

    thread = threading.Thread(target=work, name=f"export-job-{job_id}", daemon=True)
    thread.start()
    return thread


def submit(job_id: int) -> str:
    """Hand the job to its runner: `rq` or `thread` (which one took it)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    url = redis_url(app)
    if url:
        try:
            queue(connection(url), app).enqueue(
                perform, job_id, job_timeout=JOB_TIMEOUT_SECONDS, result_ttl=3600,
                failure_ttl=24 * 3600)
            return "rq"
        except Exception as exc:  # noqa: BLE001 - any Redis failure: run it here instead
            log.error("Job queue unreachable (%s: %s): export job %s runs in this process",
                      type(exc).__name__, exc, job_id)
    _in_thread(app, job_id)
    return "thread"


def state(app: Flask | None = None) -> str:
    """For /healthz: `ok` (in-process, or Redis answers and a worker is registered on the
    queue), `degraded` (Redis answers, no worker: jobs wait), `down` (Redis does not answer:
    jobs run in the web process meanwhile)."""
    url = redis_url(app)
    if not url:
        return "ok"
    from rq import Worker

    try:
        conn = connection(url)
        conn.ping()
        workers = Worker.all(queue=queue(conn, app))
    except Exception:  # noqa: BLE001 - a probe reports, it does not raise
        return "down"
    return "ok" if workers else "degraded"


def work(burst: bool = False, name: str | None = None) -> bool:
    """Run an RQ worker on the configured queue in this process (inside the CLI's app
    context, so jobs reuse its app and engine)."""
    from rq import SimpleWorker

    url = redis_url()
    if not url:
        raise RuntimeError("JOBS_REDIS_URL is not set: export jobs run inside the web "
                           "process, and no worker is needed")
    conn = connection(url, probe=False)
    worker = SimpleWorker([queue(conn)], connection=conn, name=name,
                          worker_ttl=WORKER_TTL_SECONDS)
    return bool(worker.work(burst=burst, with_scheduler=False))
