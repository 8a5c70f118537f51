"""The staff password rule."""

from __future__ import annotations

import pytest
from flask import Flask

from survey.services.passwords import MIN_LENGTH, common_passwords, password_problems


@pytest.fixture
def ctx(bare_app: Flask):  # type: ignore[no-untyped-def]
    with bare_app.test_request_context():
        yield


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("password", [
    "short pass",            # too short
    "password1234",          # a common stem plus digits
    "Qwertyuiop123!",        # keyboard walk plus digits and punctuation
    "woaini1314520",         # common Chinese-user favourite
    "123456789012",          # digits only
    "aaaaaaaaaaaaaaa",       # one character
    "abababababab",          # two characters
])
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problems(password, "someone@example.org")


@pytest.mark.usefixtures("ctx")
def test_the_email_name_is_refused() -> None:
    assert password_problems("zhang.wei.2024", "zhang.wei.2024@example.cn")
    assert password_problems("zhang.wei.2024", "other@example.cn") == []


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("password", ["correct horse battery staple", "港口-物流-2026-春季"])
def test_long_unusual_passwords_pass(password: str) -> None:
    assert password_problems(password, "someone@example.org") == []


def test_the_list_ships_with_the_package() -> None:
    words = common_passwords()
    assert {"password", "123456", "woaini1314", "qwerty"} <= words
    assert all(w == w.lower() for w in words)
    assert MIN_LENGTH >= 12
