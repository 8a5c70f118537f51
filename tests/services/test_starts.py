"""survey.services.starts: after any mix of writes `response_starts` equals a recomputation from
the responses, on SQLite and PostgreSQL, and a write outside the app is found and mended."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, update

from survey.aggregates import ResponseStart
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Response
from survey.services import demo, operations, programmes, responses, staff, starts
from tests.helpers import random_answers

FIRST_DAY = dt.datetime(2025, 11, 28)
"""Starts fall on the 70 days from here: across month ends and the turn of a year."""


def assert_starts_agree() -> None:
    db.session.rollback()
    assert starts.differences(db.session()) == []


def _moment(rng: random.Random) -> dt.datetime:
    """A start time, often a moment either side of a UTC midnight."""
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(70))
    edge = rng.choice((dt.timedelta(0), dt.timedelta(microseconds=-1),
                       dt.timedelta(seconds=rng.randrange(86_400))))
    return day + edge


def _dated_start(rng: random.Random) -> None:
    """Web drafts begun on given days, some demo (a start's day cannot be chosen through
    `start_response`, so the rows are written here and counted as it counts them), left
    untouched since, so a purge may take them."""
    with write_transaction() as s:
        made = []
        for _ in range(rng.randint(1, 4)):
            when = _moment(rng)
            made.append(Response(token=responses.new_token(), questionnaire_version="2027.1",
                                 language="en", answers={}, source="web",
                                 is_demo=rng.random() < 0.3, created_at=when, updated_at=when))
        s.add_all(made)
        s.flush()
        starts.added(s, [r.id for r in made])


def _web_start(rng: random.Random) -> None:
    responses.start_response(rng.choice(("en", "zh")), "2027.1")


def _drafts() -> list[str]:
    tokens = db.session.scalars(select(Response.token).where(Response.status == "draft")
                                .order_by(Response.id)).all()
    db.session.rollback()
    return list(tokens)


def _web_submit(rng: random.Random) -> None:
    """Submit some drafts (the dated ones too: the day they began stays theirs)."""
    drafts = _drafts()
    for token in rng.sample(drafts, min(len(drafts), rng.randint(1, 3))):
        with write_transaction() as s:
            s.execute(update(Response).where(Response.token == token).values(
                answers=random_answers(rng.randrange(10_000))))
        responses.submit(token, now=_moment(rng) + dt.timedelta(days=1))


def _web_whole(rng: random.Random) -> None:
    """A web response stored whole (as the tests and imports do) on a given day."""
    responses.create_submitted(random_answers(rng.randrange(10_000)), source="web",
                               now=_moment(rng))


def _api_submit(rng: random.Random) -> None:
    responses.create_submitted(random_answers(rng.randrange(10_000)), now=_moment(rng))


def _demo(rng: random.Random) -> None:
    for _ in demo.seed(rng.randint(1, 6), seed=rng.randrange(10_000), workers=1):
        pass


def _follow_up(rng: random.Random) -> None:
    reports = db.session.scalars(select(Response).where(Response.status == "submitted",
                                                        Response.source == "web")).all()
    if reports:
        programmes.start_follow_up(rng.choice(reports), ["industry", "province"], "en",
                                   "2027.1")
    db.session.rollback()


def _delete(rng: random.Random) -> None:
    rows = db.session.execute(select(Response.id, Response.token)).all()
    db.session.rollback()
    for row in rng.sample(rows, min(len(rows), rng.randint(1, 3))):
        if rng.random() < 0.5:
            assert responses.delete_response(row.token)
        else:
            assert staff.delete_response(row.id, None)


def _purge(rng: random.Random) -> None:
    # At a moment of the starts' own calendar, so the same seed purges the same drafts on any
    # day and at any hour the tests run.
    operations.purge(days=0, now=FIRST_DAY + dt.timedelta(days=rng.randint(0, 70)))


STEPS: dict[str, Callable[[random.Random], None]] = {
    "dated": _dated_start, "start": _web_start, "submit": _web_submit, "whole": _web_whole,
    "api": _api_submit, "demo": _demo, "follow_up": _follow_up, "delete": _delete,
    "purge": _purge,
}


def random_writes(rng: random.Random, count: int,
                  after: Callable[[list[str]], None] | None = None) -> list[str]:
    """`count` writes chosen at random, the first two starting responses on given days;
    `after` runs after each with the steps done so far."""
    done: list[str] = []
    for i in range(count):
        step = "dated" if i < 2 else rng.choice(list(STEPS))
        STEPS[step](rng)
        done.append(step)
        if after is not None:
            after(done)
    return done


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_starts_equal_a_recomputation_after_random_writes(app: Flask, seed: int) -> None:
    def check(done: list[str]) -> None:
        db.session.rollback()
        assert starts.differences(db.session()) == [], done

    random_writes(random.Random(seed), 24, check)
    assert db.session.scalar(select(func.sum(ResponseStart.n))) is not None


def test_the_last_start_of_a_key_taken_away_removes_its_row(app: Flask) -> None:
    draft = responses.start_response("en", "2027.1")
    assert db.session.execute(select(ResponseStart.status, ResponseStart.n)).all() == [
        ("draft", 1)]
    responses.submit(draft.token)
    db.session.rollback()
    rows = db.session.execute(select(ResponseStart.status, ResponseStart.n)).all()
    assert rows == [("submitted", 1)]
    report = db.session.scalar(select(Response.token))
    assert responses.delete_response(report)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ResponseStart)) == 0


def test_api_and_demo_responses_are_not_starts(app: Flask) -> None:
    responses.create_submitted(random_answers(3))
    for _ in demo.seed(5, seed=1, workers=1):
        pass
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ResponseStart)) == 0
    assert_starts_agree()


def test_a_write_outside_the_app_is_found_by_check_and_mended_by_rebuild(
        app: Flask, runner: FlaskCliRunner) -> None:
    random_writes(random.Random(7), 8)
    responses.start_response("en", "2027.1")
    with write_transaction() as s:  # SQL by hand: the table is not told
        s.execute(update(Response).where(Response.status == "draft").values(status="submitted"))
    db.session.rollback()
    problems = starts.differences(db.session())
    assert problems and all(p.startswith("response_starts: ") for p in problems)
    db.session.rollback()

    checked = runner.invoke(args=["cells", "check"])
    assert checked.exit_code == 1
    assert "response_starts: " in checked.output and "cells rebuild" in checked.output

    rebuilt = runner.invoke(args=["cells", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "response starts " in rebuilt.output
    assert_starts_agree()
    again = runner.invoke(args=["cells", "check"])
    assert again.exit_code == 0, again.output
    assert "the response starts agree with the responses" in again.output
