"""`questionnaire show` and `assess` (DESIGN.md §4): no database, fast, clear errors."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from survey.core.questionnaire import load_questionnaire, questionnaire_json
from survey.core.scoring import assess, assessment_json
from tests.helpers import worst_answers

ROOT = Path(__file__).resolve().parents[2]
Q = load_questionnaire()


@pytest.fixture
def cli(bare_app: Flask) -> FlaskCliRunner:
    return bare_app.test_cli_runner()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_questionnaire_show(cli: FlaskCliRunner, lang: str) -> None:
    result = cli.invoke(args=["questionnaire", "show", "--lang", lang])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == questionnaire_json(Q, lang)
    assert data["language"] == lang and data["version"] == Q.version
    assert [s["id"] for s in data["sections"]] == [s.id for s in Q.sections]
    if lang == "zh":
        assert "\\u" not in result.stdout   # Chinese printed as Chinese, not escapes


def test_questionnaire_show_rejects_other_languages(cli: FlaskCliRunner) -> None:
    assert cli.invoke(args=["questionnaire", "show", "--lang", "fr"]).exit_code == 2


def test_assess_one(cli: FlaskCliRunner) -> None:
    answers = worst_answers(Q)
    result = cli.invoke(args=["assess"], input=json.dumps({"answers": answers}))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == assessment_json(assess(Q, answers))
    assert data["id"] is None and data["benchmark"] is None
    assert {"id", "questionnaire_version", "method_version", "report_url", "overall", "areas",
            "recommendations", "benchmark"} <= set(data)
    assert set(data["overall"]) >= {"score", "level"}
    assert list(data["areas"]) == ["financing", "digital_technology", "overseas_markets"]
    for area in data["areas"].values():
        assert {"score", "level", "coverage", "environment"} <= set(area)
    assert sorted(r["id"] for r in data["recommendations"]) == sorted(
        r.id for r in Q.recommendations)
    for r in data["recommendations"]:
        assert {"id", "need", "priority", "drivers"} <= set(r)


def test_assess_a_list_from_a_file(cli: FlaskCliRunner, tmp_path: Path) -> None:
    answers = worst_answers(Q)
    best = {**answers, "fin_finance_obstacle": "none"}
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"answers": answers}, {"answers": best}]), encoding="utf-8")
    result = cli.invoke(args=["assess", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert data == [assessment_json(assess(Q, answers)), assessment_json(assess(Q, best))]
    assert json.loads(cli.invoke(args=["assess", "-"], input="[]").stdout) == []


def test_assess_invalid_answers_one_message_per_problem(cli: FlaskCliRunner) -> None:
    answers = {**worst_answers(Q), "fin_finance_obstacle": "bogus", "years_operating": -1,
               "nope": 1, "dig_core_systems": "erp"}
    del answers["industry"]
    result = cli.invoke(args=["assess"], input=json.dumps({"answers": answers}))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "error: the answers are not valid:"
    assert sorted(lines[1:]) == sorted([
        "  nope: Unknown question.",
        "  industry: This question is required.",
        "  years_operating: Enter a number of at least 0.",
        "  fin_finance_obstacle: “bogus” is not one of the options.",
        "  dig_core_systems: Expected a list of options.",
    ])


def test_assess_invalid_item_in_a_list_is_named(cli: FlaskCliRunner) -> None:
    good = {"answers": worst_answers(Q)}
    bad = {"answers": {**worst_answers(Q), "fin_finance_obstacle": 3}}
    result = cli.invoke(args=["assess"], input=json.dumps([good, bad, {"answer": {}}, 7]))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[1:] == [
        "  [1] fin_finance_obstacle: Choose one of the options.",
        '  [2] expected an object {"answers": {...}}',
        '  [3] expected an object {"answers": {...}}',
    ]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "error: the input is not valid JSON"),
        ("", "error: the input is not valid JSON"),
        ('{"answers": ', "error: the input is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "error: the input is not valid JSON"),
        ("1" * 5000, "error: the input is not valid JSON"),
        ('"just a string"', 'error: the answers are not valid:\n  expected an object'),
        ('{"answers": [1, 2]}', "answers: Answers must be an object keyed by question id."),
    ],
)
def test_assess_bad_input_exits_1_with_a_message(cli: FlaskCliRunner, payload: str,
                                                 message: str) -> None:
    result = cli.invoke(args=["assess"], input=payload)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output and len(result.stderr) < 2000


def test_assess_bad_utf8_file(cli: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"answers": {"x": "caf\u00e9"}}'.encode("latin-1"))
    result = cli.invoke(args=["assess", str(path)])
    assert result.exit_code == 1 and "not valid JSON" in result.stderr


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SURVEY_INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never-created.sqlite3'}"}


@pytest.mark.slow
def test_assess_command_is_fast_and_needs_no_database(tmp_path: Path) -> None:
    """Timed in CPU seconds of the child process: wall time on a busy CI runner measures the
    neighbours; the work done by `flask --app app assess` itself is what must stay small."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"answers": worst_answers(Q)}), encoding="utf-8")
    flask = Path(sys.executable).with_name("flask")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(flask), "--app", "app", "assess", str(path)], cwd=ROOT,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] is None
    assert not (tmp_path / "never-created.sqlite3").exists()
    print(f"flask --app app assess: {cpu:.2f} s CPU, {wall:.2f} s wall")
    assert cpu < 1.5


@pytest.mark.slow
def test_assess_runs_as_a_plugin_without_building_the_app(tmp_path: Path) -> None:
    """`assess` is a flask.commands entry point: the app (and its web stack) is never built."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"answers": worst_answers(Q)}), encoding="utf-8")
    flask = Path(sys.executable).with_name("flask")
    done = subprocess.run([sys.executable, "-X", "importtime", str(flask), "--app", "app",
                           "assess", str(path)], cwd=ROOT, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "survey.core.scoring" in imported
    assert not imported & {"survey.models", "survey.respondent", "flask_sqlalchemy", "plotly"}


@pytest.mark.slow
def test_the_fast_commands_do_not_import_plotly(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"answers": worst_answers(Q)}), encoding="utf-8")
    code = (
        "import json, sys\n"
        "from survey import create_app\n"
        "runner = create_app().test_cli_runner()\n"
        f"r1 = runner.invoke(args=['assess', {str(path)!r}])\n"
        "r2 = runner.invoke(args=['questionnaire', 'show'])\n"
        "print(json.dumps([r1.exit_code, r2.exit_code,"
        " sorted(m for m in sys.modules if m.split('.')[0] == 'plotly')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [0, 0, []]
