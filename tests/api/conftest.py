"""API fixtures: the questionnaire, and rate limits lifted (helpers: tests/helpers.py).

API tests submit many times per test; the anonymous rate limit (5/minute) is lifted here for
every test that uses the `app` fixture, and the rate-limit tests set it back explicitly.
"""

from __future__ import annotations

import pytest
from flask import Flask

from survey.core.questionnaire import Questionnaire, load_questionnaire

GENEROUS = "100000/minute"


@pytest.fixture(autouse=True)
def _generous_limits(request: pytest.FixtureRequest) -> None:
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        app.config["API_RATE_LIMIT_ANON"] = GENEROUS
        app.config["API_RATE_LIMIT_PARTNER"] = GENEROUS


@pytest.fixture
def questionnaire() -> Questionnaire:
    return load_questionnaire()
