"""The built wheel is complete: installed alone in a fresh virtual environment it serves pages.

templates/ and static/ live at the top level of the repository and only reach the package when
the wheel is built (pyproject.toml maps them in), so an editable install cannot show a missing
file; this builds the wheel, installs it with the locked runtime dependencies into a new
environment outside the checkout, creates the schema and requests a page and a static file.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SERVE = """
import sys
from pathlib import Path
import survey
assert Path(survey.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), survey.__file__
from survey import create_app
app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1]})
from flask_migrate import upgrade
with app.app_context():
    upgrade()
client = app.test_client()
page = client.get("/", headers={"Accept-Language": "zh-CN"})
css = client.get("/static/css/site.css")
print(page.status_code, css.status_code, "<html" in page.get_data(as_text=True))
"""


@pytest.mark.slow
def test_the_wheel_installs_alone_and_serves_a_page(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(dist), str(ROOT)], check=True, timeout=300)
    wheel = next(dist.glob("*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "runtime.lock")],
                   check=True, timeout=600)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, timeout=120)
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = subprocess.run([str(python), "-c", SERVE, str(work / "db.sqlite3")], cwd=work,
                          capture_output=True, text=True, timeout=120,
                          env={"SURVEY_INSTANCE_PATH": str(work / "instance"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["200", "200", "True"], done.stdout
