"""`flask --app app …` commands (DESIGN.md §4).

`questionnaire show` and `assess` need no database: they use only the pure core, so they work
on a laptop with nothing set up and answer in well under a second.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from survey.core.answers import ANSWERS_KEY, validate
from survey.core.questionnaire import load_questionnaire, questionnaire_json
from survey.core.scoring import assess, assessment_json

if TYPE_CHECKING:
    from flask import Flask


@click.group("questionnaire", help="Inspect the questionnaire.")
def questionnaire_group() -> None:
    pass


@questionnaire_group.command("show", help="Print the questionnaire as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
def questionnaire_show(lang: str) -> None:
    q = load_questionnaire()
    click.echo(json.dumps(questionnaire_json(q, lang), ensure_ascii=False, indent=2))


def _assess_one(item: Any, label: str, errors: list[str]) -> dict[str, Any] | None:
    q = load_questionnaire()
    if not isinstance(item, dict) or ANSWERS_KEY not in item:
        errors.append(f'{label}expected an object {{"answers": {{...}}}}')
        return None
    v = validate(q, item[ANSWERS_KEY])
    if not v.ok:
        for qid, messages in v.messages().items():
            for message in messages:
                errors.append(f"{label}{qid}: {message}")
        return None
    return assessment_json(assess(q, v.answers, check=False, ignored=v.ignored))


@click.command("assess", help="Score answers given as JSON: {\"answers\": {...}} or a list.")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
def assess_command(file: Any) -> None:
    try:
        data = json.load(file)
    except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, absurd nesting or digits
        click.echo(f"error: the input is not valid JSON: {str(exc)[:200]}", err=True)
        sys.exit(1)
    errors: list[str] = []
    if isinstance(data, list):
        results = [_assess_one(item, f"[{i}] ", errors) for i, item in enumerate(data)]
        output: Any = results
    else:
        output = _assess_one(data, "", errors)
    if errors:
        click.echo("error: the answers are not valid:", err=True)
        for line in errors:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    click.echo(json.dumps(output, ensure_ascii=False, indent=2))


@click.command("methodology", help="Write the methodology generated from the questionnaire.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--output", default="-", show_default=True,
              help="Markdown file to write (docs/methodology.md, docs/methodology.zh.md); "
                   "'-' prints it.")
def methodology_command(lang: str, output: str) -> None:
    from survey.core.methodology import render_markdown

    text = render_markdown(load_questionnaire(), lang)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # a reader never sees half a file
    partial.write_text(text, encoding="utf-8", newline="\n")
    partial.replace(path)
    click.echo(f"wrote {path}")


def register(app: Flask) -> None:
    from survey.cli.backup import commands as backup_commands
    from survey.cli.cells import commands as cell_commands
    from survey.cli.jobs import commands as job_commands
    from survey.cli.method import method_group
    from survey.cli.programmes import commands as programme_commands
    from survey.cli.staff import commands as staff_commands

    app.cli.add_command(questionnaire_group)
    app.cli.add_command(assess_command)
    app.cli.add_command(methodology_command)
    app.cli.add_command(method_group)
    for command in [*staff_commands, *backup_commands, *programme_commands, *job_commands,
                    *cell_commands]:
        app.cli.add_command(command)
