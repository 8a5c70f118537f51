"""Demo data: valid answers, plausible patterns, bulk insertion, never in production."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from survey.core.answers import validate
from survey.core.questionnaire import load_questionnaire
from survey.core.scoring import assess, assessment_json
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.services import demo


def test_demo_answers_are_valid_and_stored_as_validated() -> None:
    q = load_questionnaire()
    rng = random.Random(7)
    for _ in range(400):
        answers = demo.synth_answers(q, rng)
        v = validate(q, answers)
        assert v.ok, v.messages()
        assert v.answers == answers


def test_demo_firms_follow_the_expected_patterns() -> None:
    """Bigger firms are more digital, direct exporters stronger abroad than firms only
    considering it, firms with no export plans are not scored on overseas markets, and the
    credit-constraint classes come out in plausible shares."""
    q = load_questionnaire()
    rng = random.Random(11)
    digital: dict[str, list[float]] = {"small": [], "big": []}
    overseas: dict[str, list[float]] = {"exports_direct": [], "considering": []}
    classes: Counter[str] = Counter()
    for _ in range(800):
        answers = demo.synth_answers(q, rng)
        scored = assess(q, answers, check=False)
        d = scored.areas["digital_technology"].score
        if d is not None:
            digital["big" if answers["employees"] >= 100 else "small"].append(d)
        area = scored.areas["overseas_markets"]
        if answers["export_status"] == "no_plans":
            assert area.status == "not_applicable"
        elif area.score is not None and answers["export_status"] in overseas:
            overseas[answers["export_status"]].append(area.score)
        classes[scored.indicators["credit_constraint"]] += 1
    assert statistics.mean(digital["big"]) > statistics.mean(digital["small"]) + 10
    assert statistics.mean(overseas["exports_direct"]) > statistics.mean(
        overseas["considering"]) + 15
    assert {"no_need", "not_constrained", "partially_constrained", "fully_constrained"} <= set(
        classes)
    assert 0.1 < classes["no_need"] / 800 < 0.5
    assert classes["unknown"] / 800 < 0.1


def test_chunks_are_repeatable_and_the_same_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "CHUNK", 10)
    monkeypatch.setattr(demo, "PARALLEL_FROM", 0)
    today = dt.date(2026, 6, 1)

    def answers(workers: int) -> list[dict[str, object]]:
        return [r["answers"] for chunk in demo.chunks(30, 5, today, "Asia/Shanghai", workers)
                for r, _ in chunk]

    serial = answers(0)  # in this process
    assert len(serial) == 30
    assert answers(0) == serial
    assert answers(1) == serial and answers(2) == serial


def test_seed_inserts_flagged_rows_spread_over_waves_and_months(
        app: Flask, runner: FlaskCliRunner) -> None:
    db.session.add(Wave(name="Recent", starts_on=dt.date.today() - dt.timedelta(days=180)))
    db.session.commit()
    result = runner.invoke(args=["demo", "seed", "--count", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "inserted 120 demo assessments" in result.output
    count = db.session.scalar(select(func.count()).select_from(Assessment)
                              .where(Assessment.is_demo.is_(True)))
    assert count == 120
    assert db.session.scalar(select(func.count()).select_from(Response)
                             .where(Response.is_demo.is_(True),
                                    Response.status == "submitted")) == 120
    waves = db.session.scalars(select(Wave.name).join(Assessment, Assessment.wave_id == Wave.id)
                               .distinct()).all()
    assert set(waves) == {"Default wave", "Recent"}
    assert db.session.scalar(select(func.count(Assessment.month.distinct()))) >= 12
    regions = dict(db.session.execute(select(Assessment.region, func.count())
                                      .group_by(Assessment.region)).all())
    assert regions["east"] == max(regions.values())
    a = db.session.scalar(select(Assessment).limit(1))
    assert a is not None and a.response.answers and a.result["overall"] is not None


def test_every_seeded_row_is_its_own_firm_scored_and_flagged(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Across several chunks, each assessment belongs to the response whose answers it
    scores (rows are matched by token after the batched insert), and both are flagged demo."""
    monkeypatch.setattr(demo, "CHUNK", 7)
    assert sum(demo.seed(30, seed=4, workers=1)) == 30
    q = load_questionnaire()
    rows = db.session.execute(select(Assessment, Response)
                              .join(Response, Assessment.response_id == Response.id)).all()
    assert len(rows) == 30 == len({a.response_id for a, _ in rows})
    for a, r in rows:
        assert a.is_demo and r.is_demo and r.status == "submitted"
        scored = assess(q, r.answers, check=False)
        assert a.overall_score == scored.overall_score
        assert a.result == assessment_json(scored)
        assert a.financing_score == scored.areas["financing"].score
        assert a.wave_id is not None


def test_seed_refuses_in_production(app: Flask, runner: FlaskCliRunner) -> None:
    app.config["SURVEY_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed", "--count", "5"])
    assert result.exit_code == 1
    assert "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    with pytest.raises(demo.DemoRefused):
        next(demo.seed(5))
