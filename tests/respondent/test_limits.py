"""Respondent rate limits: a roundtable of a hundred firms behind one address starts and
submits; a scripted flood and one browser restarting again and again are stopped."""

from __future__ import annotations

from flask import Flask

from survey.config import RESPONDENT_LIMITS
from tests.helpers import csrf_from


def _start(client: object) -> int:
    page = client.get("/")  # type: ignore[attr-defined]
    r = client.post("/start", data={"consent": "y",  # type: ignore[attr-defined]
                                    "csrf_token": csrf_from(page.text)})
    return int(r.status_code)


def test_a_hundred_firms_on_one_wifi_all_start(app: Flask) -> None:
    codes = [_start(app.test_client()) for _ in range(100)]  # one address, 100 browsers
    assert codes == [302] * 100


def test_one_browser_restarting_again_and_again_is_stopped(app: Flask) -> None:
    client = app.test_client()
    per_minute = int(RESPONDENT_LIMITS["START_LIMIT_PER_SESSION"].split("/")[0])
    codes = [_start(client) for _ in range(per_minute + 1)]
    assert codes == [302] * per_minute + [429]
    assert _start(app.test_client()) == 302  # the next browser on the same Wi-Fi is not


def test_a_scripted_flood_from_one_address_meets_the_ceiling(app: Flask) -> None:
    app.config["START_LIMIT_PER_ADDRESS"] = "12/minute"
    codes = [_start(app.test_client()) for _ in range(13)]
    assert codes == [302] * 12 + [429]


def test_limits_are_settings(app: Flask) -> None:
    for name, default in RESPONDENT_LIMITS.items():
        assert app.config[name] == default
