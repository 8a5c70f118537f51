"""`flask --app app backup PATH` and `flask --app app restore PATH` (docs/deploy.md, "Backups").

SQLite: the online backup API copies a consistent snapshot page by page while the app keeps
serving (a plain file copy of a live WAL database can miss the log or catch a half-written
page); the copy is made a single self-contained file (journal_mode DELETE) and checked. A
restore writes the backup into the live database through the same API, under SQLite's own
locks, so open connections see the restored data and no stale `-wal` file survives — safer
than replacing the file under a running app.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` into the existing
database, in one transaction, so a failed restore changes nothing. The password goes to the
tools in PGPASSWORD, never on a command line another user could read with `ps`.

A backup holds every respondent's private token and answers: it is written readable by its
owner only (0600) and must be kept encrypted and access-restricted.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import click
from sqlalchemy import URL

from survey.extensions import db


class BackupError(RuntimeError):
    """A backup or restore that did not happen; the message says why, for the operator."""


# --- SQLite ------------------------------------------------------------------------------

def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _check_sqlite(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database of this app."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")
    if "responses" not in tables:
        raise BackupError(f"{path} holds no survey data (no responses table)")


def backup_sqlite(url: URL, target: Path) -> None:
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"the database file {source} does not exist")
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        _check_sqlite(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def restore_sqlite(url: URL, backup: Path) -> None:
    _check_sqlite(backup)
    live = _sqlite_file(url)
    live.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(live, timeout=30)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# --- PostgreSQL --------------------------------------------------------------------------

def _pg_args(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_postgresql(url: URL, target: Path) -> None:
    dsn, env = _pg_args(url)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={tmp}", f"--dbname={dsn}"], env)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def restore_postgresql(url: URL, backup: Path) -> None:
    dsn, env = _pg_args(url)
    _run([_tool("pg_restore"), "--list", str(backup)], env)  # a readable archive, or stop
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={dsn}", str(backup)], env)


# --- commands ----------------------------------------------------------------------------

def _url() -> URL:
    url: URL = db.engine.url
    return url


@click.command("backup", help="Write a consistent backup of the database to PATH (SQLite: a "
                              "database file; PostgreSQL: a pg_dump custom-format archive). "
                              "It holds private tokens: keep it encrypted.")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    if path.exists() and not force:
        click.echo(f"error: {path} exists; use --force to replace it", err=True)
        sys.exit(1)
    if not path.parent.is_dir():
        click.echo(f"error: the folder {path.parent} does not exist", err=True)
        sys.exit(1)
    url = _url()
    try:
        if url.get_backend_name() == "sqlite":
            backup_sqlite(url, path)
        elif url.get_backend_name() == "postgresql":
            db.engine.dispose()
            backup_postgresql(url, path)
        else:
            raise BackupError(f"no backup for {url.get_backend_name()} databases")
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes). It holds respondents' private "
               "tokens: encrypt it and restrict who can read it.")


@click.command("restore", help="Replace the database's contents with the backup at PATH. "
                               "Stop the app first.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True,
                                        path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    url = _url()
    if not yes:
        click.confirm(f"Replace everything in {url.render_as_string(hide_password=True)} "
                      f"with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection holds an old snapshot or a lock
    try:
        if url.get_backend_name() == "sqlite":
            restore_sqlite(url, path)
        elif url.get_backend_name() == "postgresql":
            restore_postgresql(url, path)
        else:
            raise BackupError(f"no restore for {url.get_backend_name()} databases")
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"restored {path}. Run `flask --app app db upgrade` if the backup is older "
               "than this version of the app.")


commands = [backup_command, restore_command]
