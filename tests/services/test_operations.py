"""rescore keeps the old result on record; purge removes only what has expired."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, update

from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, IdempotencyKey, Response, ScoreArchive, utcnow
from survey.services import cells, operations, starts
from survey.services import responses as services
from tests.helpers import best_answers, worst_answers


def _tamper(response_id: int) -> dict[str, object]:
    """Make an assessment look as if an older method had scored it."""
    a = db.session.scalar(select(Assessment).where(Assessment.response_id == response_id))
    assert a is not None
    old = {**a.result, "method_version": "2025.9", "overall": {"score": 1.0,
                                                               "level": "beginner"}}
    db.session.execute(update(Assessment).where(Assessment.id == a.id).values(
        method_version="2025.9", overall_score=1.0, overall_level="beginner", result=old))
    db.session.commit()
    return old


def test_rescore_archives_the_old_result_and_restores_current(app: Flask,
                                                             runner: FlaskCliRunner) -> None:
    changed = services.create_submitted(best_answers())
    untouched = services.create_submitted(worst_answers())
    current = changed.assessment.method_version
    current_score = changed.assessment.overall_score
    old = _tamper(changed.id)

    dry = runner.invoke(args=["rescore", "--dry-run"])
    assert dry.exit_code == 0 and "would change 1" in dry.output
    assert db.session.scalar(select(func.count()).select_from(ScoreArchive)) == 0

    result = runner.invoke(args=["rescore"])
    assert result.exit_code == 0, result.output
    assert "examined 2, changed 1" in result.output
    archive = db.session.scalars(select(ScoreArchive)).all()
    assert len(archive) == 1
    assert archive[0].method_version == "2025.9" and archive[0].result == old
    db.session.expire_all()
    a = db.session.scalar(select(Assessment).where(Assessment.response_id == changed.id))
    assert a is not None
    assert (a.method_version, a.overall_score) == (current, current_score)
    assert a.result["overall"]["score"] == current_score
    assert archive[0].assessment_id == a.id
    other = db.session.scalar(select(Assessment).where(Assessment.response_id == untouched.id))
    assert other is not None
    assert db.session.scalar(select(func.count()).select_from(ScoreArchive)
                             .where(ScoreArchive.assessment_id == other.id)) == 0
    again = operations.rescore()
    assert (again.examined, again.changed) == (2, 0)


def test_rescore_restores_every_derived_column_and_the_cells_follow(app: Flask) -> None:
    """Statuses, capabilities, gap splits, credit classes and bands are the method's too: a
    rescore that left them would show one firm under two methods."""
    stored = services.create_submitted(best_answers())
    a = db.session.scalar(select(Assessment).where(Assessment.response_id == stored.id))
    assert a is not None
    current = {c.key: getattr(a, c.key) for c in Assessment.__table__.columns}
    db.session.execute(update(Assessment).where(Assessment.id == a.id).values(
        method_version="2025.9", financing_status="not_applicable", financing_capability=3.0,
        financing_gap="mostly_internal", credit_constraint=None, revenue_band=None,
        assets_band=None, overseas_markets_status="insufficient"))
    db.session.commit()
    with write_transaction() as s:
        cells.rebuild(s)  # the tampering above went round the cells, as SQL by hand would

    assert operations.rescore().changed == 1
    db.session.expire_all()
    again = db.session.scalar(select(Assessment).where(Assessment.id == a.id))
    assert {c.key: getattr(again, c.key) for c in Assessment.__table__.columns} == current
    assert cells.differences(db.session()) == []


def test_rescore_works_in_batches(app: Flask) -> None:
    made = [services.create_submitted(best_answers()) for _ in range(5)]
    for r in made:
        _tamper(r.id)
    seen: list[int] = []
    report = operations.rescore(batch=2, progress=seen.append)
    assert seen == [2, 2, 1]
    assert report.changed == 5


def _draft(updated: dt.datetime, status: str = "draft") -> int:
    r = Response(token=services.new_token(), status=status, questionnaire_version="2026.1",
                 answers={}, created_at=updated, updated_at=updated)
    db.session.add(r)
    db.session.flush()
    starts.added(db.session(), [r.id])
    db.session.commit()
    return r.id


def test_purge_deletes_old_drafts_and_keys_only(app: Flask, runner: FlaskCliRunner) -> None:
    now = utcnow()
    old_draft = _draft(now - dt.timedelta(days=91))
    fresh_draft = _draft(now - dt.timedelta(days=89))
    old_submitted = services.create_submitted(best_answers(),
                                              now=now - dt.timedelta(days=400)).id
    for age, key in ((dt.timedelta(hours=25), "old"), (dt.timedelta(hours=1), "new")):
        db.session.add(IdempotencyKey(scope="api", key=key, request_hash="0" * 64,
                                      state="done", created_at=now - age))
    db.session.commit()

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 drafts, 1 idempotency keys and 0 expired export jobs" in result.output
    remaining = set(db.session.scalars(select(Response.id)).all())
    assert remaining == {fresh_draft, old_submitted}
    assert old_draft not in remaining
    assert db.session.scalars(select(IdempotencyKey.key)).all() == ["new"]

    shorter = runner.invoke(args=["purge", "--days", "30"])
    assert "deleted 1 drafts" in shorter.output
    assert set(db.session.scalars(select(Response.id)).all()) == {old_submitted}
    assert starts.differences(db.session()) == []
