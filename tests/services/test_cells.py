"""survey.services.cells: after any mix of writes the cells equal a recomputation from the
assessments, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from flask import Flask
from sqlalchemy import select, update

from survey.aggregates import CELL_TABLES, SCORE_COUNTS
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.services import cells, demo, operations, responses, waves
from tests.helpers import add_rows, random_answers, synthetic_2027


def assert_cells_agree() -> None:
    db.session.rollback()
    assert cells.differences(db.session()) == []


def _web_submit(rng: random.Random) -> None:
    draft = responses.start_response("zh", "2027.1")
    with write_transaction() as s:
        s.execute(update(Response).where(Response.id == draft.id).values(
            answers=random_answers(rng.randrange(10_000))))
    responses.submit(draft.token)


def _api_submit(rng: random.Random) -> None:
    responses.create_submitted(random_answers(rng.randrange(10_000)))


def _bulk(rng: random.Random) -> None:
    add_rows(synthetic_2027(rng.randint(1, 25), seed=rng.randrange(10_000),
                            demo=rng.random() < 0.3))


def _demo(rng: random.Random) -> None:
    for _ in demo.seed(rng.randint(1, 15), seed=rng.randrange(10_000), workers=1):
        pass


def _delete(rng: random.Random) -> None:
    tokens = db.session.scalars(select(Response.token).where(
        Response.status == "submitted")).all()
    db.session.rollback()
    for token in rng.sample(tokens, min(len(tokens), rng.randint(1, 4))):
        assert responses.delete_response(token)


def _rescore(rng: random.Random) -> None:
    # Bulk rows carry no answers, so rescoring them changes their scores; a small batch makes
    # the job run several transactions.
    operations.rescore(batch=rng.randint(3, 40))


def _waves(rng: random.Random) -> None:
    start = dt.date(2025, rng.randint(1, 12), 1)
    name = f"Wave {rng.randrange(10**9)}"
    wave = waves.create_wave(waves.WaveInput(name, start, start + dt.timedelta(days=90)), None)
    if rng.random() < 0.5:
        waves.update_wave(wave.id, waves.WaveInput(name, start - dt.timedelta(days=40),
                                                   start + dt.timedelta(days=200)), None)
    if rng.random() < 0.5:
        waves.delete_wave(wave.id, None)


STEPS = {"web": _web_submit, "api": _api_submit, "bulk": _bulk, "demo": _demo,
         "delete": _delete, "rescore": _rescore, "waves": _waves}


# The third seed runs on SQLite only: the same Python writes, whose SQL the first two check on
# PostgreSQL (it is one of the suite's longest tests there).
@pytest.mark.parametrize("seed", [1, 2, pytest.param(3, marks=pytest.mark.sqlite_only)])
def test_cells_equal_a_recomputation_after_random_writes(app: Flask, seed: int) -> None:
    rng = random.Random(seed)
    done = []
    for _ in range(14):
        step = rng.choice(list(STEPS))
        STEPS[step](rng)
        done.append(step)
        assert_cells_agree(), done
    assert db.session.scalar(select(Assessment.id).limit(1)) is not None


def test_taking_the_last_assessment_of_a_cell_away_removes_the_cell(app: Flask) -> None:
    response = responses.create_submitted(random_answers(7))
    assert all(db.session.scalar(select(t.c.n)) == 1 for t in CELL_TABLES.values())
    assert set(db.session.scalars(select(SCORE_COUNTS.c.n))) == {1}
    assert responses.delete_response(response.token)
    db.session.rollback()
    assert all(db.session.scalar(select(t.c.id).limit(1)) is None
               for t in CELL_TABLES.values())
    assert db.session.scalar(select(SCORE_COUNTS.c.n).limit(1)) is None


def test_a_write_outside_the_app_is_found_by_check_and_mended_by_rebuild(app: Flask) -> None:
    add_rows(synthetic_2027(30, seed=5))
    with write_transaction() as s:
        s.execute(update(Assessment).values(region="west"))  # SQL by hand: cells not told
    db.session.rollback()
    problems = cells.differences(db.session())
    assert problems and any("region" in p or "cell" in p for p in problems)
    with write_transaction() as s:
        sizes = cells.rebuild(s)
    assert sizes["all"] >= 1 and sizes["period"] >= 1
    assert_cells_agree()


def test_a_wave_deleted_moves_its_assessments_cells_to_the_covering_wave(app: Flask) -> None:
    add_rows(synthetic_2027(40, seed=9))
    wave = waves.create_wave(waves.WaveInput("Spring", dt.date(2025, 1, 1),
                                             dt.date(2026, 12, 31)), None)
    assert_cells_agree()
    waves.delete_wave(wave.id, None)
    assert_cells_agree()
    default = db.session.scalar(select(Wave.id).where(Wave.name == "Default wave"))
    table = CELL_TABLES["period"]
    assert set(db.session.scalars(select(table.c.wave_id).distinct())) == {default}


def test_score_counts_changed_by_hand_are_found_and_mended(app: Flask) -> None:
    """Both ways round: a count edited, and a score edited without the counts being told."""
    add_rows(synthetic_2027(30, seed=6))
    assert_cells_agree()
    with write_transaction() as s:
        s.execute(update(SCORE_COUNTS).where(SCORE_COUNTS.c.metric == "financing")
                  .values(n=SCORE_COUNTS.c.n + 1))
    db.session.rollback()
    problems = cells.differences(db.session())
    assert problems and all(p.startswith("score_counts:") and "'financing'" in p
                            for p in problems)
    with write_transaction() as s:
        cells.rebuild(s)
        s.execute(update(Assessment).where(Assessment.overall_score.is_not(None))
                  .values(overall_score=Assessment.overall_score + 0.05))
    db.session.rollback()
    assert any(p.startswith("score_counts:") and "'overall'" in p
               for p in cells.differences(db.session()))
    with write_transaction() as s:
        assert cells.rebuild(s)["score_counts"] >= 1
    assert_cells_agree()
