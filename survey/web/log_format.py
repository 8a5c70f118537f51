"""Log lines an operator can search: one line per record, `key=value`, with time, level,
logger and the request id.

`ts=2026-12-01T05:20:01.123Z level=ERROR logger=survey.web.errors request_id=9f1c… msg="…"`

Every line is one line: a traceback is kept in `exc="…"` with its newlines escaped, so a log
shipper never splits a record. gunicorn's access lines are already `key=value`
(gunicorn.conf.py's access_log_format) and are appended as they are. The request id is the
proxy's `X-Request-ID` when it sends a sane one (nginx's `$request_id`, deploy/nginx), else a
new one; it is echoed in the response so a user's report of a failure can be found in the log.
Messages are redacted before they get here (survey/web/log_redaction.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
RAW_LOGGERS = ("gunicorn.access",)


def quote(text: str) -> str:
    """A value as one token: bare if it has no space, quote or `=`, else in double quotes with
    backslash, quote and newlines escaped."""
    if text and not re.search(r'[\s"=\\]', text):
        return text
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def current_request_id() -> str:
    return str(getattr(g, "request_id", "-")) if has_request_context() else "-"


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = dt.datetime.fromtimestamp(record.created, dt.UTC)
        parts = [f"ts={stamp.strftime('%Y-%m-%dT%H:%M:%S.')}{stamp.microsecond // 1000:03d}Z",
                 f"level={record.levelname}", f"logger={record.name}"]
        message = record.getMessage()
        if record.name in RAW_LOGGERS:
            parts.append(message)
        else:
            parts += [f"request_id={getattr(record, 'request_id', '-')}", f"msg={quote(message)}"]
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            parts.append(f"exc={quote(record.exc_text)}")
        return " ".join(parts)


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


def _echo(response: Response) -> Response:
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response


def register(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_echo)


def handler_config(stream: str = "ext://sys.stdout") -> dict[str, Any]:
    """A `logging.config.dictConfig` for gunicorn (gunicorn.conf.py's logconfig_dict): the
    app's records and gunicorn's error and access records, all on stdout in this format."""
    handler = {"class": "logging.StreamHandler", "formatter": "kv", "stream": stream,
               "filters": ["request_id"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"kv": {"()": KeyValueFormatter}},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {"stdout": handler},
        "root": {"level": "INFO", "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
