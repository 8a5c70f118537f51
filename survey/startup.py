"""What a server checks before it binds a socket: the settings, the rate-limit store against
the number of workers, and the fonts the PDFs need (`gunicorn.conf.py`, `flask check-config`).

Apart from `survey.config`, which `create_app` reads: these checks look at the machine (the
fonts) and at how many processes will serve, which tests and the development server must not be
refused for.
"""

from __future__ import annotations

from survey.config import flag_setting, setting_problems


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


def cjk_font_problem() -> str | None:
    """Chinese PDFs need a CJK font on the server; without one WeasyPrint draws empty boxes."""
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ("REPORT_PDF is on but fontconfig is not installed: install fonts-noto-cjk "
                "(it brings fontconfig), or set REPORT_PDF=0")
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                               text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"REPORT_PDF is on but the fonts could not be listed: {exc}"
    if not found:
        return ("REPORT_PDF is on but the server has no font for Chinese: install "
                "fonts-noto-cjk, or set REPORT_PDF=0")
    return None


def startup_problems(env: dict[str, str], workers: int) -> list[str]:
    """What a production server checks before it binds a socket: the settings, the rate-limit
    store against the number of workers, and the fonts the PDFs need.

    Not part of `create_app`, which must stay cheap and side-effect free for tests and the CLI.
    """
    problems = setting_problems(env)
    storage = worker_storage_problem(env, workers)
    if storage:
        problems.append(storage)
    production = env.get("SURVEY_ENV", "").strip() == "production"
    if production and not problems and flag_setting(env, "REPORT_PDF"):
        font = cjk_font_problem()
        if font:
            problems.append(font)
    return problems
