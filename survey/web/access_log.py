"""gunicorn's logger with private tokens redacted and health probes left out (`logger_class`
in gunicorn.conf.py).

The access log line is built from "atoms" (path, request line, query) that gunicorn fills
itself, so they are redacted here; the error log's records go through the app's record
factory (survey.web.log_redaction) and, for records gunicorn makes before the app is
loaded, through a filter on its handlers.
"""

from __future__ import annotations

from typing import Any

from survey.web.log_format import quote
from survey.web.log_redaction import RedactFilter, redact
from survey.web.probes import PROBES

__all__ = ["RedactingGunicornLogger", "redact"]

try:
    from gunicorn.glogging import Logger as _GunicornLogger

    class RedactingGunicornLogger(_GunicornLogger):  # type: ignore[misc]
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    if not any(isinstance(f, RedactFilter) for f in handler.filters):
                        handler.addFilter(RedactFilter())

        def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
            """Load balancers probe every few seconds: logging each success would bury the
            requests that matter. A failing probe (5xx) is logged."""
            status = getattr(resp, "status_code", None) or 0
            if environ.get("PATH_INFO") in PROBES and int(status) < 500:
                return
            super().access(resp, req, environ, request_time)

        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
            for key in ("U", "r", "q", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = redact(atoms[key])
            if isinstance(atoms.get("U"), str):
                atoms["U"] = quote(atoms["U"])  # one token in the key=value line
            return atoms

except ImportError:  # gunicorn is a production dependency; tests may import without it
    pass
