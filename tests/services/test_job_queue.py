"""Where export jobs run: RQ with a real Redis (a queue of its own per test), the in-process
thread by default and whenever Redis does not answer, and what /healthz says of each."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from survey.extensions import db
from survey.models import StaffUser
from survey.queries import export_jobs as job_queries
from survey.queries.filters import Filters
from survey.services import export_jobs, job_queue
from survey.services import responses as services
from tests.conftest import skip_or_fail
from tests.helpers import best_answers, make_staff, worst_answers

REDIS_URL = "redis://127.0.0.1:6379/0"
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def owner(app: Flask) -> StaffUser:
    services.create_submitted(best_answers(), source="web")
    services.create_submitted(worst_answers(), source="web")
    return make_staff("owner@example.org")


@pytest.fixture
def rq_app(app: Flask) -> Iterator[Flask]:
    """The app on the local Redis with a queue no other test or process uses, emptied after."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except RedisError:
        skip_or_fail(f"no Redis at {REDIS_URL}")
    app.config.update(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=f"test-exports-{uuid.uuid4().hex}")
    yield app
    q = job_queue.queue(job_queue.connection(REDIS_URL), app)
    q.delete(delete_jobs=True)


def new_job(owner: StaffUser, fmt: str = "csv") -> int:
    req = export_jobs.JobRequest(fmt, Filters(), False, "en", "en", {})
    return export_jobs.start(owner, req, 2)


def wait_for(job_id: int, timeout: float = 60) -> job_queries.JobView:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        job = job_queries.job(job_id)
        if job is not None and job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def csv_lines(job_id: int) -> int:
    data = b"".join(job_queries.file_chunks(job_id)).decode("utf-8-sig")
    return len(io.StringIO(data).readlines())


def test_without_redis_a_thread_of_this_process_finishes_the_job(owner: StaffUser) -> None:
    job_id = new_job(owner)
    assert job_queue.submit(job_id) == "thread"
    job = wait_for(job_id)
    assert (job.state, job.rows_written) == ("done", 2)
    assert csv_lines(job_id) == 3
    assert job_queue.state() == "ok"


def test_an_rq_worker_runs_the_job(rq_app: Flask, owner: StaffUser,
                                   runner: FlaskCliRunner) -> None:
    job_id = new_job(owner, "xlsx")
    assert job_queue.submit(job_id) == "rq"
    db.session.rollback()
    job = job_queries.job(job_id)
    assert job is not None and job.state == "queued"  # nobody runs it until a worker does
    assert job_queue.state() == "degraded"

    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    done = wait_for(job_id, timeout=5)
    assert (done.state, done.rows_written) == ("done", 2)
    assert b"".join(job_queries.file_chunks(job_id))[:2] == b"PK"  # a zip: the workbook


def test_health_counts_a_registered_worker(rq_app: Flask) -> None:
    from rq import SimpleWorker

    conn = job_queue.connection(REDIS_URL)
    worker = SimpleWorker([job_queue.queue(conn)], connection=conn,
                          name=f"test-{uuid.uuid4().hex}")
    worker.register_birth()
    try:
        assert job_queue.state() == "ok"
        health = rq_app.test_client().get("/healthz")
        assert health.status_code == 200 and health.json is not None
        assert (health.json["status"], health.json["jobs"]) == ("ok", "ok")
    finally:
        worker.register_death()
    health = rq_app.test_client().get("/healthz")
    assert health.json is not None
    assert (health.json["status"], health.json["jobs"]) == ("degraded", "degraded")


def test_with_redis_down_jobs_run_here_and_health_says_so(app: Flask,
                                                          owner: StaffUser) -> None:
    app.config["JOBS_REDIS_URL"] = CLOSED_PORT
    assert job_queue.state() == "down"
    health = app.test_client().get("/healthz")
    assert health.status_code == 200 and health.json is not None
    assert (health.json["status"], health.json["jobs"]) == ("degraded", "down")
    job_id = new_job(owner)
    assert job_queue.submit(job_id) == "thread"
    assert wait_for(job_id).state == "done"


def test_the_worker_command_needs_a_queue(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1
    assert "JOBS_REDIS_URL is not set" in result.output
    assert "runner in-process, state ok" in runner.invoke(args=["jobs", "status"]).output
