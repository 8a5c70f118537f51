"""deploy/: the systemd units pass `systemd-analyze verify`, the compose file parses and runs
every service the docs name, and the environment file holds only settings the app knows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from survey.config import setting_names
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _installed(tmp_path: Path, name: str) -> Path:
    """A unit as it would be installed, pointing at this checkout instead of /opt/survey."""
    venv = Path(sys.executable).parent.parent
    text = ((DEPLOY / "systemd" / name).read_text()
            .replace("/opt/survey/.venv", str(venv)).replace("/opt/survey", str(ROOT))
            .replace("/etc/survey/survey.env", str(DEPLOY / "survey.env.example")))
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("units", [["survey.service"], ["survey-worker.service"],
                                   ["survey-purge.service", "survey-purge.timer"]])
def test_systemd_units_verify(tmp_path: Path, units: list[str]) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        skip_or_fail("systemd-analyze is not available here")
    paths = [_installed(tmp_path, name) for name in units]
    done = subprocess.run([analyze, "verify", *map(str, paths)], capture_output=True, text=True,
                          timeout=60)
    # verify exits 0 after mere warnings (an unknown key, a bad value): any output is a finding.
    findings = [line for line in done.stderr.splitlines() if str(tmp_path) in line]
    assert done.returncode == 0 and findings == [], done.stderr


def test_compose_names_every_service_and_shares_one_env_file() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"app", "worker", "purge", "db", "redis", "nginx", "migrate"} <= set(services)
    for name in ("app", "worker", "purge", "migrate"):
        assert services[name]["env_file"] == "survey.env"  # one SECRET_KEY for all of them
        assert services[name]["build"]["dockerfile"] == "deploy/docker/Dockerfile"
    assert "ports" not in services["app"]  # only nginx can reach gunicorn
    assert services["worker"]["command"] == ["flask", "--app", "app", "jobs", "worker"]
    assert services["app"]["environment"]["JOBS_REDIS_URL"].startswith("redis://redis:")
    assert (DEPLOY / "docker" / "Dockerfile").is_file()
    nginx_mounts = " ".join(services["nginx"]["volumes"])
    assert "./nginx/survey.conf" in nginx_mounts
    # No default database password, and no secret in the image.
    assert "${POSTGRES_PASSWORD:?" in services["db"]["environment"]["POSTGRES_PASSWORD"]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"deploy/survey.env", "deploy/.env", "deploy/tls", ".git", "instance"} <= set(ignored)


def test_environment_file_sets_only_known_settings() -> None:
    known = set(setting_names()) | {"SURVEY_INSTANCE_PATH"}
    names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (DEPLOY / "survey.env.example").read_text(),
                       re.MULTILINE)
    assert names and set(names) <= known, set(names) - known
