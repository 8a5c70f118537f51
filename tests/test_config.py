"""survey/config.py: every bad setting is refused with a line that names it and says what to do,
all of them at once; a good production configuration passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.config import (
    ConfigError,
    load,
    secret_problem,
    setting_problems,
    timezone_problem,
)
from tests.helpers import PRODUCTION, STRONG_SECRET


def test_a_good_production_configuration_passes(tmp_path: Path) -> None:
    assert setting_problems(PRODUCTION) == []
    cfg = load(str(tmp_path), {**PRODUCTION,
                               "DATABASE_URL": "postgresql://app@db.internal/survey"})
    assert cfg["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == 5
    assert cfg["SQLALCHEMY_ENGINE_OPTIONS"]["max_overflow"] == 5


def test_development_needs_nothing() -> None:
    assert setting_problems({}) == []


@pytest.mark.parametrize("secret", [
    "", "changeme", "k" * 40, "please-change-me-this-is-a-long-key-0123456789",
    "abc" * 15, "Qm3vX9pL2sT7wK4y"])
def test_weak_secrets_are_refused(secret: str) -> None:
    assert secret_problem(secret) is not None
    problems = setting_problems({**PRODUCTION, "SECRET_KEY": secret})
    assert len(problems) == 1 and problems[0].startswith("SECRET_KEY")
    assert "secrets.token_urlsafe" in problems[0]


def test_a_random_secret_passes() -> None:
    import secrets

    assert secret_problem(secrets.token_urlsafe(48)) is None
    assert secret_problem(STRONG_SECRET) is None


def test_production_needs_a_database_url() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    problems = setting_problems(env)
    assert len(problems) == 1 and problems[0].startswith("DATABASE_URL is required")


def test_unknown_time_zone_is_refused_in_every_environment() -> None:
    assert timezone_problem("Asia/Shanghai") is None
    assert timezone_problem("Europe/Berln") is not None
    for env in ({}, PRODUCTION):
        problems = setting_problems({**env, "SURVEY_TIMEZONE": "Europe/Berln"})
        assert problems == [timezone_problem("Europe/Berln")]
        assert "'Europe/Berln'" in problems[0]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    env = {"SURVEY_ENV": "production", "SECRET_KEY": "changeme",
           "SURVEY_TIMEZONE": "Mars/Olympus", "PRIVACY_MIN_GROUP": "ten",
           "STAFF_LOGIN_CODE_LIMIT": "often", "REPORT_PDF": "maybe",
           "FORWARDED_ALLOW_IPS": "10.0.0.1, proxy.internal"}
    problems = setting_problems(env)
    named = [p.split()[0].rstrip(":") for p in problems]
    assert named == ["SECRET_KEY", "DATABASE_URL", "SURVEY_TIMEZONE", "PRIVACY_MIN_GROUP",
                     "STAFF_LOGIN_CODE_LIMIT", "REPORT_PDF", "FORWARDED_ALLOW_IPS"]
    with pytest.raises(ConfigError) as caught:
        load(str(tmp_path), env)
    assert str(caught.value).splitlines() == problems


def test_every_setting_has_a_row_in_the_deploy_guide() -> None:
    from survey.config import setting_names

    guide = (Path(__file__).resolve().parent.parent / "docs" / "deploy.md").read_text()
    missing = [name for name in [*setting_names(), "SURVEY_INSTANCE_PATH"]
               if f"| `{name}` |" not in guide]
    assert missing == []


def test_the_example_environment_files_placeholder_is_refused() -> None:
    example = (Path(__file__).resolve().parent.parent / "deploy" / "survey.env.example")
    placeholder = next(line.split("=", 1)[1] for line in example.read_text().splitlines()
                       if line.startswith("SECRET_KEY="))
    assert secret_problem(placeholder) is not None


def test_export_job_settings_have_defaults_and_refuse_a_queue_that_is_not_redis(
        tmp_path: Path) -> None:
    from survey.config import load, setting_problems

    settings = load(str(tmp_path), {})
    assert settings["JOBS_REDIS_URL"] is None and settings["JOBS_QUEUE"] == "survey-exports"
    assert (settings["EXPORT_JOB_THRESHOLD"], settings["EXPORT_RETENTION_HOURS"]) == (5000, 24)
    assert setting_problems({"JOBS_REDIS_URL": "redis://cache:6379/1"}) == []
    assert setting_problems({"JOBS_REDIS_URL": "memory://"}) == [
        "JOBS_REDIS_URL must be a Redis URL (redis://host:6379/1), got 'memory://'"]
    assert setting_problems({"EXPORT_JOB_THRESHOLD": "many"}) == [
        "EXPORT_JOB_THRESHOLD must be a whole number, got 'many'"]
