"""X-Forwarded-* headers believed only from the proxies that set them.

ProxyFix alone believes the headers from whoever connects: with `TRUSTED_PROXIES=1`, anyone who
reaches gunicorn directly (another host on the private network, a mis-set firewall) could name
any client address and walk around the per-address rate limits. Here the headers count only when
the connecting peer is in `FORWARDED_ALLOW_IPS` — the same setting gunicorn reads for
X-Forwarded-Proto — and are dropped otherwise, so the app sees the peer as it is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX")


def networks(entries: Iterable[str]) -> list[Network] | None:
    """The allowed peers; None for `*` (every peer: for a proxy that is the only way in, such
    as a container network). Entries are addresses, as gunicorn takes them; a network is
    accepted here too."""
    found: list[Network] = []
    for entry in entries:
        if entry.strip() == "*":
            return None
        found.append(ipaddress.ip_network(entry.strip(), strict=False))
    return found


def _allowed(peer: str | None, allowed: list[Network] | None) -> bool:
    if allowed is None:
        return True
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in net for net in allowed)


class TrustedProxyFix:
    """ProxyFix for allowed peers; for any other peer the forwarded headers are removed."""

    def __init__(self, app: WSGIApplication, allowed: list[Network] | None, **hops: Any) -> None:
        self.direct = app
        self.proxied = ProxyFix(app, **hops)
        self.allowed = allowed

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse
                 ) -> Iterable[bytes] | Iterator[bytes]:
        if _allowed(environ.get("REMOTE_ADDR"), self.allowed):
            return self.proxied(environ, start_response)
        for header in FORWARDED_HEADERS:
            environ.pop(header, None)
        return self.direct(environ, start_response)
