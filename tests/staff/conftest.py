"""Staff test helpers: accounts, signed-in clients, CSRF tokens and stored assessments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.core.questionnaire import Question, Questionnaire, Text
from survey.models import Response, StaffUser
from survey.services import responses as services
from survey.services import staff
from tests import factories

PASSWORD = "correct horse battery staple"
ADMIN = "admin@example.org"
ANALYST = "analyst@example.org"
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/staff/login") -> str:
    """The CSRF token of the client's session, read from a page with a form."""
    page = client.get(path)
    tag = _CSRF_INPUT.search(page.get_data(as_text=True))
    assert tag, f"no CSRF token on {path} ({page.status_code})"
    value = _VALUE.search(tag.group(0))
    assert value
    return value.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD,
            **extra: Any) -> Any:
    token = csrf_token(client)
    return client.post("/staff/login", data={"email": email, "password": password,
                                             "csrf_token": token}, **extra)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None,
         token_from: str | None = None, **kwargs: Any) -> Any:
    """POST with the session's CSRF token, as the staff pages' forms do."""
    token = csrf_token(client, token_from or "/staff/responses")
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)


@pytest.fixture
def make_staff(app: Flask) -> Callable[..., StaffUser]:
    def make(email: str, role: str = "analyst", password: str = PASSWORD) -> StaffUser:
        return staff.create_staff(email, role, password, actor=None, via="test")

    return make


@pytest.fixture
def admin(make_staff: Callable[..., StaffUser]) -> StaffUser:
    return make_staff(ADMIN, "admin")


@pytest.fixture
def analyst(make_staff: Callable[..., StaffUser]) -> StaffUser:
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
        return services.create_submitted(factories.answers(best=best, **overrides),
                                         source="web")

    return make


def with_text_question(q: Questionnaire, qid: str = "comments") -> Questionnaire:
    """The questionnaire plus an optional free-text question (the data file has none yet)."""
    last = q.sections[-1]
    extra = Question(id=qid, type="text", text=Text("Anything else?", "还有什么？"),
                     section=last.id, required=False, max_length=1000)
    sections = (*q.sections[:-1], replace(last, questions=(*last.questions, extra)))
    return replace(q, sections=sections, questions={**q.questions, qid: extra})
