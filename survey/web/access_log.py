"""gunicorn's logger with private tokens redacted (`logger_class` in gunicorn.conf.py).

The access log line is built from "atoms" (path, request line, query) that gunicorn fills
itself, so they are redacted here; the error log's records go through the app's record
factory (survey.web.log_redaction) and, for records gunicorn makes before the app is
loaded, through a filter on its handlers.
"""

from __future__ import annotations

from typing import Any

from survey.web.log_redaction import RedactFilter, redact

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

        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
            for key in ("U", "r", "q", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = redact(atoms[key])
            return atoms

except ImportError:  # gunicorn is a production dependency; tests may import without it
    pass
