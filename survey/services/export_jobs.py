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
Memory stays flat: one batch of rows, one chunk of output (the workbook is streamed into a
temporary file first, survey.core.xlsx).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
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
from survey.queries.export_jobs import MAX_ATTEMPTS, STALE_AFTER
from survey.queries.filters import Filters
from survey.services.staff import audit

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
CHUNK_BYTES = 1024 * 1024
"""Raw bytes per stored chunk: a download holds one in memory at a time."""
PROGRESS_EVERY_SECONDS = 1.0
HEARTBEAT_SECONDS = 5.0


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


@contextmanager
def _own_session() -> Iterator[Session]:
    """A session of its own beside the request's, whose commits leave that one's cursor open."""
    s = Session(db.engine)
    try:
        yield s
    finally:
        s.close()


class Superseded(Exception):
    """This runner's attempt was given up as abandoned and the job handed to another."""


@dataclass(frozen=True)
class _Attempt:
    """One runner's claim on a job: every write it makes holds only while the job is still
    running under this attempt, so a runner wrongly thought dead cannot overwrite the next
    one's work."""

    job_id: int
    number: int

    def touch(self, s: Session, **values: Any) -> None:
        """Update the job (and its heartbeat) in `s`'s transaction, or raise Superseded."""
        done = cast(CursorResult[Any], s.execute(
            update(ExportJob).where(ExportJob.id == self.job_id,
                                    ExportJob.attempts == self.number,
                                    ExportJob.state == "running")
            .values(updated_at=utcnow(), **values),
            execution_options={"synchronize_session": False})).rowcount
        if not done:
            raise Superseded(self.job_id)


def _claim(s: Session, job_id: int) -> tuple[_Attempt, ExportJob] | None:
    """Mark a queued job running under a new attempt, or None when another runner has it
    (or it is gone)."""
    claimed = cast(CursorResult[Any], s.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.state == "queued")
        .values(state="running", updated_at=utcnow(), attempts=ExportJob.attempts + 1),
        execution_options={"synchronize_session": False})).rowcount
    job = s.get(ExportJob, job_id) if claimed else None
    return (_Attempt(job_id, job.attempts), job) if job is not None else None


def requeue_abandoned(job_id: int) -> bool:
    """Put a job whose runner died back in the queue, its partial file deleted; whether it was.

    A thread of a web process dies with the process — gunicorn recycles a worker after
    `max_requests`, a deploy reloads them all — and an RQ worker can be killed. Its job then
    stops heart-beating; whoever next looks at it (its page polls) starts it again from the
    first row, at most MAX_ATTEMPTS times, so an export that kills its runner is not retried
    for ever. The conditional UPDATE lets one caller win when several look at once.
    """
    now = utcnow()
    with _own_session() as own, write_transaction(own) as s:
        taken = cast(CursorResult[Any], s.execute(
            update(ExportJob).where(
                ExportJob.id == job_id, ExportJob.state.in_(("running", "queued")),
                ExportJob.updated_at < now - STALE_AFTER, ExportJob.expires_at >= now,
                ExportJob.attempts < MAX_ATTEMPTS)
            .values(state="queued", rows_written=0, updated_at=now),
            execution_options={"synchronize_session": False})).rowcount
        if taken:
            s.execute(delete(ExportChunk).where(ExportChunk.job_id == job_id))
    return bool(taken)


class _Heartbeat:
    """Marks the attempt alive every HEARTBEAT_SECONDS from a thread of its own, also while
    no row moves (an Excel file's zip at the end), so only a dead runner's job looks
    abandoned."""

    def __init__(self, attempt: _Attempt) -> None:
        self.attempt, self.stop = attempt, threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True,
                                       name=f"export-heartbeat-{attempt.job_id}")

    def __enter__(self) -> _Heartbeat:
        self.engine = db.engine
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stop.wait(HEARTBEAT_SECONDS):
            own = Session(self.engine)
            try:
                with write_transaction(own) as s:
                    self.attempt.touch(s)
            except Superseded:
                return
            except Exception:  # noqa: BLE001 - a missed beat is retried; the job goes on
                log.warning("export job %s: heartbeat not stored", self.attempt.job_id,
                            exc_info=True)
            finally:
                own.close()


def _finish(attempt: _Attempt, **values: Any) -> None:
    with _own_session() as own, write_transaction(own) as s:
        attempt.touch(s, finished_at=utcnow(), **values)


class _Progress:
    """Counts rows as they pass and stores the count about once a second."""

    def __init__(self, writer: Session, attempt: _Attempt) -> None:
        self.writer, self.attempt = writer, attempt
        self.rows, self._last = 0, time.monotonic()

    def count(self, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
        for row in rows:
            self.rows += 1
            if time.monotonic() - self._last >= PROGRESS_EVERY_SECONDS:
                self.save()
            yield row

    def save(self) -> None:
        self._last = time.monotonic()
        with write_transaction(self.writer) as s:
            self.attempt.touch(s, rows_written=self.rows)


class _ChunkStore:
    """Collects output and stores it as compressed chunks of CHUNK_BYTES raw bytes."""

    def __init__(self, writer: Session, attempt: _Attempt) -> None:
        self.writer, self.attempt = writer, attempt
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
            self.attempt.touch(s)
            s.add(ExportChunk(job_id=self.attempt.job_id, seq=self.seq,
                              data=zlib.compress(raw, 1)))
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
    """Write the job's file; how it ended: `done`, `failed`, `skipped` (another runner has it)
    or `superseded` (given up as abandoned meanwhile). Never raises for a failed export: the
    failure is the job's state."""
    with _own_session() as writer:
        with write_transaction(writer) as s:
            claimed = _claim(s, job_id)
            if claimed is None:
                return "skipped"
            attempt, job = claimed
            fmt, params = job.format, dict(job.params)
        progress, store = _Progress(writer, attempt), _ChunkStore(writer, attempt)
        try:
            with _Heartbeat(attempt):
                _export(fmt, params, progress, store)
                store.flush()
            now = utcnow()
            _finish(attempt, state="done", rows_written=progress.rows, size_bytes=store.size,
                    expires_at=now + retention())
            return "done"
        except Superseded:
            log.warning("export job %s: given up as abandoned, another runner has it", job_id)
            return "superseded"
        except Exception as exc:  # noqa: BLE001 - any failure is reported on the job's page
            log.exception("export job %s failed", job_id)
            writer.rollback()
            try:
                _finish(attempt, state="failed", error=f"{type(exc).__name__}: {exc}"[:200])
            except Superseded:
                return "superseded"
            return "failed"
        finally:
            db.session.rollback()


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
