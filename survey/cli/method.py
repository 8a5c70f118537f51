"""`flask --app app method sensitivity`: how much the results depend on the weights.

The analysis itself is pure (`survey.core.sensitivity`); this command chooses the firms — the
stored real assessments of the questionnaire version when a database is there and has any, a
seeded synthetic sample otherwise — and prints the table. Like `assess`, it is also a Flask CLI
plugin, so it runs without a database.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from survey.core.questionnaire import CURRENT_VERSION, QuestionnaireError, load_questionnaire
from survey.core.sensitivity import render_table, sensitivity, synthetic_sample


def load_stored_answers(version: str, limit: int) -> list[dict[str, Any]]:
    """The answers of the latest real (non-demo) submitted assessments of `version`.

    Returns [] when there is no app, no database, no schema or no such assessment: the
    command then falls back to a synthetic sample rather than failing. An SQLite database that
    does not exist yet is not created by asking.
    """
    from flask.cli import NoAppException, ScriptInfo
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    info = click.get_current_context().find_object(ScriptInfo)
    try:
        app = info.load_app() if info is not None else None
    except (NoAppException, RuntimeError):
        return []
    if app is None:
        return []
    from survey.extensions import db
    from survey.models import Assessment, Response

    with app.app_context():
        try:
            url = db.engine.url
            if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
                    and not Path(url.database or "").is_file():
                return []
            rows: Sequence[Any] = db.session.execute(
                select(Response.answers)
                .join(Assessment, Assessment.response_id == Response.id)
                .where(Assessment.is_demo.is_(False),
                       Assessment.questionnaire_version == version)
                .order_by(Assessment.submitted_at.desc())
                .limit(limit)
            ).scalars().all()
        except SQLAlchemyError:
            return []
    return [dict(r) for r in rows if isinstance(r, dict)]


@click.group("method", help="Checks on the scoring method.")
def method_group() -> None:
    pass


@method_group.command("sensitivity", help=(
    "Perturb every question weight by a uniform factor in [0.5, 1.5] per draw and report how "
    "often each firm's area levels and top recommendation change."))
@click.option("--draws", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Number of perturbed weightings.")
@click.option("--seed", type=int, default=2027, show_default=True,
              help="Seed of the perturbations and of the synthetic sample.")
@click.option("--sample", type=click.IntRange(1, 1_000_000), default=500, show_default=True,
              help="Firms: at most this many stored assessments, or this many synthetic ones.")
@click.option("--version", "version", default=CURRENT_VERSION, show_default=True,
              help="Questionnaire version.")
@click.option("--firms", "firms_max", type=click.IntRange(0, 10_000), default=20,
              show_default=True, help="Least stable firms listed after the summary.")
def sensitivity_command(draws: int, seed: int, sample: int, version: str,
                        firms_max: int) -> None:
    try:
        q = load_questionnaire(version)
    except QuestionnaireError as exc:
        raise click.ClickException(str(exc)) from exc
    answers = load_stored_answers(q.version, sample)
    source = "stored real assessments"
    if not answers:
        answers, source = synthetic_sample(q, sample, seed), "synthetic sample"
    with click.progressbar(length=draws, label="Perturbing the weights", file=sys.stderr) as bar:
        report = sensitivity(q, answers, draws=draws, seed=seed, source=source,
                             on_draw=lambda: bar.update(1))
    click.echo(render_table(report, firms_max=firms_max), nl=False)
