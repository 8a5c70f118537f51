"""Large exports as background jobs: start one, write its file into the database, expire it.

A CSV or Excel file of more than EXPORT_JOB_THRESHOLD rows takes minutes to write, longer than
a proxy or a browser waits for a first byte. The staff page starts a job instead
(`start`), a runner (`survey.services.job_queue`: a thread of the web process, or an RQ
worker) calls `run`, and the page polls the job's progress. Everything a job knows lives in
the database — its parameters, its progress, its file as zlib-compressed chunks of
`export_chunks` — so any app server on any host can show it and serve the file, whichever
process wrote it.

The rows are read on the request's session with a server-side cursor; progress and chunks are
written on a second session of their own, so committing them never closes that cursor.
Memory stays flat: one batch of rows, one chunk of output (the workbook goes through
XlsxWriter's constant-memory mode and a temporary file first).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import flask_babel
from flask import current_app
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from survey.database import write_transaction
from survey.extensions import db
from survey.models import ExportChunk, ExportJob, StaffUser, utcnow
from survey.queries import exports
from survey.queries.export_columns import LabelsByLanguage
from survey.queries.filters import Filters
from survey.services.staff import audit

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
CHUNK_BYTES = 1024 * 1024
"""Raw bytes per stored chunk: a download holds one in memory at a time."""
PROGRESS_EVERY_SECONDS = 1.0


@dataclass(frozen=True)
class JobRequest:
    """What the staff page decided: the worker needs no request to honour it."""

    format: str
    filters: Filters
    free_text: bool
    lang: str
    locale: str
    labels: LabelsByLanguage


def retention() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config.get("EXPORT_RETENTION_HOURS", 24)))


def start(owner: StaffUser, req: JobRequest, total_rows: int) -> int:
    """Record a queued job and the export's audit row in one transaction; its id."""
    assert req.format in FORMATS
    now = utcnow()
    params = {"filters": req.filters.to_args(), "free_text": req.free_text, "lang": req.lang,
              "locale": req.locale, "labels": {k: dict(v) for k, v in req.labels.items()}}
    with write_transaction() as s:
        job = ExportJob(owner_id=owner.id, format=req.format, state="queued", params=params,
                        total_rows=total_rows, created_at=now, updated_at=now,
                        expires_at=now + retention())
        s.add(job)
        s.flush()
        details = {"format": req.format, "rows": total_rows, "filters": params["filters"],
                   "free_text": req.free_text, "job": job.id}
        audit(s, owner, f"export.{req.format}", None, details)
        if req.free_text:
            audit(s, owner, "export.free_text_opt_in", None, details)
        return job.id


def fail(job_id: int, reason: str) -> None:
    with write_transaction(Session(db.engine)) as s:
        s.execute(update(ExportJob).where(ExportJob.id == job_id).values(
            state="failed", error=reason[:200], updated_at=utcnow(), finished_at=utcnow()))


def _claim(s: Session, job_id: int) -> ExportJob | None:
    """Mark a queued job running, or None when another runner has it (or it is gone)."""
    claimed = cast(CursorResult[Any], s.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.state == "queued")
        .values(state="running", updated_at=utcnow()),
        execution_options={"synchronize_session": False})).rowcount
    return s.get(ExportJob, job_id) if claimed else None


class _Progress:
    """Counts rows as they pass and stores the count about once a second."""

    def __init__(self, writer: Session, job_id: int) -> None:
        self.writer, self.job_id, self.rows, self._last = writer, job_id, 0, time.monotonic()

    def count(self, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            self.rows += 1
            if time.monotonic() - self._last >= PROGRESS_EVERY_SECONDS:
                self.save()
            yield row

    def save(self) -> None:
        self._last = time.monotonic()
        with write_transaction(self.writer) as s:
            s.execute(update(ExportJob).where(ExportJob.id == self.job_id)
                      .values(rows_written=self.rows, updated_at=utcnow()))


class _ChunkStore:
    """Collects output and stores it as compressed chunks of about CHUNK_BYTES raw bytes."""

    def __init__(self, writer: Session, job_id: int) -> None:
        self.writer, self.job_id = writer, job_id
        self.buffer, self.seq, self.size = bytearray(), 0, 0

    def write(self, data: bytes) -> None:
        self.buffer += data
        self.size += len(data)
        while len(self.buffer) >= CHUNK_BYTES:
            self._store(bytes(self.buffer[:CHUNK_BYTES]))
            del self.buffer[:CHUNK_BYTES]

    def flush(self) -> None:
        if self.buffer:
            self._store(bytes(self.buffer))
            self.buffer.clear()

    def _store(self, raw: bytes) -> None:
        with write_transaction(self.writer) as s:
            s.add(ExportChunk(job_id=self.job_id, seq=self.seq, data=zlib.compress(raw, 1)))
        self.seq += 1


def _write_csv(store: _ChunkStore, head: list[str], body: Iterable[list[Any]]) -> None:
    for piece in exports.csv_chunks(head, body):
        store.write(piece)


def _write_xlsx(store: _ChunkStore, head: list[str], body: Iterable[list[Any]], lang: str,
                labels: LabelsByLanguage) -> None:
    fd, path = tempfile.mkstemp(prefix="survey-export-", suffix=".xlsx")
    os.close(fd)
    try:
        exports.write_xlsx(path, head, body, lang, labels)
        with open(path, "rb") as fh:
            while piece := fh.read(CHUNK_BYTES):
                store.write(piece)
    finally:
        exports.remove_quietly(path)


def run(job_id: int) -> str:
    """Write the job's file; its final state (`done`, `failed`, or `skipped` when another
    runner has it). Never raises for a failed export: the failure is the job's state."""
    writer = Session(db.engine)
    try:
        with write_transaction(writer) as s:
            job = _claim(s, job_id)
            if job is None:
                return "skipped"
            fmt, params = job.format, dict(job.params)
        progress, store = _Progress(writer, job_id), _ChunkStore(writer, job_id)
        try:
            _export(fmt, params, progress, store)
            store.flush()
        except Exception as exc:  # noqa: BLE001 - any failure is reported on the job's page
            log.exception("export job %s failed", job_id)
            db.session.rollback()
            writer.rollback()
            fail(job_id, f"{type(exc).__name__}: {exc}")
            return "failed"
        finally:
            db.session.rollback()
        now = utcnow()
        with write_transaction(writer) as s:
            s.execute(update(ExportJob).where(ExportJob.id == job_id).values(
                state="done", rows_written=progress.rows, size_bytes=store.size,
                updated_at=now, finished_at=now, expires_at=now + retention()))
        return "done"
    finally:
        writer.close()


def _export(fmt: str, params: Mapping[str, Any], progress: _Progress,
            store: _ChunkStore) -> None:
    filters = Filters.from_args(params["filters"])
    free_text, lang = bool(params["free_text"]), str(params["lang"])
    labels: LabelsByLanguage = params["labels"]
    with flask_babel.force_locale(params["locale"]):
        head = exports.header(free_text, labels)
        body = progress.count(exports.rows(filters, free_text, lang=lang, labels=labels))
        if fmt == "csv":
            _write_csv(store, head, body)
        else:
            _write_xlsx(store, head, body, lang, labels)


def purge_expired(s: Session, now: dt.datetime) -> int:
    """Delete expired jobs and their files in the caller's transaction; how many."""
    expired = select(ExportJob.id).where(ExportJob.expires_at < now)
    s.execute(delete(ExportChunk).where(ExportChunk.job_id.in_(expired)),
              execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], s.execute(
        delete(ExportJob).where(ExportJob.expires_at < now),
        execution_options={"synchronize_session": False})).rowcount
