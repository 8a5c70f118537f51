"""Maintenance jobs: re-scoring stored assessments, purging abandoned drafts and old keys.

Both work in batches inside short write transactions, so they can run beside a live site: a
submission waits for at most one batch, never for the whole job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, insert, select, update

from survey.core.columns import profile_columns, scored_columns
from survey.core.questionnaire import Questionnaire, QuestionnaireError, load_questionnaire
from survey.core.scoring import assess
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, IdempotencyKey, Response, ScoreArchive, utcnow
from survey.services import cells, export_jobs, idempotency, starts
from survey.services.staff import audit

RESCORE_BATCH = 1000
PURGE_BATCH = 10_000
"""Drafts per DELETE: each id is a parameter, and SQLite takes at most 32,766."""

A = Assessment
_FIXED_AT_SUBMIT = frozenset({
    "id", "response_id", "questionnaire_version", "is_demo", "submitted_at", "local_date",
    "month", "wave_id", "duration_seconds",
})
# Columns a re-score may change: every column but those the submission itself fixed, i.e.
# everything `scored_columns` and `profile_columns` produce (statuses, capabilities, credit
# classes and bands included: left behind, the dashboard would mix two methods in one row).
_COMPARED = tuple(c.key for c in A.__table__.columns if c.key not in _FIXED_AT_SUBMIT)


@dataclass
class RescoreReport:
    examined: int = 0
    changed: int = 0
    skipped: int = 0


def _fresh(q: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    cols = scored_columns(assess(q, answers, check=False))
    cols.pop("questionnaire_version", None)
    cols.update(profile_columns(answers))
    return cols


def rescore(dry_run: bool = False, batch: int = RESCORE_BATCH,
            progress: Callable[[int], None] | None = None) -> RescoreReport:
    """Recompute every assessment with the current method of its questionnaire version.

    A changed assessment keeps its old result in `score_archive` (with the old method
    version) before the new scores replace it, so an earlier report can still be explained.
    """
    report = RescoreReport()
    cols = [getattr(A, c) for c in _COMPARED]
    last_id = 0
    questionnaires: dict[str, Questionnaire | None] = {}
    while True:
        rows = db.session.execute(
            select(A.id, A.questionnaire_version, *cols, Response.answers)
            .join(Response, Response.id == A.response_id)
            .where(A.id > last_id).order_by(A.id).limit(batch)
        ).all()
        db.session.rollback()
        if not rows:
            break
        last_id = rows[-1].id
        updates, archives = [], []
        for row in rows:
            version = row.questionnaire_version
            if version not in questionnaires:
                try:
                    questionnaires[version] = load_questionnaire(version)
                except QuestionnaireError:
                    questionnaires[version] = None
            q = questionnaires[version]
            if q is None:
                report.skipped += 1
                continue
            new = _fresh(q, row.answers or {})
            old = {c: getattr(row, c) for c in _COMPARED}
            if all(new.get(c) == old[c] for c in _COMPARED):
                continue
            archives.append({"assessment_id": row.id, "method_version": row.method_version,
                             "result": row.result, "archived_at": utcnow()})
            updates.append({"id": row.id, **{c: new[c] for c in _COMPARED if c in new}})
        report.examined += len(rows)
        report.changed += len(updates)
        if updates and not dry_run:
            with write_transaction() as s:
                s.execute(insert(ScoreArchive), archives)
                with cells.changing(s, [u["id"] for u in updates]):
                    s.execute(update(Assessment), updates)
                audit(s, None, "operations.rescore", None,
                      {"assessments": len(updates), "first_id": rows[0].id,
                       "last_id": rows[-1].id})
        if progress:
            progress(len(rows))
    return report


@dataclass
class PurgeReport:
    drafts: int
    idempotency_keys: int
    export_jobs: int = 0


def purge(days: int | None = None, now: dt.datetime | None = None) -> PurgeReport:
    """Delete drafts untouched for `days` (DRAFT_RETENTION_DAYS), keys older than 24 h and
    export jobs past their expiry (EXPORT_RETENTION_HOURS after they finished), files too."""
    now = now or utcnow()
    days = days if days is not None else int(current_app.config.get("DRAFT_RETENTION_DAYS", 90))
    draft_cutoff = now - dt.timedelta(days=days)
    key_cutoff = now - idempotency.TTL
    with write_transaction() as s:
        # The drafts are taken by id and held (FOR UPDATE on PostgreSQL; SQLite's write
        # transaction holds everything), so the starts taken away are exactly the rows deleted:
        # a draft submitted or saved meanwhile is neither.
        stale = s.scalars(select(Response.id).where(
            Response.status == "draft", Response.updated_at < draft_cutoff,
        ).with_for_update()).all()
        starts.removed(s, stale, locked=True)
        drafts = 0
        for first in range(0, len(stale), PURGE_BATCH):
            # A bulk DELETE returns a CursorResult (with its rowcount); Session.execute is
            # typed to return the plain Result of any statement.
            drafts += cast(CursorResult[Any], s.execute(
                delete(Response).where(Response.id.in_(stale[first:first + PURGE_BATCH])),
                execution_options={"synchronize_session": False},
            )).rowcount
        keys = cast(CursorResult[Any], s.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < key_cutoff),
            execution_options={"synchronize_session": False},
        )).rowcount
        jobs = export_jobs.purge_expired(s, now)
        audit(s, None, "operations.purge", None,
              {"drafts": drafts, "idempotency_keys": keys, "export_jobs": jobs, "days": days})
    return PurgeReport(drafts=drafts, idempotency_keys=keys, export_jobs=jobs)
