"""survey/web/proxies.py: forwarded headers count only from FORWARDED_ALLOW_IPS."""

from __future__ import annotations

import pytest
from flask import Flask, request

from survey.web.proxies import networks
from tests.conftest import make_app


def _app(database_url: str, **overrides: object) -> Flask:
    app = make_app(database_url, TRUSTED_PROXIES=1, **overrides)

    @app.get("/_peer")
    def peer() -> str:
        return f"{request.remote_addr} {request.scheme}"

    return app


FORGED = {"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"}


def test_the_proxy_on_loopback_is_believed(database_url: str) -> None:
    app = _app(database_url)
    got = app.test_client().get("/_peer", headers=FORGED,
                                environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert got.text == "6.6.6.6 https"


def test_anyone_else_cannot_forge_an_address(database_url: str) -> None:
    """A client that reaches gunicorn directly, from another host of the private network."""
    app = _app(database_url)
    got = app.test_client().get("/_peer", headers=FORGED,
                                environ_base={"REMOTE_ADDR": "10.0.0.23"})
    assert got.text == "10.0.0.23 http"


def test_a_proxy_elsewhere_is_named(database_url: str) -> None:
    app = _app(database_url, FORWARDED_ALLOW_IPS=["10.0.0.5"])
    client = app.test_client()
    assert client.get("/_peer", headers=FORGED,
                      environ_base={"REMOTE_ADDR": "10.0.0.5"}).text == "6.6.6.6 https"
    assert client.get("/_peer", headers=FORGED,
                      environ_base={"REMOTE_ADDR": "127.0.0.1"}).text == "127.0.0.1 http"


def test_star_believes_every_peer() -> None:
    assert networks(["*"]) is None
    assert networks(["127.0.0.1", "::1"]) is not None
    with pytest.raises(ValueError):
        networks(["proxy.internal"])
