"""The gunicorn worker class of gunicorn.conf.py: gthread, minus one lost request per recycle.

gunicorn replaces a worker after `max_requests` requests (a guard against slow leaks: PDF
rendering, fragmentation after a big export). Its gthread worker marks itself as going away
in the thread that finishes the last request, while its main loop may be handling a batch of
socket events; an event on the listening socket then still accepts a new connection, and when
the loop ends that connection is closed unanswered (gunicorn issue #3038, open in 23.0). Every
recycle cost the next client a reset — a respondent's submit among them, which neither a
browser nor nginx repeats. A worker that is going away accepts nothing more here: the
connection waits in the listening socket for another worker or the replacement.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.gthread import ThreadWorker


class RecyclingThreadWorker(ThreadWorker):  # type: ignore[misc]
    def accept(self, server: Any, listener: Any) -> None:
        if self.alive:
            super().accept(server, listener)
