"""Log redaction: a respondent's private token never reaches an access log.

The token is in the resume link (`/r/<token>`), the report URL (`/report/<token>/…`) and the
API id (`/api/v1/assessments/<token>`). Both gunicorn's access log and Werkzeug's development
server log go through `redact`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

PRIVATE_PATH = re.compile(r"(/(?:r|report|api/v1/assessments)/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    return PRIVATE_PATH.sub(r"\1[token]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a
                                for a in (record.args if isinstance(record.args, tuple)
                                          else (record.args,)))
        return True


def install_werkzeug_filter() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactFilter) for f in logger.filters):
        logger.addFilter(RedactFilter())


try:
    from gunicorn.glogging import Logger as _GunicornLogger

    class RedactingGunicornLogger(_GunicornLogger):  # type: ignore[misc]
        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
            for key in ("U", "r", "q", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = redact(atoms[key])
            return atoms

except ImportError:  # gunicorn is a production dependency; tests may import without it
    pass
