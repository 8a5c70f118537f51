"""An export job in headless Chromium: the export button starts it, the page's script follows
its progress under the real CSP and shows the download when it is ready, with no reload by
hand."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from survey.services import export_jobs
from survey.services import responses as services
from tests.e2e.helpers import ensure_staff, submit_sign_in, temporary_responses
from tests.helpers import best_answers, worst_answers

from .conftest import Guard, LiveServer

EMAIL = "export-jobs-e2e@example.org"


@pytest.fixture
def large(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two rows count as a large export, and the job takes a few seconds (the live server runs
    in this process, so the patch reaches its job thread)."""
    ensure_staff(live_server.app, EMAIL, "analyst")
    export = export_jobs._export

    def slow(*args: Any) -> None:
        time.sleep(2.5)
        export(*args)

    monkeypatch.setattr(export_jobs, "_export", slow)
    monkeypatch.setitem(live_server.app.config, "EXPORT_JOB_THRESHOLD", 1)
    with temporary_responses(live_server.app, lambda: [
            services.create_submitted(best_answers()),
            services.create_submitted(worst_answers())]):
        yield


@pytest.mark.e2e
def test_the_page_follows_the_job_and_offers_the_file(
        context: Any, live_server: LiveServer, guard: Guard, large: None) -> None:
    page = guard.attach(context.new_page())
    page.goto(live_server.url + "/staff/login")
    submit_sign_in(page, EMAIL)
    page.goto(live_server.url + "/staff/exports?demo=include")
    assert "prepared in the background" in page.inner_text("main")
    with page.expect_navigation():
        page.click("button:has-text('Download CSV')")
    assert "/staff/exports/jobs/" in page.url
    assert page.locator("#export-job-progress").count() == 1  # still in preparation
    link = page.locator("a.button:has-text('Download CSV')")
    link.wait_for(timeout=30_000)  # the script reloads the page once the job is done
    assert any(url.endswith(".json") and "/staff/exports/jobs/" in url
               for url in guard.requests)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    guard.assert_clean()
