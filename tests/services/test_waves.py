"""Waves: edits re-file assessments in one statement by the live rule, and never orphan any."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event, select

from survey.extensions import db
from survey.models import Assessment, AuditLog, Wave
from survey.services import responses as services
from survey.services import staff, waves
from tests.helpers import best_answers

DATES = {"dec": dt.datetime(2025, 12, 10, 4), "mar": dt.datetime(2026, 3, 10, 4),
         "aug": dt.datetime(2026, 8, 10, 4)}


@pytest.fixture
def dated(app: Flask) -> dict[str, int]:
    """Three assessments on known local dates, by name → response id."""
    return {name: services.create_submitted(best_answers(), now=when).id
            for name, when in DATES.items()}


def wave_names(ids: dict[str, int]) -> dict[str, str | None]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Assessment.response_id, Wave.name).outerjoin(Wave, Wave.id == Assessment.wave_id)
    ).all()
    by_id = {rid: name for rid, name in rows}
    return {name: by_id[rid] for name, rid in ids.items()}


def assert_matches_live_rule() -> None:
    """Every assessment sits where `services.wave_for` would put a new submission."""
    for a in db.session.scalars(select(Assessment)).all():
        expected = services.wave_for(db.session, a.local_date)
        assert a.wave_id == (expected.id if expected else None), a.local_date


@contextmanager
def counting_updates() -> Iterator[list[str]]:
    seen: list[str] = []
    engine = db.engine

    def before(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE ASSESSMENTS"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_waves_refile_assessments_by_the_live_rule(dated: dict[str, int]) -> None:
    assert set(wave_names(dated).values()) == {"Default wave"}
    with counting_updates() as updates:
        h1 = waves.create_wave(waves.WaveInput("2026 H1", dt.date(2026, 1, 1),
                                               dt.date(2026, 6, 30)), None)
    assert len(updates) == 1, "one UPDATE, not one per assessment"
    assert wave_names(dated) == {"dec": "Default wave", "mar": "2026 H1", "aug": "Default wave"}

    spring = waves.create_wave(waves.WaveInput("Spring", dt.date(2026, 3, 1),
                                               dt.date(2026, 3, 31)), None)
    assert wave_names(dated)["mar"] == "Spring"  # the latest-starting covering wave wins
    assert_matches_live_rule()

    waves.update_wave(spring.id, waves.WaveInput("Spring", dt.date(2026, 4, 1),
                                                 dt.date(2026, 4, 30)), None)
    assert wave_names(dated)["mar"] == "2026 H1"
    waves.update_wave(h1.id, waves.WaveInput("2026", dt.date(2026, 1, 1), None), None)
    assert wave_names(dated) == {"dec": "Default wave", "mar": "2026", "aug": "2026"}
    assert_matches_live_rule()

    waves.delete_wave(h1.id, None)
    assert wave_names(dated) == {"dec": "Default wave", "mar": "Default wave",
                                 "aug": "Default wave"}
    assert_matches_live_rule()
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["wave.create", "wave.create", "wave.update", "wave.update",
                       "wave.delete"]


def test_wave_dates_are_checked(app: Flask) -> None:
    with pytest.raises(staff.StaffError, match="end date"):
        waves.create_wave(waves.WaveInput("Bad", dt.date(2026, 5, 1), dt.date(2026, 4, 1)),
                          None)
    with pytest.raises(staff.StaffError, match="already exists"):
        waves.create_wave(waves.WaveInput("Default wave", dt.date(2026, 5, 1), None), None)


def test_a_wave_whose_assessments_would_be_orphaned_stays(dated: dict[str, int]) -> None:
    default = db.session.scalar(select(Wave).where(Wave.name == "Default wave"))
    assert default is not None
    waves.create_wave(waves.WaveInput("Later", dt.date(2026, 1, 1), None), None)
    with pytest.raises(staff.StaffError, match="no wave"):
        waves.delete_wave(default.id, None)
    with pytest.raises(staff.StaffError, match="no wave"):
        waves.update_wave(default.id, waves.WaveInput("Default wave", dt.date(2026, 1, 1),
                                                      None), None)
    db.session.rollback()
    assert wave_names(dated)["dec"] == "Default wave"


def test_one_wave_stays_open_ended(app: Flask) -> None:
    default = db.session.scalar(select(Wave))
    assert default is not None
    with pytest.raises(staff.StaffError, match="open-ended"):
        waves.update_wave(default.id, waves.WaveInput("Default wave", dt.date(2000, 1, 1),
                                                      dt.date(2030, 1, 1)), None)
    with pytest.raises(staff.StaffError, match="open-ended"):
        waves.delete_wave(default.id, None)


def test_the_refusal_to_delete_a_wave_is_known_beforehand(dated: dict[str, int]) -> None:
    """The page says why up front, by the same rules delete_wave enforces."""
    default = db.session.scalar(select(Wave).where(Wave.name == "Default wave"))
    assert default is not None
    only_open = waves.delete_wave_refusal(default.id)
    assert only_open is not None and "open-ended" in only_open
    later = waves.create_wave(waves.WaveInput("Later", dt.date(2026, 1, 1), None), None)
    orphans = waves.delete_wave_refusal(default.id)  # December 2025 has no other wave
    assert orphans is not None and "1 assessment would belong to no wave" in orphans
    with pytest.raises(staff.StaffError):
        waves.delete_wave(default.id, None)
    db.session.rollback()
    assert waves.delete_wave_refusal(later.id) is None  # its assessments fall back to default
    waves.delete_wave(later.id, None)


# --- passwords and API tokens ------------------------------------------------------------
