"""Reading export jobs: one job's progress as the page and its script show it, a person's
recent jobs, and a finished file's bytes, one stored chunk at a time."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from survey.extensions import db
from survey.models import ExportChunk, ExportJob, utcnow

STALE_AFTER = dt.timedelta(seconds=60)
"""A job whose runner has not marked it alive for this long (it beats every 5 s) is taken
for abandoned: its process died (a worker recycled, a deploy, a killed RQ worker) or, queued,
its message never reached a runner. Looking at it starts it again."""
MAX_ATTEMPTS = 3
"""Runs of one job before it is left interrupted, so an export that kills its runner (memory,
a crash) is not restarted for ever."""
RECENT = 10


@dataclass(frozen=True)
class JobView:
    id: int
    owner_id: int
    format: str
    state: str
    """queued, running, done, failed, interrupted or expired."""
    abandoned: bool
    """Queued or running, but no runner has marked it alive lately: to be started again."""
    rows_written: int
    total_rows: int
    size_bytes: int | None
    error: str | None
    created_at: dt.datetime
    expires_at: dt.datetime

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return min(99, self.rows_written * 100 // self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.state not in ("queued", "running")


def _view(job: ExportJob, now: dt.datetime) -> JobView:
    state = job.state
    abandoned = state in ("queued", "running") and job.updated_at < now - STALE_AFTER
    if job.expires_at < now:
        state, abandoned = "expired", False
    elif abandoned and job.attempts >= MAX_ATTEMPTS:
        state, abandoned = "interrupted", False
    return JobView(id=job.id, owner_id=job.owner_id, format=job.format, state=state,
                   abandoned=abandoned,
                   rows_written=job.rows_written, total_rows=job.total_rows,
                   size_bytes=job.size_bytes, error=job.error, created_at=job.created_at,
                   expires_at=job.expires_at)


def job(job_id: int, now: dt.datetime | None = None) -> JobView | None:
    found = db.session.get(ExportJob, job_id, populate_existing=True)
    return _view(found, now or utcnow()) if found is not None else None


def recent(owner_id: int, now: dt.datetime | None = None) -> list[JobView]:
    """The person's jobs that have not expired, newest first."""
    now = now or utcnow()
    found = db.session.scalars(
        select(ExportJob).where(ExportJob.owner_id == owner_id, ExportJob.expires_at >= now)
        .order_by(ExportJob.id.desc()).limit(RECENT))
    return [_view(j, now) for j in found]


def file_chunks(job_id: int) -> Iterator[bytes]:
    """The file's bytes in order, reading one stored chunk at a time (by key, not a cursor
    held open across the whole download)."""
    seq = 0
    while True:
        data = db.session.scalar(select(ExportChunk.data).where(
            ExportChunk.job_id == job_id, ExportChunk.seq == seq))
        db.session.rollback()
        if data is None:
            return
        yield zlib.decompress(data)
        seq += 1
