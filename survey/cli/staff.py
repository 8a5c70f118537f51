"""Staff and operations commands: staff accounts, demo data, rescore, purge.

Output is for operators and scripts: ids, emails, roles and counts, never localised. Failures
exit with status 1 and say why on stderr.
"""

from __future__ import annotations

import sys
import time
from typing import NoReturn

import click
from flask import current_app
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import ROLES, StaffUser
from survey.services import second_factor, staff

commands: list[click.Command] = []


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _read_password(from_stdin: bool) -> str:
    """One line from stdin (for scripts), else a hidden prompt typed twice."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            _fail("no password on standard input")
        return password
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _user(email: str) -> StaffUser:
    user = staff.find_staff(email)
    if user is None:
        _fail(f"no staff account {staff.normalise_email(email)}")
    return user


@click.group("staff", help="Manage staff accounts.")
def staff_group() -> None:
    pass


@staff_group.command("create", help="Create a staff account.")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def staff_create(email: str, role: str, password_stdin: bool) -> None:
    password = _read_password(password_stdin)
    try:
        user = staff.create_staff(email, role, password, actor=None, via="cli")
    except staff.StaffError as exc:
        _fail(str(exc))
    click.echo(f"created {user.email} ({user.role}), id {user.id}")


@staff_group.command("list", help="List staff accounts.")
def staff_list() -> None:
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    for u in users:
        last = u.last_login_at.strftime("%Y-%m-%dT%H:%MZ") if u.last_login_at else "-"
        click.echo(f"{u.id}\t{u.email}\t{u.role}\t{'active' if u.active else 'inactive'}"
                   f"\t{last}")
    if not users:
        click.echo("no staff accounts", err=True)


@staff_group.command("deactivate", help="Deactivate an account and end its sessions.")
@click.argument("email")
def staff_deactivate(email: str) -> None:
    user = _user(email)
    try:
        staff.set_active(user.id, False, None, via="cli")
    except staff.StaffError as exc:
        _fail(str(exc))
    click.echo(f"deactivated {user.email}")


@staff_group.command("reset-password", help="Set a new password and end all sessions.")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def staff_reset_password(email: str, password_stdin: bool) -> None:
    user = _user(email)
    password = _read_password(password_stdin)
    try:
        staff.reset_password(user.id, password, None, via="cli")
    except staff.StaffError as exc:
        _fail(str(exc))
    click.echo(f"password reset for {user.email}")


@staff_group.command("reset-2fa", help="Turn off an account's second factor and end its "
                     "sessions (a lost phone, and no admin who can sign in).")
@click.argument("email")
def staff_reset_second_factor(email: str) -> None:
    user = _user(email)
    second_factor.reset(user.id, None, via="cli")
    click.echo(f"second factor turned off for {user.email}")


@click.group("demo", help="Synthetic demo data (never in production).")
def demo_group() -> None:
    pass


@demo_group.command("seed", help="Insert N synthetic assessments flagged as demo.")
@click.option("--count", type=click.IntRange(1, 5_000_000), required=True)
@click.option("--seed", "seed_value", type=int, default=None, help="For repeatable data.")
@click.option("--workers", type=click.IntRange(0, 32), default=None,
              help="Processes generating answers beside the one inserting them; 0 generates "
                   "in that one (default: one per CPU, up to 4; 0 on one CPU).")
def demo_seed(count: int, seed_value: int | None, workers: int | None) -> None:
    from survey.services.demo import DemoRefused, seed

    if current_app.config.get("SURVEY_ENV") == "production":
        _fail("demo data is never seeded when SURVEY_ENV=production")
    started = time.perf_counter()
    try:
        with click.progressbar(length=count, label="Seeding demo assessments",
                               file=sys.stderr) as bar:
            for n in seed(count, seed_value, workers):
                bar.update(n)
    except DemoRefused as exc:
        _fail(str(exc))
    click.echo(f"inserted {count} demo assessments in {time.perf_counter() - started:.1f} s")


@click.command("rescore", help="Recompute stored assessments with the current method.")
@click.option("--dry-run", is_flag=True, help="Only count what would change.")
def rescore_command(dry_run: bool) -> None:
    from survey.models import Assessment
    from survey.services.operations import rescore

    total = db.session.scalar(select(func.count()).select_from(Assessment)) or 0
    db.session.rollback()
    with click.progressbar(length=total, label="Re-scoring", file=sys.stderr) as bar:
        report = rescore(dry_run=dry_run, progress=bar.update)
    verb = "would change" if dry_run else "changed"
    click.echo(f"examined {report.examined}, {verb} {report.changed}, "
               f"skipped {report.skipped} (questionnaire version missing)")


@click.command("purge", help="Delete abandoned drafts, expired idempotency keys and expired "
               "export files.")
@click.option("--days", type=click.IntRange(1, 36500), default=None,
              help="Drafts untouched this long go (default: DRAFT_RETENTION_DAYS).")
def purge_command(days: int | None) -> None:
    from survey.services.operations import purge

    report = purge(days)
    click.echo(f"deleted {report.drafts} drafts, {report.idempotency_keys} idempotency keys "
               f"and {report.export_jobs} expired export jobs")


commands.extend([staff_group, demo_group, rescore_command, purge_command])

from survey.cli.tokens import token_group  # noqa: E402

commands.append(token_group)
