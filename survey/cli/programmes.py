"""`flask programmes import FILE.csv` and `flask programmes export [FILE|-]`.

The CSV is the directory's exchange format (`core.programme_data.COLUMNS`): an export read back
by an import changes nothing. An import checks every row before it stores any, creates or
updates programmes by `code`, and is audited like a change on the admin pages.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from survey.queries import programmes as queries
from survey.services import programmes as services


@click.group("programmes")
def programmes_group() -> None:
    """The programme directory as CSV."""


@programmes_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
def import_command(file: Any) -> None:
    try:
        rows = services.parse_csv(file.read())
    except services.ProgrammeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    result = services.import_programmes(rows, None)
    click.echo(f"created {result.created}, updated {result.updated}, "
               f"unchanged {result.unchanged}")


@programmes_group.command("export")
@click.argument("file", default="-", type=click.File("w", encoding="utf-8"))
def export_command(file: Any) -> None:
    file.write(queries.directory_csv())


commands: list[click.Command] = [programmes_group]
