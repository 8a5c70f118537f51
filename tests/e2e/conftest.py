"""A live server and headless Chromium for end-to-end tests.

The server is the real app (production settings: secure cookies, the production security
headers) on a file SQLite database, served by Werkzeug in a thread. The browser is Debian's
Chromium driven by Playwright — never a downloaded browser. `guard` records console errors and
any request to another host, which the tests assert are absent. The helpers that write to the
live server (`ensure_staff`, `bench_rows`, `temporary_responses`) and drive its pages
(`submit_sign_in`, `fill_section`) are in tests/helpers.py.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from survey.extensions import db
from tests.conftest import make_app, reset_database, skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-background-networking",
    "--disable-component-update", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@dataclass
class LiveServer:
    url: str
    app: Flask

    def app_context(self) -> Any:
        return self.app.app_context()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db_path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    app = make_app(
        "sqlite:///" + str(db_path),
        SURVEY_ENV="production",
        TESTING=False,
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
        BENCHMARK_MIN_PEERS=20,
    )
    with app.app_context():
        db.create_all()
        reset_database()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


DRAFT_SAVE = re.compile(r"/survey/[^/]+/draft$")
CONFLICT_LOGGED = "Failed to load resource: the server responded with a status of 409 (CONFLICT)"


@dataclass
class Guard:
    """What a page did that it must not: console errors, requests to other hosts."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    draft_conflicts: int = 0

    def attach(self, page: Any) -> Any:
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        return page

    def _on_response(self, response: Any) -> None:
        # A background save that a button save overtook is answered 409 by design, and the
        # page's script saves again on the new revision (static/js/autosave.js); Chromium
        # still logs the status as a console error.
        if response.status == 409 and DRAFT_SAVE.search(response.url):
            self.draft_conflicts += 1

    def _on_request(self, request: Any) -> None:
        url = request.url
        self.requests.append(url)
        if not (url.startswith(self.base_url) or url.startswith(("data:", "blob:", "about:"))):
            self.foreign_requests.append(url)

    def assert_clean(self) -> None:
        errors, allowed = [], self.draft_conflicts
        for message in self.console_errors:
            if allowed and message == CONFLICT_LOGGED:
                allowed -= 1
            else:
                errors.append(message)
        assert errors == [], errors
        assert self.foreign_requests == [], self.foreign_requests


@pytest.fixture
def guard(live_server: LiveServer) -> Guard:
    return Guard(live_server.url)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    path = OUTPUT / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
