"""Two-step sign-in in headless Chromium: set up from the QR page, sign in with a code and with
a recovery code — with no script, under the production CSP, nothing fetched from elsewhere."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from tests.e2e.helpers import ensure_staff, submit_sign_in

from .conftest import Guard, LiveServer

EMAIL = "totp-e2e@example.org"


def sign_out(page: Any, base: str) -> None:
    page.click("nav.staff-nav button[type=submit]")
    page.wait_for_url(base + "/staff/login")


def password_step(page: Any, base: str) -> None:
    page.goto(base + "/staff/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", "correct horse battery staple")
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")
    assert page.url == base + "/staff/login/code"


def code_step(page: Any, code: str) -> None:
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.click("form:has(input[name=code]) button[type=submit]")


@pytest.mark.e2e
def test_set_up_and_sign_in_with_a_code(context: Any, live_server: LiveServer,
                                        guard: Guard) -> None:
    base = live_server.url
    ensure_staff(live_server.app, EMAIL, "analyst", "correct horse battery staple")
    page = guard.attach(context.new_page())
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(base + "/staff/login")
    submit_sign_in(page, EMAIL, "correct horse battery staple")

    page.click("nav.staff-nav a[href='/staff/account']")
    page.click("a[href='/staff/two-factor']")
    with page.expect_navigation():
        page.click("form[action='/staff/two-factor/start'] button")
    qr = page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    secret = page.inner_text("code.secret").replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.fill("input[name=code]", totp.now())
    with page.expect_navigation():
        page.click("form[action='/staff/two-factor/confirm'] button[type=submit]")
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.click("a.button")
    assert page.url == base + "/staff/account"

    sign_out(page, base)
    password_step(page, base)
    code_step(page, totp.at(time.time() + 30))
    assert page.url.startswith(base + "/staff/") and "/staff/login" not in page.url

    sign_out(page, base)
    password_step(page, base)
    code_step(page, codes[0])
    assert "/staff/login" not in page.url
    sign_out(page, base)
    password_step(page, base)
    code_step(page, codes[0])  # used already
    assert page.url == base + "/staff/login/code"
    assert "not right" in page.inner_text(".error-summary")
    guard.assert_clean()
