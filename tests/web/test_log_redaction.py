"""No private token in any log: error messages, tracebacks, database errors, gunicorn's and
Werkzeug's logs — provoked on every path that carries a token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from survey.core.tokens import new_token
from survey.extensions import db
from survey.web.log_redaction import redact
from tests.journey import Respondent


@pytest.fixture
def token(respondent: Respondent) -> str:
    respondent.start()
    respondent.fill_all()
    respondent.submit()
    return respondent.token()


@pytest.fixture
def failing_database(app: Flask, token: str) -> Iterator[None]:
    """Every statement that uses the token fails as a locked database would, with the token
    in the error's parameters (and so in the traceback)."""
    engine = db.engine

    def fail(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if token in repr(parameters):
            raise OperationalError(statement, parameters, Exception("database is locked"))

    event.listen(engine, "before_cursor_execute", fail)
    yield
    event.remove(engine, "before_cursor_execute", fail)


@pytest.mark.parametrize("template", ["/r/{}", "/report/{}", "/report/{}/my-data.json",
                                      "/report/{}/my-data.csv", "/api/v1/assessments/{}"])
def test_errors_on_private_paths_log_no_token(app: Flask, respondent: Respondent, token: str,
                                              failing_database: None, template: str,
                                              caplog: pytest.LogCaptureFixture) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    caplog.set_level(logging.INFO)
    r = respondent.client.get(template.format(token))
    assert r.status_code == 500
    assert "database is locked" in caplog.text and "Traceback" in caplog.text
    assert token not in caplog.text
    assert "[token]" in caplog.text


def test_werkzeug_request_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    token = new_token()
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('%s - - [x] "%s" %s %s', "127.0.0.1",
                                       f"GET /report/{token}/my-data.csv HTTP/1.1", "200", "-")
    assert token not in caplog.text and "/report/[token]/my-data.csv" in caplog.text


def test_gunicorn_error_log_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    from gunicorn.config import Config

    from survey.web.access_log import RedactingGunicornLogger

    token = new_token()
    cfg = Config()
    cfg.set("errorlog", "-")
    logger = RedactingGunicornLogger(cfg)
    try:
        raise ValueError(f"bad token {token}")
    except ValueError:
        logger.exception("Error handling request /r/%s", token)
    logger.error("Error handling request /api/v1/assessments/%s", token)
    err = capsys.readouterr().err
    assert "ValueError" in err and "/api/v1/assessments/[token]" in err
    assert token not in err


def test_redact_covers_both_shapes() -> None:
    token = new_token()
    assert redact(f"GET /r/{token}?lang=zh") == "GET /r/[token]?lang=zh"
    assert redact(f"[parameters: ('{token}',)]") == "[parameters: ('[token]',)]"
    assert redact(f"/report/{token[:20]}%00") == "/report/[token]%00"
    assert redact(f"Bearer {new_token('sme_')}.") == "Bearer [token]."
    kept = ["survey_respondent_views_handle_report_request_x", "a" * 43, "0" * 64,
            "/staff/responses/12", "sha256:" + "ab" * 32]
    for text in kept:
        assert redact(text) == text
