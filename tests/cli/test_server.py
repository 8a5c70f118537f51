"""`flask check-config`: effective settings with secrets masked, and every problem with exit 1 —
also when the settings are too broken for the app to load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.cli.server import check_config_command, masked
from tests.helpers import PRODUCTION, STRONG_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> tuple[int, str, str]:
    for name in ("SURVEY_ENV", "SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI",
                 "WEB_CONCURRENCY", "SURVEY_TIMEZONE", "REPORT_PDF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(check_config_command, [])
    return result.exit_code, result.stdout, result.stderr


def test_a_good_configuration_prints_every_setting_masked(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, err = _run(monkeypatch, tmp_path, **{
        **PRODUCTION, "DATABASE_URL": "postgresql://survey:hunter2@db.internal/survey",
        "RATELIMIT_STORAGE_URI": "redis://:redispw@cache:6379/0", "REPORT_PDF": "0",
        "WEB_CONCURRENCY": "3"})
    assert code == 0, err
    assert STRONG_SECRET not in out and "hunter2" not in out and "redispw" not in out
    assert f"* SECRET_KEY = <set, {len(STRONG_SECRET)} characters>" in out
    assert "* DATABASE_URL = postgresql+psycopg://survey:***@db.internal/survey" in out
    assert "  PRIVACY_MIN_GROUP = 10" in out
    assert "up to 10 per worker, 30 for this host's 3 workers" in out
    assert out.rstrip().endswith("No problems found.")


def test_problems_exit_1_one_line_each(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, err = _run(monkeypatch, tmp_path, SURVEY_ENV="production",
                          SECRET_KEY="changeme", SURVEY_TIMEZONE="Europe/Berln",
                          WEB_CONCURRENCY="4")
    assert code == 1
    assert "* SECRET_KEY = <set, 8 characters>" in out  # the settings, beside the problems
    assert "* SURVEY_TIMEZONE = Europe/Berln" in out and "SURVEY_INSTANCE_PATH" in out
    lines = [line.split()[1] for line in err.splitlines() if line.startswith("Error:")]
    assert lines == ["SECRET_KEY", "DATABASE_URL", "SURVEY_TIMEZONE", "RATELIMIT_STORAGE_URI"]


def test_it_runs_when_the_app_cannot_load(tmp_path: Path) -> None:
    """A plugin command: `flask --app app check-config` works although `app` fails to import."""
    env = {"PATH": "/usr/bin:/bin", "SURVEY_INSTANCE_PATH": str(tmp_path),
           "SURVEY_ENV": "production", "SECRET_KEY": "changeme"}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app",
                           "check-config"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "Error: SECRET_KEY is too weak" in done.stderr
    assert "Traceback" not in done.stderr


def test_masking() -> None:
    assert masked("SECRET_KEY", "abc") == "<set, 3 characters>"
    assert masked("SECRET_KEY_FALLBACKS", []) == "<not set>"
    assert masked("DATABASE_URL", "postgresql://u:p@h/d") == "postgresql://u:***@h/d"
    assert masked("DATABASE_URL", "postgresql://u@h/d") == "postgresql://u@h/d"


def test_version_names_the_release_schema_and_method() -> None:
    from survey.cli.server import version_command
    from survey.release import migration_head, release

    out = CliRunner().invoke(version_command, []).stdout
    assert f"SME Digital Readiness Survey {release()}" in out and release() != "unknown"
    assert f"migration {migration_head()}" in out and "method 2027.1" in out
