"""`flask --app app cells …`: rebuild the pre-aggregated cells, or check them.

Every write keeps the cells in step (survey.services.cells), so neither is needed in normal
running. `rebuild` is for after writing to `assessments` by hand (SQL outside the app);
`check` recomputes every cell and lists any difference, exiting 1 if there is one.

Both also cover the other pre-aggregates, so one command serves them all: the web responses
counted by the day they began (`response_starts`, survey.services.starts), rebuilt after
writing to `responses` by hand.
"""

from __future__ import annotations

import sys
import time

import click

commands: list[click.Command] = []


@click.group("cells", help="The pre-aggregated cells the dashboard reads.")
def cells_group() -> None:
    pass


@cells_group.command("rebuild", help="Recompute every cell from the assessments (and the "
                     "response starts from the responses).")
def rebuild_command() -> None:
    from survey.database import write_transaction
    from survey.services import cells, starts

    started = time.perf_counter()
    with write_transaction() as s:
        counts = cells.rebuild(s)
        counts["response starts"] = starts.rebuild(s)
    sizes = ", ".join(f"{grain} {n:,}" for grain, n in counts.items())
    click.echo(f"rebuilt the cells in {time.perf_counter() - started:.1f} s: {sizes}")


@cells_group.command("check", help="Compare the cells with a recomputation (exit 1 if they "
                     "differ).")
@click.option("--show", default=20, show_default=True, help="Differences to print at most.")
def check_command(show: int) -> None:
    from survey.extensions import db
    from survey.services import cells, starts

    problems = cells.differences(db.session())
    problems += starts.differences(db.session())
    db.session.rollback()
    if not problems:
        click.echo("the cells agree with the assessments")
        click.echo("the response starts agree with the responses")
        return
    for line in problems[:show]:
        click.echo(line)
    click.echo(f"{len(problems)} differences: run `flask --app app cells rebuild`", err=True)
    sys.exit(1)


commands.append(cells_group)
