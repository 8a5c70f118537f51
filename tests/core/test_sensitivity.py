"""Weight sensitivity: seeded, routed synthetic firms, perturbed weights, and the CLI command."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from survey.core.answers import validate
from survey.core.questionnaire import load_questionnaire
from survey.core.scoring import assess
from survey.core.sensitivity import (
    perturbed,
    render_table,
    sensitivity,
    synthetic_answers,
    synthetic_sample,
    top_recommendation,
)
from tests.core.builder2027 import EXPORTERS, FIXTURE, PREPARING


def test_synthetic_firms_are_valid_routed_and_reproducible() -> None:
    sample = synthetic_sample(FIXTURE, 200, seed=7)
    assert sample == synthetic_sample(FIXTURE, 200, seed=7)
    assert sample != synthetic_sample(FIXTURE, 200, seed=8)
    for answers in sample:
        v = validate(FIXTURE, answers, require=False)
        assert v.ok and v.ignored == () and v.answers == answers, v.messages()
        status = answers.get("export_status")
        if "o_i1" in answers:
            assert status in EXPORTERS
        if "o_i2" in answers:
            assert status in PREPARING
    statuses = {a.get("export_status") for a in sample}
    assert {"no_plans", "considering", "exports_direct"} <= statuses
    employees = [a["employees"] for a in sample if "employees" in a]
    assert all(isinstance(e, int) and 0 <= e <= 1_000_000 for e in employees)
    assert min(employees) < 20 and max(employees) > 200


def test_perturbed_weights_stay_within_the_spread() -> None:
    rng = random.Random(1)
    variant = perturbed(FIXTURE, rng, 0.5)
    ratios = [variant.question(q.id).weight / q.weight for q in FIXTURE.scored_questions]
    assert all(0.5 <= r <= 1.5 for r in ratios) and len(set(ratios)) == len(ratios)
    assert [s.questions[0].weight for s in variant.sections] == [
        variant.question(s.questions[0].id).weight for s in variant.sections]
    assert variant.question("export_status") is FIXTURE.question("export_status")
    assert FIXTURE.question("f_i1").weight == 2           # the original is untouched
    unchanged = perturbed(FIXTURE, rng, 0.0)
    sample = synthetic_sample(FIXTURE, 30, seed=3)
    assert [assess(unchanged, a) for a in sample] == [assess(FIXTURE, a) for a in sample]


def test_no_spread_changes_nothing_and_the_report_is_reproducible() -> None:
    sample = synthetic_sample(FIXTURE, 40, seed=1)
    still = sensitivity(FIXTURE, sample, draws=5, seed=1, spread=0.0)
    assert still.top_changed_draws == 0 and set(still.level_changed_draws.values()) == {0}
    assert all(f.top_changed == 0 for f in still.firms)
    moved = sensitivity(FIXTURE, sample, draws=10, seed=1)
    assert moved == sensitivity(FIXTURE, sample, draws=10, seed=1)
    assert moved.n == 40 and moved.draws == 10
    assert 0 < moved.top_changed_draws <= moved.top_changed_firms <= 1
    for f in moved.firms:
        assert f.top == top_recommendation(assess(FIXTURE, sample[f.index]))
        assert all(x * 10 == int(x * 10) for x in f.level_changed.values())


def test_invalid_answer_sets_are_skipped() -> None:
    report = sensitivity(FIXTURE, [{"f_i1": "9"}, {"f_i1": "4"}], draws=2, seed=1)
    assert report.n == 1


def test_render_table() -> None:
    report = sensitivity(FIXTURE, synthetic_sample(FIXTURE, 20, seed=2), draws=4, seed=2,
                         source="synthetic sample")
    text = render_table(report, firms_max=3)
    assert text.startswith("Weight sensitivity: 20 firms (synthetic sample), 4 draws, every "
                           "weight × U(0.5, 1.5), seed 2")
    for label in ("financing level", "digital_technology level", "overseas_markets level",
                  "top recommendation", "Least stable firms"):
        assert label in text
    assert len(text.splitlines()) == 7 + 3 + 3      # summary, table head, three firms


def test_routing_of_the_current_questionnaire_is_respected_too() -> None:
    q = load_questionnaire()
    for answers in synthetic_sample(q, 50, seed=5):
        v = validate(q, answers, require=False)
        assert v.ok and v.ignored == ()
    assert synthetic_answers(q, random.Random(0)) == synthetic_answers(q, random.Random(0))


@pytest.fixture
def cli(bare_app: Flask) -> FlaskCliRunner:
    return bare_app.test_cli_runner()


def test_command_without_a_database_uses_a_synthetic_sample(cli: FlaskCliRunner) -> None:
    result = cli.invoke(args=["method", "sensitivity", "--draws", "3", "--sample", "15",
                              "--seed", "4", "--firms", "2"])
    assert result.exit_code == 0, result.output
    assert "15 firms (synthetic sample), 3 draws" in result.stdout
    expected = render_table(sensitivity(load_questionnaire(), synthetic_sample(
        load_questionnaire(), 15, 4), draws=3, seed=4, source="synthetic sample"), firms_max=2)
    assert result.stdout == expected
    assert cli.invoke(args=["method", "sensitivity", "--draws", "0"]).exit_code == 2
    bad = cli.invoke(args=["method", "sensitivity", "--version", "1999.9"])
    assert bad.exit_code == 1 and "no questionnaire of version '1999.9'" in bad.output


def test_command_uses_stored_real_assessments(app: Flask) -> None:
    from survey.services.responses import create_submitted
    from tests.helpers import best_answers, worst_answers

    for make in (best_answers, worst_answers, best_answers):
        create_submitted(make())
    result = app.test_cli_runner().invoke(args=["method", "sensitivity", "--draws", "2"])
    assert result.exit_code == 0, result.output
    assert "3 firms (stored real assessments), 2 draws" in result.stdout
