"""`flask --app app jobs …`: the export-job worker and a way to run one job by hand.

`jobs worker` is an RQ worker on JOBS_QUEUE of JOBS_REDIS_URL that runs jobs inside this app
(its settings, its database): run it under systemd (deploy/systemd/survey-worker.service) or as
compose's `worker` service. Without JOBS_REDIS_URL jobs run inside the web process and no worker
is needed.
"""

from __future__ import annotations

import sys

import click

commands: list[click.Command] = []


@click.group("jobs", help="Background export jobs.")
def jobs_group() -> None:
    pass


@jobs_group.command("worker", help="Run an RQ worker for export jobs (needs JOBS_REDIS_URL).")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--name", default=None, help="Worker name (default: host and process id).")
def worker_command(burst: bool, name: str | None) -> None:
    from survey.services import job_queue

    try:
        job_queue.work(burst=burst, name=name)
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@jobs_group.command("run", help="Run one queued export job in this process.")
@click.argument("job_id", type=int)
def run_command(job_id: int) -> None:
    from survey.services import export_jobs

    click.echo(export_jobs.run(job_id))


@jobs_group.command("status", help="Where jobs run and whether that is healthy.")
def status_command() -> None:
    from survey.services import job_queue

    runner = "rq" if job_queue.redis_url() else "in-process"
    click.echo(f"runner {runner}, state {job_queue.state()}")


commands.append(jobs_group)
