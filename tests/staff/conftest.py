"""Staff fixtures: accounts, signed-in clients, stored assessments (helpers: tests/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.models import Response, StaffUser
from survey.services import responses as services
from tests.helpers import ADMIN, ANALYST, best_answers, make_staff, sign_in, worst_answers


@pytest.fixture
def admin(app: Flask) -> StaffUser:
    return make_staff(ADMIN, "admin")


@pytest.fixture
def analyst(app: Flask) -> StaffUser:
    return make_staff(ANALYST, "analyst")


@pytest.fixture
def admin_client(app: Flask, admin: StaffUser) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, ADMIN).status_code == 302
    return client


@pytest.fixture
def analyst_client(app: Flask, analyst: StaffUser) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, ANALYST).status_code == 302
    return client


@pytest.fixture
def submit(app: Flask) -> Callable[..., Response]:
    """Store a submitted, scored response; overrides replace single answers."""

    def make(best: bool = True, **overrides: Any) -> Response:
        answers = best_answers(**overrides) if best else worst_answers(**overrides)
        return services.create_submitted(answers, source="web")

    return make
