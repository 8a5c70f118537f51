"""`flask programmes import` / `export`: the directory round-trips through CSV, a bad file
stores nothing, and the import is audited."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, Programme
from tests.helpers import count

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "programmes.csv"


def test_directory_round_trips_through_csv(runner: FlaskCliRunner, tmp_path: Path) -> None:
    first = runner.invoke(args=["programmes", "import", str(EXAMPLES)])
    assert first.exit_code == 0, first.output
    assert "created 7" in first.output
    exported = runner.invoke(args=["programmes", "export"])
    assert exported.exit_code == 0
    path = tmp_path / "again.csv"
    path.write_text(exported.output, encoding="utf-8")
    again = runner.invoke(args=["programmes", "import", str(path)])
    assert "created 0, updated 0, unchanged 7" in again.output
    assert runner.invoke(args=["programmes", "export"]).output == exported.output
    # The export holds every field as the example file wrote it.
    assert exported.output.splitlines()[0] == EXAMPLES.read_text(
        encoding="utf-8").splitlines()[0]
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert actions.count("programme.import") == 2


def test_a_bad_row_stores_nothing(runner: FlaskCliRunner, tmp_path: Path) -> None:
    text = EXAMPLES.read_text(encoding="utf-8")
    bad = text.replace("cross_border_ecommerce,overseas_markets", "nowhere,overseas_markets", 1)
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    result = runner.invoke(args=["programmes", "import", str(path)])
    assert result.exit_code == 1 and "line 3" in result.output
    assert count(Programme) == 0


def test_import_updates_by_code(runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(args=["programmes", "import", str(EXAMPLES)])
    changed = EXAMPLES.read_text(encoding="utf-8").replace(
        "example-ip-abroad,true", "example-ip-abroad,false")
    path = tmp_path / "changed.csv"
    path.write_text(changed, encoding="utf-8")
    result = runner.invoke(args=["programmes", "import", str(path)])
    assert "created 0, updated 1, unchanged 6" in result.output
    assert db.session.scalar(select(Programme.active).where(
        Programme.code == "example-ip-abroad")) is False
