"""Export jobs: a large export runs in the background, its file equals the streamed one, the
page shows progress without JavaScript, downloads are audited and kept to their owner (and
admins), and files expire."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from survey.extensions import db
from survey.models import AuditLog, ExportChunk, ExportJob, Response, utcnow
from survey.queries import export_jobs as job_queries
from survey.queries import exports
from survey.queries.filters import Filters
from survey.services import export_jobs
from survey.services.operations import purge
from tests.helpers import csv_rows, make_staff, post, sign_in

JOB_PAGE = re.compile(r"/staff/exports/jobs/(\d+)$")


@pytest.fixture
def stored(app: Flask, submit: Callable[..., Response]) -> list[Response]:
    app.config["EXPORT_JOB_THRESHOLD"] = 1
    return [submit(best=True, province="shanghai"), submit(best=False, province="sichuan"),
            submit(best=True, province="jiangsu")]


def wait_for(job_id: int, timeout: float = 60) -> job_queries.JobView:
    """Poll as the page does, ending the read transaction each time to see the runner's
    writes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        job = job_queries.job(job_id)
        if job is not None and job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def start(client: FlaskClient, path: str) -> int:
    resp = post(client, path, token_from="/staff/exports")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    found = JOB_PAGE.search(resp.headers["Location"])
    assert found, resp.headers["Location"]
    return int(found.group(1))


def sheet_rows(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").count(b"<row ")


def test_a_large_csv_becomes_a_job_whose_file_equals_the_streamed_export(
        app: Flask, analyst_client: FlaskClient, stored: list[Response]) -> None:
    job_id = start(analyst_client, "/staff/export.csv?region=east")
    job = wait_for(job_id)
    assert job.state == "done" and job.rows_written == job.total_rows == 2
    data = analyst_client.get(f"/staff/exports/jobs/{job_id}/download")
    assert data.status_code == 200 and data.mimetype == "text/csv"
    assert int(data.headers["Content-Length"]) == len(data.get_data())
    rows = csv_rows(data.get_data())
    assert len(rows) == exports.count(Filters(region="east")) == 2
    assert {int(r["response_id"]) for r in rows} == {stored[0].id, stored[2].id}
    app.config["EXPORT_JOB_THRESHOLD"] = 1000
    streamed = analyst_client.get("/staff/export.csv?region=east").get_data()
    assert data.get_data() == streamed


def test_a_large_excel_export_becomes_a_job_with_every_filtered_row(
        analyst_client: FlaskClient, stored: list[Response]) -> None:
    job_id = start(analyst_client, "/staff/export.xlsx")
    assert wait_for(job_id).state == "done"
    data = analyst_client.get(f"/staff/exports/jobs/{job_id}/download")
    assert data.mimetype.endswith("spreadsheetml.sheet")
    assert sheet_rows(data.get_data()) == 1 + exports.count(Filters()) == 4


def test_a_chunked_file_is_reassembled_in_order(
        monkeypatch: pytest.MonkeyPatch, analyst_client: FlaskClient,
        stored: list[Response]) -> None:
    monkeypatch.setattr(export_jobs, "CHUNK_BYTES", 1000)
    job_id = start(analyst_client, "/staff/export.csv")
    assert wait_for(job_id).state == "done"
    chunks = db.session.scalar(select(func.count()).select_from(ExportChunk)
                               .where(ExportChunk.job_id == job_id))
    assert chunks is not None and chunks > 3
    data = analyst_client.get(f"/staff/exports/jobs/{job_id}/download").get_data()
    assert len(csv_rows(data)) == 3


def test_a_shared_link_offers_the_job_but_does_not_start_it(
        analyst_client: FlaskClient, stored: list[Response]) -> None:
    page = analyst_client.get("/staff/export.csv?region=east")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'action="/staff/export.csv?region=east"' in html
    assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0


def test_small_exports_still_stream(app: Flask, analyst_client: FlaskClient,
                                    stored: list[Response]) -> None:
    app.config["EXPORT_JOB_THRESHOLD"] = 3
    resp = post(analyst_client, "/staff/export.csv", token_from="/staff/exports")
    assert resp.status_code == 200 and len(csv_rows(resp.get_data())) == 3


def test_progress_is_stored_while_rows_are_written(
        monkeypatch: pytest.MonkeyPatch, app: Flask, stored: list[Response]) -> None:
    owner = make_staff("owner@example.org")
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY_SECONDS", 0.0)
    seen: list[int] = []
    save = export_jobs._Progress.save

    def spy(self: export_jobs._Progress) -> None:
        save(self)
        with db.engine.connect() as conn:  # what another process polling the job sees
            seen.append(conn.scalar(select(ExportJob.rows_written)
                                    .where(ExportJob.id == self.attempt.job_id)) or 0)

    monkeypatch.setattr(export_jobs._Progress, "save", spy)
    req = export_jobs.JobRequest("csv", Filters(), False, "en", "en", {})
    job_id = export_jobs.start(owner, req, 3)
    assert export_jobs.run(job_id) == "done"
    assert seen == [1, 2, 3]
    assert export_jobs.run(job_id) == "skipped"  # a second runner never writes it twice


def test_the_page_shows_progress_without_javascript(
        analyst_client: FlaskClient, analyst: object, stored: list[Response]) -> None:
    req = export_jobs.JobRequest("csv", Filters(), False, "en", "en", {})
    job_id = export_jobs.start(analyst, req, 3)  # type: ignore[arg-type]
    db.session.execute(update(ExportJob).where(ExportJob.id == job_id)
                       .values(state="running", rows_written=1, updated_at=utcnow()))
    db.session.commit()
    html = analyst_client.get(f"/staff/exports/jobs/{job_id}").get_data(as_text=True)
    assert '<progress id="export-job-progress" max="3" value="1">33%</progress>' in html
    assert "1 of 3 rows written (33%)" in html
    assert "min/js/export-job.js" in html and "<script>" not in html
    status = analyst_client.get(f"/staff/exports/jobs/{job_id}.json").get_json()
    assert status == {"id": job_id, "state": "running", "rows_written": 1, "total_rows": 3,
                      "percent": 33, "finished": False, "download_url": None}
    assert analyst_client.get(f"/staff/exports/jobs/{job_id}/download").status_code == 409


def abandon(job_id: int, attempts: int) -> None:
    """As if the job's runner died: running, no heartbeat for longer than STALE_AFTER."""
    stale = utcnow() - job_queries.STALE_AFTER - dt.timedelta(seconds=1)
    db.session.execute(update(ExportJob).where(ExportJob.id == job_id)
                       .values(state="running", attempts=attempts, rows_written=2,
                               updated_at=stale))
    db.session.commit()


def test_a_job_whose_runner_died_starts_again_when_looked_at(
        analyst_client: FlaskClient, analyst: object, stored: list[Response]) -> None:
    req = export_jobs.JobRequest("csv", Filters(), False, "en", "en", {})
    job_id = export_jobs.start(analyst, req, 3)  # type: ignore[arg-type]
    abandon(job_id, attempts=1)
    status = analyst_client.get(f"/staff/exports/jobs/{job_id}.json").get_json()
    assert status["state"] in ("queued", "running", "done")
    job = wait_for(job_id)
    assert job.state == "done" and job.rows_written == 3
    assert db.session.get(ExportJob, job_id).attempts == 2  # type: ignore[union-attr]
    data = analyst_client.get(f"/staff/exports/jobs/{job_id}/download").get_data()
    assert len(csv_rows(data)) == 3


def test_a_job_that_keeps_dying_is_left_interrupted(
        analyst_client: FlaskClient, analyst: object, stored: list[Response]) -> None:
    req = export_jobs.JobRequest("csv", Filters(), False, "en", "en", {})
    job_id = export_jobs.start(analyst, req, 3)  # type: ignore[arg-type]
    abandon(job_id, attempts=job_queries.MAX_ATTEMPTS)
    status = analyst_client.get(f"/staff/exports/jobs/{job_id}.json").get_json()
    assert (status["state"], status["finished"]) == ("interrupted", True)
    assert "This export stopped" in analyst_client.get(
        f"/staff/exports/jobs/{job_id}").get_data(as_text=True)


def test_a_runner_taken_for_dead_cannot_overwrite_the_next_one(
        monkeypatch: pytest.MonkeyPatch, app: Flask, stored: list[Response]) -> None:
    owner = make_staff("owner@example.org")
    job_id = export_jobs.start(owner, export_jobs.JobRequest("csv", Filters(), False, "en",
                                                             "en", {}), 3)
    export = export_jobs._export

    def overtaken(*args: object) -> None:
        with db.engine.begin() as conn:  # another runner claimed it meanwhile
            conn.execute(update(ExportJob).where(ExportJob.id == job_id)
                         .values(attempts=ExportJob.attempts + 1))
        export(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(export_jobs, "_export", overtaken)
    assert export_jobs.run(job_id) == "superseded"
    db.session.rollback()
    job = db.session.get(ExportJob, job_id)
    assert job is not None and (job.state, job.finished_at) == ("running", None)
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) == 0


def test_the_heartbeat_keeps_a_quiet_job_alive(
        monkeypatch: pytest.MonkeyPatch, app: Flask, stored: list[Response]) -> None:
    owner = make_staff("owner@example.org")
    job_id = export_jobs.start(owner, export_jobs.JobRequest("csv", Filters(), False, "en",
                                                             "en", {}), 3)
    monkeypatch.setattr(export_jobs, "HEARTBEAT_SECONDS", 0.02)
    beats: list[dt.datetime] = []
    export = export_jobs._export

    def quiet(*args: object) -> None:
        deadline = time.monotonic() + 5
        while len(set(beats)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
            with db.engine.connect() as conn:
                beats.append(conn.scalar(select(ExportJob.updated_at)
                                         .where(ExportJob.id == job_id)))
        export(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(export_jobs, "_export", quiet)
    assert export_jobs.run(job_id) == "done"
    assert len(set(beats)) >= 3


def test_downloads_are_audited_and_kept_to_the_owner_and_admins(
        app: Flask, analyst_client: FlaskClient, stored: list[Response]) -> None:
    job_id = start(analyst_client, "/staff/export.csv")
    wait_for(job_id)
    assert analyst_client.get(f"/staff/exports/jobs/{job_id}/download").status_code == 200
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "export.download"))
    rows = list(audit)
    assert len(rows) == 1 and rows[0].details["job"] == job_id
    assert rows[0].details["rows"] == 3
    started = db.session.scalars(select(AuditLog).where(AuditLog.action == "export.csv")).one()
    assert started.details["job"] == job_id and started.details["rows"] == 3

    make_staff("other@example.org", "analyst")
    other = app.test_client()
    assert sign_in(other, "other@example.org").status_code == 302
    for path in ("", ".json", "/download"):
        assert other.get(f"/staff/exports/jobs/{job_id}{path}").status_code == 404
    make_staff("boss@example.org", "admin")
    boss = app.test_client()
    assert sign_in(boss, "boss@example.org").status_code == 302
    assert boss.get(f"/staff/exports/jobs/{job_id}/download").status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditLog)
                             .where(AuditLog.action == "export.download")) == 2


def test_expired_files_are_refused_and_purged(
        analyst_client: FlaskClient, stored: list[Response]) -> None:
    job_id = start(analyst_client, "/staff/export.csv")
    job = wait_for(job_id)
    assert job.expires_at > utcnow() + dt.timedelta(hours=23)
    assert purge().export_jobs == 0
    db.session.execute(update(ExportJob).where(ExportJob.id == job_id)
                       .values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    db.session.commit()
    gone = analyst_client.get(f"/staff/exports/jobs/{job_id}/download")
    assert gone.status_code == 410 and "expired" in gone.get_data(as_text=True)
    assert purge().export_jobs == 1
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) == 0
    assert analyst_client.get(f"/staff/exports/jobs/{job_id}").status_code == 404


def test_the_export_page_lists_recent_jobs_and_says_when_exports_become_jobs(
        analyst_client: FlaskClient, stored: list[Response]) -> None:
    job_id = start(analyst_client, "/staff/export.csv")
    wait_for(job_id)
    html = analyst_client.get("/staff/exports").get_data(as_text=True)
    assert f'href="/staff/exports/jobs/{job_id}"' in html
    assert "prepared in the background" in html


def test_a_failed_export_says_so(monkeypatch: pytest.MonkeyPatch,
                                 analyst_client: FlaskClient, stored: list[Response]) -> None:
    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "_write_csv", broken)
    job_id = start(analyst_client, "/staff/export.csv")
    job = wait_for(job_id)
    assert job.state == "failed" and job.error == "OSError: disk full"
    assert "This export failed" in analyst_client.get(
        f"/staff/exports/jobs/{job_id}").get_data(as_text=True)


def test_job_pages_need_a_staff_sign_in(app: Flask, analyst: object,
                                        stored: list[Response]) -> None:
    req = export_jobs.JobRequest("csv", Filters(), False, "en", "en", {})
    job_id = export_jobs.start(analyst, req, 3)  # type: ignore[arg-type]
    anonymous = app.test_client()
    for path in ("", ".json", "/download"):
        resp = anonymous.get(f"/staff/exports/jobs/{job_id}{path}")
        assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]
