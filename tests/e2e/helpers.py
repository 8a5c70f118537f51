"""Helpers of the browser tests: staff accounts and rows written through the live server's app,
sign-in and answering a page in Chromium. The rest lives in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from flask import Flask
from sqlalchemy import ColumnElement, delete, select

from survey.core.questionnaire import Section
from survey.extensions import db
from survey.models import Assessment, Response, StaffUser
from tests.helpers import PASSWORD, add_rows, make_staff


def ensure_staff(app: Flask, email: str, role: str = "analyst",
                 password: str = PASSWORD) -> int:
    """A staff account on the live server, made unless it exists (kept: other browser tests
    may sign in with it); its id."""
    with app.app_context():
        found = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
        return found if found is not None else make_staff(email, role, password).id


def _delete_responses(app: Flask, which: ColumnElement[bool]) -> None:
    with app.app_context():
        ids = select(Response.id).where(which)
        db.session.execute(delete(Assessment).where(Assessment.response_id.in_(ids)))
        db.session.execute(delete(Response).where(which))
        db.session.commit()


@contextmanager
def bench_rows(app: Flask, rows: Iterable[dict[str, Any]]) -> Iterator[None]:
    """Insert rows made by bench/seed.py (source "bench") and remove them afterwards, so the
    other browser tests sharing this server see the database as they left it."""
    with app.app_context():
        add_rows(rows)
    try:
        yield
    finally:
        _delete_responses(app, Response.source == "bench")


class Stored(NamedTuple):
    id: int
    token: str


@contextmanager
def temporary_responses(app: Flask, make: Callable[[], Iterable[Response]]
                        ) -> Iterator[list[Stored]]:
    """The responses `make` stores (called inside the server's app context), deleted with
    their assessments afterwards, so the other browser tests sharing the server never count
    them as peers."""
    with app.app_context():
        made = [Stored(r.id, r.token) for r in make()]
    try:
        yield made
    finally:
        _delete_responses(app, Response.id.in_([r.id for r in made]))


def submit_sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form the page shows, and wait until it is signed in."""
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    assert "/staff/login" not in page.url, "sign-in failed"


def fill_section(page: Any, section: Section, given: dict[str, Any]) -> None:
    """Answer one questionnaire page in the browser: choose in the selects, click the labels,
    type the numbers."""
    for q in section.questions:
        if q.id not in given:
            continue
        value = given[q.id]
        if q.widget == "select":
            page.select_option(f"#{q.id}", value)
        elif q.type in ("single", "multi"):
            for v in value if isinstance(value, list) else [value]:
                index = next(i for i, o in enumerate(q.options) if o.value == v)
                page.locator(f'label[for="{q.id}-{index}"]').click()
        else:
            page.fill(f"#{q.id}", str(value))
