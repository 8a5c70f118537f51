"""Respondents' private tokens never reach a log: access log, error log or traceback.

A token opens a firm's answers and report, so a log line that holds one is a copy of the key.
It appears in the resume link (`/r/<token>`), the report (`/report/<token>/…`) and the API id
(`/api/v1/assessments/<token>`) — request lines, "error on /r/…" messages, exception texts —
and bare, as a query parameter inside a database error. `redact` removes both shapes:

- a private path keeps its prefix and loses the token (`/r/[token]`), also when it is cut
  short or has junk after it;
- a bare run of exactly the length of a generated token, mixing upper and lower case as
  random URL-safe base64 does, becomes `[token]` (identifiers and hex digests do not match);
  so does a staff API token, which is the same with its `sme_` prefix.

`install` applies it to every log record when the record is made (a record factory), so it
holds for every logger and handler: Flask's, Werkzeug's, gunicorn's, and any a deployment adds
later. The traceback is formatted and redacted at the same moment, since a handler would
otherwise format it afresh from the live exception.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from survey.core.tokens import new_token
from survey.services.tokens import PREFIX as API_TOKEN_PREFIX

PRIVATE_PATH = re.compile(r"(/(?:r|report|api/v1/assessments)/)[A-Za-z0-9_-]{8,}")
"""The one definition of a URL path that carries a respondent's token."""

TOKEN_LENGTH = len(new_token())
_TOKEN_CHARS = "A-Za-z0-9_-"
BARE_TOKEN = re.compile(
    rf"(?<![{_TOKEN_CHARS}])(?:{re.escape(API_TOKEN_PREFIX)})?"
    rf"(?=[{_TOKEN_CHARS}]*[A-Z])(?=[{_TOKEN_CHARS}]*[a-z])"
    rf"[{_TOKEN_CHARS}]{{{TOKEN_LENGTH}}}(?![{_TOKEN_CHARS}])")
MASK = "[token]"


def redact(text: str) -> str:
    """`text` with every private token replaced by `[token]`."""
    return BARE_TOKEN.sub(MASK, PRIVATE_PATH.sub(r"\1" + MASK, text))


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def scrub(record: logging.LogRecord) -> None:
    """Redact a record in place: its message (formatted now, so no argument escapes), its
    traceback and its stack."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed log call must still be logged, redacted
        message = str(record.msg)
        if record.args:
            message += " " + repr(record.args)
    record.msg = redact(message)
    record.args = None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactFilter(logging.Filter):
    """The same redaction for handlers and loggers configured outside the app (gunicorn)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


_previous_factory: Any = None


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record: logging.LogRecord = _previous_factory(*args, **kwargs)
    scrub(record)
    return record


def install() -> None:
    """Redact every log record of this process from now on (idempotent)."""
    global _previous_factory
    if _previous_factory is None:
        _previous_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_factory)
    for name in ("werkzeug", "gunicorn.error", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFilter) for f in logger.filters):
            logger.addFilter(RedactFilter())
