"""Commands about the installed server: `check-config` (the effective settings, secrets
masked, and every problem) and `version` (the release, its schema and its method).

Flask CLI plugins (pyproject's `flask.commands`), so they run even when the app refuses to
load: that is when an operator needs them most.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from survey import config, startup

SECRET_NAMES = ("SECRET_KEY", "SECRET_KEY_FALLBACKS")
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]+@")


def masked(name: str, value: Any) -> str:
    """A value fit to print: secrets as their length only, passwords in URLs as ***."""
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    if name in SECRET_NAMES:
        return f"<set, {len(text)} characters>" if text else "<not set>"
    return _URL_PASSWORD.sub(r"\1***@", text)


def effective(env: dict[str, str], folder: str) -> list[tuple[str, str, bool]]:
    """(name, value, set in the environment) for every setting of the app and the server: as
    the app reads them, or — when a setting is refused — as given, so the operator sees them
    beside the problems."""
    try:
        settings: dict[str, Any] | None = config.load(folder, env)
    except config.ConfigError:
        settings = None
    rows: list[tuple[str, str, bool]] = [("SURVEY_INSTANCE_PATH", folder,
                                          bool(env.get("SURVEY_INSTANCE_PATH")))]
    for name in config.setting_names():
        given = bool(env.get(name, "").strip())
        if name in config.SERVER_SETTINGS:
            value: Any = (config.server_number(env, name)
                          if name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT")
                          else config.server_setting(env, name))
        elif name == "SECRET_KEY" and not given:
            value = "<generated, kept in the instance folder>"
        elif settings is None:
            value = env.get(name, "") if given else _default(name)
        elif name == "DATABASE_URL":
            value = settings["SQLALCHEMY_DATABASE_URI"]
        elif name == "RATELIMIT_STORAGE_URI":
            value = env.get(name, "").strip() or "memory://"
        elif name == "JOBS_REDIS_URL":
            value = settings[name] or "<not set: export jobs run in the web process>"
        else:
            value = settings.get(name, env.get(name, ""))
        rows.append((name, masked(name, value), given))
    return sorted(rows)


def _default(name: str) -> Any:
    for table in (config.INT_SETTINGS, config.LIMIT_SETTINGS, config.FLAG_SETTINGS):
        if name in table:
            return table[name]
    return ""


@click.command("check-config", help="Print the effective settings (secrets masked) and "
               "every problem; exit status 1 if there is one.")
def check_config_command() -> None:
    env = dict(os.environ)
    folder = config.instance_path()
    problems = startup.startup_problems(env, config.server_number(env, "WEB_CONCURRENCY"))
    click.echo("Settings (* = from the environment, else the default):")
    for name, value, given in effective(env, folder):
        click.echo(f"  {'*' if given else ' '} {name} = {value}")
    if not config.setting_problems(env):
        engine = config.load(folder, env)["SQLALCHEMY_ENGINE_OPTIONS"]
        if "pool_size" in engine:
            per_process = engine["pool_size"] + engine["max_overflow"]
            workers = config.server_number(env, "WEB_CONCURRENCY")
            click.echo(f"Database connections: up to {per_process} per worker, "
                       f"{per_process * workers} for this host's {workers} workers "
                       "(docs/deploy.md: keep the sum over hosts under max_connections).")
    if problems:
        click.echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(1)
    click.echo("No problems found.")


@click.command("version", help="Print the release, the migration it expects and the method.")
def version_command() -> None:
    from survey.core.questionnaire import load_questionnaire
    from survey.release import migration_head, release

    q = load_questionnaire()
    click.echo(f"SME Digital Readiness Survey {release()}")
    click.echo(f"database schema: migration {migration_head()}")
    click.echo(f"questionnaire {q.version}, method {q.method_version}")
