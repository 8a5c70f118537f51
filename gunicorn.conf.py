"""gunicorn settings: `gunicorn -c gunicorn.conf.py app:app`.

Threaded workers (gthread) so a long CSV or Excel export streams to the end instead of being
killed by the sync worker's 30 s timeout; the timeout only bounds a worker that stops
heart-beating, not a request that is still streaming. Access logs never show private tokens.

Before any socket is bound, the master checks the settings (`survey.startup.startup_problems`):
a malformed or unsafe setting, `memory://` rate-limit storage with more than one worker (each
would count apart), a production server without a CJK font for the PDFs. Each problem is one
line on stderr, "Error: …", and the server exits with status 1.
"""

from __future__ import annotations

import os
from typing import Any

from survey.config import server_number, server_setting
from survey.web.log_format import handler_config

_env = dict(os.environ)
bind = server_setting(_env, "GUNICORN_BIND")
workers = server_number(_env, "WEB_CONCURRENCY")
# gthread, except that a worker being recycled accepts no more connections (the module says
# why).
worker_class = "survey.web.gunicorn_worker.RecyclingThreadWorker"
threads = server_number(_env, "GUNICORN_THREADS")
timeout = server_number(_env, "GUNICORN_TIMEOUT")
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = server_setting(_env, "FORWARDED_ALLOW_IPS")
accesslog = "-"
errorlog = "-"
logger_class = "survey.web.access_log.RedactingGunicornLogger"
# One key=value line per record on stdout, with time, level and request id
# (survey/web/log_format.py); health probes are not logged.
logconfig_dict = handler_config()
# The path is the redacted one and carries no query; no user agent, no referer.
access_log_format = ('method=%(m)s path=%(U)s status=%(s)s bytes=%(B)s ms=%(M)s '
                     'request_id=%({x-request-id}o)s remote=%(h)s')


def on_starting(server: Any) -> None:
    import sys

    from survey.startup import startup_problems

    problems = startup_problems(dict(os.environ), int(server.cfg.workers))
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr, flush=True)
    if problems:
        raise SystemExit(1)


def pre_request(worker: Any, req: Any) -> None:
    """A worker running export jobs in its threads (no JOBS_REDIS_URL) is not recycled by
    `max_requests` until they end: recycling would kill them mid-file. Runs before gunicorn
    counts the request, so holding the count just under the limit defers the restart."""
    from survey.services.job_queue import threads_busy

    if threads_busy() and worker.nr >= worker.max_requests - 2:
        worker.nr = worker.max_requests - 2
