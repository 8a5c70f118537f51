"""Settings from the environment (DESIGN.md §4), read once when the app is created.

Development needs no setup at all: the database is a SQLite file and the secret key a random
value written once to the instance folder. Production refuses to start without a real secret.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

# Respondent rate limits (survey/respondent/limits.py says why they are shaped so): a high
# ceiling per address, so a roundtable behind one address is never stopped, and a limit per
# browser session.
RESPONDENT_LIMITS: dict[str, str] = {
    "START_LIMIT_PER_ADDRESS": "150/minute;1000/hour",
    "START_LIMIT_PER_SESSION": "5/minute;20/hour",
    "SUBMIT_LIMIT_PER_ADDRESS": "150/minute;1000/hour",
}


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


def worker_storage_problem(env: dict[str, str], workers: int) -> str | None:
    """Why this production server must not start, or None.

    With `memory://` every worker process keeps its own rate-limit counters, so N workers let
    N times the limit through (and sign-in throttling no longer holds). The check belongs to
    the server's start-up (`gunicorn.conf.py`), not to `create_app`: tests and the
    development server run one process and must not be refused.
    """
    if env.get("SURVEY_ENV", "development").strip() != "production" or workers <= 1:
        return None
    storage = env.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
    if not storage.startswith("memory://"):
        return None
    return (f"RATELIMIT_STORAGE_URI is {storage} but {workers} workers would each count "
            "rate limits apart: set RATELIMIT_STORAGE_URI=redis://… or run one worker "
            "(WEB_CONCURRENCY=1)")


def _flag(env: dict[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be 1 or 0, got {raw!r}")


def _list(env: dict[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


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


def load(instance_path: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    env = dict(os.environ if env is None else env)
    survey_env = env.get("SURVEY_ENV", "development").strip() or "development"
    if survey_env not in ("development", "production"):
        raise ConfigError(f"SURVEY_ENV must be development or production, got {survey_env!r}")
    production = survey_env == "production"
    secret = env.get("SECRET_KEY", "").strip()
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY is required when SURVEY_ENV=production")
        secret = development_secret(instance_path)
    fallbacks = [k for k in env.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
    proxies = _int(env, "TRUSTED_PROXIES", 0)
    forwarded_host = _flag(env, "TRUST_FORWARDED_HOST")
    forwarded_prefix = _flag(env, "TRUST_FORWARDED_PREFIX")
    if (forwarded_host or forwarded_prefix) and proxies < 1:
        raise ConfigError("TRUST_FORWARDED_HOST and TRUST_FORWARDED_PREFIX need "
                          "TRUSTED_PROXIES (the number of proxies in front of the app)")
    db_url = database_url(env.get("DATABASE_URL", "").strip() or None, instance_path)
    engine_options: dict[str, Any] = {}
    if db_url.startswith("sqlite"):
        engine_options["connect_args"] = {"timeout": 30}
    else:
        engine_options["pool_pre_ping"] = True
    return {
        "SURVEY_ENV": survey_env,
        "SECRET_KEY": secret,
        "SECRET_KEY_FALLBACKS": fallbacks,
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "").strip(),
        # Retry-After is set by the 429 handler; Flask-Limiter's own headers would add it to
        # every limited response, successful ones included.
        "RATELIMIT_HEADERS_ENABLED": False,
        "API_RATE_LIMIT_ANON": env.get("API_RATE_LIMIT_ANON", "30/hour;5/minute"),
        "API_RATE_LIMIT_PARTNER": env.get("API_RATE_LIMIT_PARTNER", "2000/hour;120/minute"),
        # Respondent pages (survey/respondent/limits.py): a roundtable behind one address.
        **{name: _limits(env, name, default) for name, default in RESPONDENT_LIMITS.items()},
        "STAFF_LOGIN_ADDRESS_LIMIT": _limits(env, "STAFF_LOGIN_ADDRESS_LIMIT", "5/minute;30/hour"),
        "STAFF_LOGIN_ACCOUNT_LIMIT": _limits(env, "STAFF_LOGIN_ACCOUNT_LIMIT", "10/hour;30/day"),
        "STAFF_LOGIN_DEVICE_LIMIT": _limits(env, "STAFF_LOGIN_DEVICE_LIMIT", "10/hour"),
        "STAFF_LOGIN_CODE_LIMIT": _limits(env, "STAFF_LOGIN_CODE_LIMIT", "5/15 minutes;20/day"),
        "STAFF_TRUSTED_DEVICE_DAYS": _int(env, "STAFF_TRUSTED_DEVICE_DAYS", 90),
        "STAFF_SESSION_IDLE_MINUTES": _int(env, "STAFF_SESSION_IDLE_MINUTES", 30),
        "STAFF_SESSION_MAX_HOURS": _int(env, "STAFF_SESSION_MAX_HOURS", 12),
        "STAFF_2FA_REQUIRED_ROLES": _roles(env, "STAFF_2FA_REQUIRED_ROLES",
                                           "admin" if production else ""),
        "PRIVACY_MIN_GROUP": _int(env, "PRIVACY_MIN_GROUP", 10),
        "BENCHMARK_MIN_PEERS": _int(env, "BENCHMARK_MIN_PEERS", 20),
        "SURVEY_TIMEZONE": env.get("SURVEY_TIMEZONE", "Asia/Shanghai"),
        "TRUSTED_PROXIES": proxies,
        # X-Forwarded-For and -Proto are taken from TRUSTED_PROXIES hops; the forwarded host and
        # prefix decide where links, redirects and QR codes point, so each is its own opt-in.
        "TRUST_FORWARDED_HOST": forwarded_host,
        "TRUST_FORWARDED_PREFIX": forwarded_prefix,
        # Flask refuses (400) a Host not in this list; None accepts any (development).
        "TRUSTED_HOSTS": _list(env, "TRUSTED_HOSTS") or None,
        "SERVER_NAME": env.get("SERVER_NAME", "").strip() or None,
        "CORS_ORIGINS": [o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "DRAFT_RETENTION_DAYS": _int(env, "DRAFT_RETENTION_DAYS", 90),
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
        "BABEL_DEFAULT_TIMEZONE": env.get("SURVEY_TIMEZONE", "Asia/Shanghai"),
        "ARGON2_PARAMS": {},
        "SQLALCHEMY_RECORD_QUERIES": False,
    }
