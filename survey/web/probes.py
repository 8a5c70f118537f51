"""Health probes answer whatever Host a load balancer or container runtime sends.

Probes are addressed by IP (`http://10.0.0.8:8000/readyz`, compose's `127.0.0.1`), and with
TRUSTED_HOSTS set Flask refuses such a Host with a 400 before any view runs, so a healthy app
would look down. The probe's answer does not depend on the host, so for these paths alone the
Host is replaced by a trusted one before Flask sees it; every other path is checked as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PROBES = ("/healthz", "/readyz")


def trusted_host(server_name: str | None, trusted: Sequence[str] | None) -> str | None:
    """A host the app accepts: SERVER_NAME, else the first plain TRUSTED_HOSTS entry."""
    if server_name:
        return server_name
    for host in trusted or ():
        if host.strip(".") and "*" not in host:
            return host.strip(".")
    return None


class ProbeHost:
    def __init__(self, app: WSGIApplication, host: str) -> None:
        self.app = app
        self.host = host

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse
                 ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in PROBES:
            environ["HTTP_HOST"] = self.host
        return self.app(environ, start_response)
