"""survey/web/log_format.py: one key=value line per record, tracebacks included, with the id of
the request it belongs to."""

from __future__ import annotations

import logging
import re

from flask import Flask

from survey.web.log_format import KeyValueFormatter, RequestIdFilter, quote


def _record(msg: str, name: str = "survey.test", exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("bad\nvalue")
        except ValueError:
            import sys

            exc_info = sys.exc_info()
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, None, exc_info)


def test_quote() -> None:
    assert quote("plain") == "plain"
    assert quote("two words") == '"two words"'
    assert quote('say "hi"\nthen=go') == '"say \\"hi\\"\\nthen=go"'
    assert quote("") == '""'


def test_a_record_with_a_traceback_is_one_line() -> None:
    record = _record("it broke", exc=True)
    RequestIdFilter().filter(record)
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert re.match(r"ts=\S+Z level=ERROR logger=survey.test request_id=- msg=\"it broke\" "
                    r"exc=\"Traceback", line), line
    assert "ValueError: bad\\nvalue" in line


def test_access_lines_are_kept_as_they_are() -> None:
    line = KeyValueFormatter().format(_record("method=GET path=/ status=200",
                                              name="gunicorn.access"))
    assert line.endswith("logger=gunicorn.access method=GET path=/ status=200")


def test_records_in_a_request_carry_its_id(app: Flask) -> None:
    seen: list[str] = []

    @app.get("/_log_probe")
    def probe() -> str:
        record = _record("inside")
        RequestIdFilter().filter(record)
        seen.append(record.request_id)  # type: ignore[attr-defined]
        return "ok"

    response = app.test_client().get("/_log_probe", headers={"X-Request-ID": "abc12345-xyz"})
    assert response.headers["X-Request-ID"] == "abc12345-xyz" == seen[0]
    other = app.test_client().get("/_log_probe", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", other.headers["X-Request-ID"]) and seen[1] != "<script>"


def test_a_refused_host_still_gets_its_request_id(app: Flask) -> None:
    app.config["TRUSTED_HOSTS"] = ["survey.example.org"]
    refused = app.test_client().get("/", base_url="http://evil.example",
                                    headers={"X-Request-ID": "refused-host-1234"})
    assert refused.status_code == 400
    assert refused.headers["X-Request-ID"] == "refused-host-1234"
