"""Settings from the environment (DESIGN.md §4), read once when the app is created.

Development needs no setup at all: the database is a SQLite file and the secret key a random
value written once to the instance folder. Production refuses to start without a real secret.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from survey.limit_storage import wrap_uri

# Respondent rate limits (survey/respondent/limits.py says why they are shaped so): a high
# ceiling per address, so a roundtable behind one address is never stopped, and a limit per
# browser session.
RESPONDENT_LIMITS: dict[str, str] = {
    "START_LIMIT_PER_ADDRESS": "150/minute;1000/hour",
    "START_LIMIT_PER_SESSION": "5/minute;20/hour",
    "SUBMIT_LIMIT_PER_ADDRESS": "150/minute;1000/hour",
}


SERVER_SETTINGS: dict[str, str] = {
    "GUNICORN_BIND": "127.0.0.1:8000",
    "WEB_CONCURRENCY": "",  # empty: max(2, number of CPUs)
    "GUNICORN_THREADS": "8",
    "GUNICORN_TIMEOUT": "120",
    "FORWARDED_ALLOW_IPS": "127.0.0.1,::1",
}
"""gunicorn.conf.py's settings and defaults, here so `check-config` and the docs see them."""


def server_setting(env: dict[str, str], name: str) -> str:
    return env.get(name, "").strip() or SERVER_SETTINGS[name]


def server_number(env: dict[str, str], name: str) -> int:
    """A whole-number server setting; a malformed one reads as its default here and is refused,
    with its name, by `setting_problems` before the server binds. WEB_CONCURRENCY defaults to
    one worker per CPU, at least two."""
    default = SERVER_SETTINGS[name]
    fallback = int(default) if default else max(2, os.cpu_count() or 1)
    raw = env.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else fallback


ENVIRONMENT_SETTINGS = (
    "SURVEY_ENV", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "DATABASE_URL", "RATELIMIT_STORAGE_URI",
    "RATELIMIT_KEY_PREFIX", "SURVEY_TIMEZONE", "TRUSTED_HOSTS", "SERVER_NAME", "CORS_ORIGINS",
    "STAFF_2FA_REQUIRED_ROLES", "FORWARDED_ALLOW_IPS", "JOBS_REDIS_URL", "JOBS_QUEUE",
)
"""The app's settings read as text; with INT_, LIMIT_ and FLAG_SETTINGS (below) every name
`load` reads. docs/deploy.md has a row for each (tests/test_config.py checks)."""

JOBS_REDIS_SCHEMES = ("redis", "rediss", "unix")
JOBS_QUEUE_DEFAULT = "survey-exports"


class ConfigError(RuntimeError):
    pass


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _limits(env: dict[str, str], name: str, default: str) -> str:
    """A Flask-Limiter limit string ("5/minute;30/hour"), refused at start-up if malformed."""
    from limits import parse_many

    raw = env.get(name, "").strip() or default
    try:
        parse_many(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be limits like '5/minute;30/hour', got {raw!r}") from exc
    return raw


def _roles(env: dict[str, str], name: str, default: str) -> tuple[str, ...]:
    raw = env.get(name)
    text = default if raw is None else raw
    return tuple(r.strip() for r in text.split(",") if r.strip())


def _flag(env: dict[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be 1 or 0, got {raw!r}")


def _list(env: dict[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def instance_path() -> str:
    """SURVEY_INSTANCE_PATH, else `instance/` beside the package (in a checkout, its top
    level): the development database and secret live there."""
    return (os.environ.get("SURVEY_INSTANCE_PATH")
            or str(Path(__file__).resolve().parent.parent / "instance"))


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL; `postgres://` and `postgresql://` mean psycopg 3."""
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "survey.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def development_secret(instance_path: str) -> str:
    """A random key made once and kept in the instance folder, written atomically.

    Atomic (write a temporary file, then rename) so two workers starting together never read a
    half-written key; whichever rename lands last wins and both then read the same file.
    """
    path = Path(instance_path) / "secret_key"
    if path.is_file():
        key = path.read_text().strip()
        if key:
            return key
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        os.chmod(tmp, 0o600)
        if not path.exists():
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path.read_text().strip()


WEAK_SECRETS = ("change", "replace", "secret", "password", "example", "default")
"""Words that show a SECRET_KEY was copied from documentation or typed by hand."""

MIN_SECRET_LENGTH = 32

INT_SETTINGS: dict[str, int] = {
    "TRUSTED_PROXIES": 0, "PRIVACY_MIN_GROUP": 10, "BENCHMARK_MIN_PEERS": 20,
    "STAFF_TRUSTED_DEVICE_DAYS": 90, "STAFF_SESSION_IDLE_MINUTES": 30,
    "STAFF_SESSION_MAX_HOURS": 12, "DRAFT_RETENTION_DAYS": 90,
    "DATABASE_POOL_SIZE": 5, "DATABASE_MAX_OVERFLOW": 5, "DATABASE_POOL_TIMEOUT": 10,
    "EXPORT_JOB_THRESHOLD": 5000, "EXPORT_RETENTION_HOURS": 24,
}
"""Whole-number settings and their defaults."""

LIMIT_SETTINGS: dict[str, str] = {
    **RESPONDENT_LIMITS,
    "API_RATE_LIMIT_ANON": "30/hour;5/minute",
    "API_RATE_LIMIT_PARTNER": "2000/hour;120/minute",
    "STAFF_LOGIN_ADDRESS_LIMIT": "5/minute;30/hour",
    "STAFF_LOGIN_ACCOUNT_LIMIT": "10/hour;30/day",
    "STAFF_LOGIN_DEVICE_LIMIT": "10/hour",
    "STAFF_LOGIN_CODE_LIMIT": "5/15 minutes;20/day",
}
"""Rate-limit settings and their defaults."""

FLAG_SETTINGS: dict[str, bool] = {
    "TRUST_FORWARDED_HOST": False, "TRUST_FORWARDED_PREFIX": False, "REPORT_PDF": True,
}
"""On/off settings and their defaults. X-Forwarded-For and -Proto are believed from
TRUSTED_PROXIES hops; the forwarded host and prefix decide where links, redirects and QR codes
point, so each is its own opt-in."""


def setting_names() -> list[str]:
    """Every environment variable the app and its server read."""
    return sorted({*ENVIRONMENT_SETTINGS, *INT_SETTINGS, *LIMIT_SETTINGS, *FLAG_SETTINGS,
                   *SERVER_SETTINGS})


def flag_setting(env: dict[str, str], name: str) -> bool:
    """An on/off setting of FLAG_SETTINGS, its default when unset."""
    return _flag(env, name) if env.get(name, "").strip() else FLAG_SETTINGS[name]


def secret_problem(secret: str) -> str | None:
    """Why a production SECRET_KEY is too weak to sign sessions and CSRF tokens, or None.

    A key from the docs or typed by hand can be guessed, and whoever knows it can forge a
    staff session: only a long random key passes.
    """
    hint = 'make one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
    if not secret:
        return f"SECRET_KEY is required when SURVEY_ENV=production; {hint}"
    lowered = secret.lower()
    if (len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 12
            or any(word in lowered for word in WEAK_SECRETS)):
        return (f"SECRET_KEY is too weak (at least {MIN_SECRET_LENGTH} random characters, "
                f"no dictionary words); {hint}")
    return None


def timezone_problem(name: str) -> str | None:
    """An unknown zone would start, then fail every submission when it stamps the local date."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return (f"SURVEY_TIMEZONE {name!r} is not a known time zone "
                "(an IANA name such as Asia/Shanghai)")
    return None


def setting_problems(env: dict[str, str]) -> list[str]:
    """Every setting that is malformed, or unsafe in production, one line each.

    Pure (it reads only `env` and the time-zone database), so `load` can refuse a bad
    configuration before the app serves anyone, and `flask check-config` can list them all.
    """
    problems: list[str] = []
    survey_env = env.get("SURVEY_ENV", "development").strip() or "development"
    if survey_env not in ("development", "production"):
        problems.append(f"SURVEY_ENV must be development or production, got {survey_env!r}")
    production = survey_env == "production"
    if production:
        weak = secret_problem(env.get("SECRET_KEY", "").strip())
        if weak:
            problems.append(weak)
        if not env.get("DATABASE_URL", "").strip():
            problems.append("DATABASE_URL is required when SURVEY_ENV=production "
                            "(postgresql://user@host/db; a SQLite file only if named: "
                            "sqlite:////var/lib/survey/survey.sqlite3)")
    zone = timezone_problem(env.get("SURVEY_TIMEZONE", "").strip() or "Asia/Shanghai")
    if zone:
        problems.append(zone)
    checks: list[tuple[Any, str, Any]] = [
        *((_int, name, default) for name, default in INT_SETTINGS.items()),
        *((_limits, name, default) for name, default in LIMIT_SETTINGS.items()),
        *((lambda e, n, _d: _flag(e, n), name, None) for name in FLAG_SETTINGS),
    ]
    for parse, name, default in checks:
        try:
            parse(env, name, default)
        except ConfigError as exc:
            problems.append(str(exc))
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        raw = env.get(name, "").strip()
        if raw and not (raw.isdigit() and int(raw) > 0):
            problems.append(f"{name} must be a whole number above 0, got {raw!r}")
    jobs_url = env.get("JOBS_REDIS_URL", "").strip()
    if jobs_url and jobs_url.split("://", 1)[0] not in JOBS_REDIS_SCHEMES:
        problems.append(f"JOBS_REDIS_URL must be a Redis URL (redis://host:6379/1), "
                        f"got {jobs_url!r}")
    for entry in _list(env, "FORWARDED_ALLOW_IPS"):
        if entry != "*":
            try:
                ipaddress.ip_address(entry)
            except ValueError:
                problems.append(f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address "
                                "(gunicorn, which reads it too, takes addresses or *)")
    if not problems:
        forwarded = _flag(env, "TRUST_FORWARDED_HOST") or _flag(env, "TRUST_FORWARDED_PREFIX")
        if forwarded and _int(env, "TRUSTED_PROXIES", 0) < 1:
            problems.append("TRUST_FORWARDED_HOST and TRUST_FORWARDED_PREFIX need "
                            "TRUSTED_PROXIES (the number of proxies in front of the app)")
    return problems


def load(instance_path: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """The app's settings, or ConfigError naming every problem, one line each."""
    env = dict(os.environ if env is None else env)
    problems = setting_problems(env)
    if problems:
        raise ConfigError("\n".join(problems))
    survey_env = env.get("SURVEY_ENV", "development").strip() or "development"
    production = survey_env == "production"
    secret = env.get("SECRET_KEY", "").strip() or development_secret(instance_path)
    zone = env.get("SURVEY_TIMEZONE", "").strip() or "Asia/Shanghai"
    fallbacks = [k for k in env.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
    ints = {name: _int(env, name, default) for name, default in INT_SETTINGS.items()}
    flags = {name: flag_setting(env, name) for name in FLAG_SETTINGS}
    db_url = database_url(env.get("DATABASE_URL", "").strip() or None, instance_path)
    engine_options: dict[str, Any] = {}
    if db_url.startswith("sqlite"):
        engine_options["connect_args"] = {"timeout": 30}
    else:
        # docs/deploy.md sizes these: every worker process holds up to
        # pool_size + max_overflow connections.
        engine_options.update(
            pool_pre_ping=True, pool_size=ints["DATABASE_POOL_SIZE"],
            max_overflow=ints["DATABASE_MAX_OVERFLOW"],
            pool_timeout=ints["DATABASE_POOL_TIMEOUT"])
    return {
        "SURVEY_ENV": survey_env,
        "SECRET_KEY": secret,
        "SECRET_KEY_FALLBACKS": fallbacks,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        # A Redis store is wrapped so that its outage degrades the limits instead of failing
        # requests (survey/limit_storage.py).
        "RATELIMIT_STORAGE_URI": wrap_uri(env.get("RATELIMIT_STORAGE_URI", "").strip()
                                          or "memory://"),
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "").strip(),
        # Retry-After is set by the 429 handler; Flask-Limiter's own headers would add it to
        # every limited response, successful ones included.
        "RATELIMIT_HEADERS_ENABLED": False,
        **{name: _limits(env, name, default) for name, default in LIMIT_SETTINGS.items()},
        **ints,
        **flags,
        "STAFF_2FA_REQUIRED_ROLES": _roles(env, "STAFF_2FA_REQUIRED_ROLES",
                                           "admin" if production else ""),
        "SURVEY_TIMEZONE": zone,
        # Export jobs go to RQ only when asked: a queue nobody works would never finish a job,
        # so sharing the rate limits' Redis is not enough to switch the in-process runner off.
        "JOBS_REDIS_URL": env.get("JOBS_REDIS_URL", "").strip() or None,
        "JOBS_QUEUE": env.get("JOBS_QUEUE", "").strip() or JOBS_QUEUE_DEFAULT,
        # The peers whose X-Forwarded-* headers are believed (survey/web/proxies.py); the same
        # setting tells gunicorn whose X-Forwarded-Proto to believe.
        "FORWARDED_ALLOW_IPS": _list({"FORWARDED_ALLOW_IPS":
                                      server_setting(env, "FORWARDED_ALLOW_IPS")},
                                     "FORWARDED_ALLOW_IPS"),
        # Flask refuses (400) a Host not in this list; None accepts any (development).
        "TRUSTED_HOSTS": _list(env, "TRUSTED_HOSTS") or None,
        "SERVER_NAME": env.get("SERVER_NAME", "").strip() or None,
        "CORS_ORIGINS": [o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": 24 * 3600,
        # The HTTPS Referer check cannot work under Referrer-Policy: no-referrer; where a form
        # came from is checked by survey.web.security.refuse_cross_site_forms instead.
        "WTF_CSRF_SSL_STRICT": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": zone,
        "ARGON2_PARAMS": {},
        "SQLALCHEMY_RECORD_QUERIES": False,
    }
