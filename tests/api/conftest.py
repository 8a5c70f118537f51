"""Helpers for the API tests: complete answer sets, staff users, tokens and sign-in.

API tests submit many times per test; the anonymous rate limit (5/minute) is lifted here for
every test that uses the `app` fixture, and the rate-limit tests set it back explicitly.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.core.questionnaire import Questionnaire, load_questionnaire
from survey.database import write_transaction
from survey.models import StaffUser
from survey.services.hashing import hash_password

PASSWORD = "a-long-test-passphrase-2026"
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


def answers_for(q: Questionnaire, pick: str = "best", seed: int = 0) -> dict[str, Any]:
    """A complete, valid set of answers: all "best", all "worst", or random ("random")."""
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    for qq in q.questions.values():
        real = [o for o in qq.options if not o.is_skip]
        if qq.type == "single":
            if pick == "random":
                out[qq.id] = rng.choice(qq.options).value
            else:
                ranked = sorted(real, key=lambda o: o.points or 0.0)
                out[qq.id] = (ranked[-1] if pick == "best" else ranked[0]).value
        elif qq.type == "multi":
            plain = [o.value for o in real if not o.exclusive]
            exclusive = [o.value for o in real if o.exclusive]
            if pick == "best" or (pick == "random" and not exclusive):
                out[qq.id] = plain
            elif pick == "random" and rng.random() < 0.7:
                out[qq.id] = rng.sample(plain, rng.randint(1, len(plain)))
            else:
                out[qq.id] = exclusive[:1] or plain[:1]
        elif qq.type == "number":
            low = qq.min if qq.min is not None else 0
            high = qq.max if qq.max is not None else low + 100
            out[qq.id] = int(low if pick == "worst" else rng.randint(int(low), int(high)))
        else:
            out[qq.id] = "Export to Vietnam" if pick != "worst" else ""
    return out


def make_staff(email: str, role: str = "analyst", active: bool = True) -> StaffUser:
    with write_transaction() as s:
        user = StaffUser(email=email, password_hash=hash_password(PASSWORD), role=role,
                         active=active)
        s.add(user)
    return user


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/staff/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the sign-in form has a CSRF token"
    resp = client.post("/staff/login", data={"email": email, "password": password,
                                             "csrf_token": match.group(1)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match
    return match.group(1)
