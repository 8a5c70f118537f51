"""The TOTP second factor: enrolment needs a right code, every code works once."""

from __future__ import annotations

import time

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, RecoveryCode, StaffUser
from survey.services import second_factor, staff
from survey.services.hashing import token_digest
from tests.helpers import ANALYST, make_staff


def enrolled(user: StaffUser) -> tuple[str, list[str]]:
    secret = second_factor.start_enrolment(user.id)
    codes = second_factor.confirm_enrolment(user.id, pyotp.TOTP(secret).now())
    assert codes is not None
    return secret, codes


def fresh(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    assert user is not None
    db.session.refresh(user)
    return user


def test_enrolment_needs_a_right_code_and_then_gives_ten_hashed_codes(app: Flask) -> None:
    user = make_staff(ANALYST)
    secret = second_factor.start_enrolment(user.id)
    assert not fresh(user.id).has_second_factor  # a set-up in progress asks nobody for codes
    assert second_factor.confirm_enrolment(user.id, "000000" if pyotp.TOTP(secret).now()
                                           != "000000" else "111111") is None
    codes = second_factor.confirm_enrolment(user.id, pyotp.TOTP(secret).now())
    assert codes is not None and len(set(codes)) == 10
    user = fresh(user.id)
    assert user.has_second_factor and user.session_version == 1
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert sorted(stored) == sorted(token_digest(c) for c in codes)
    assert not any(c in stored for c in codes)
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.2fa_enrol"))
    assert row is not None and row.actor_id == user.id
    with pytest.raises(staff.StaffError):
        second_factor.start_enrolment(user.id)


def test_a_totp_code_works_once(app: Flask) -> None:
    user = make_staff(ANALYST)
    secret, _codes = enrolled(user)
    totp = pyotp.TOTP(secret)
    later = totp.at(time.time() + 30)
    assert second_factor.check_code(user.id, later) == "totp"
    assert second_factor.check_code(user.id, later) is None  # replayed
    assert second_factor.check_code(user.id, totp.now()) is None  # an older step than the last
    assert second_factor.check_code(user.id, totp.at(time.time() - 3600)) is None


def test_a_recovery_code_works_once_in_any_spelling(app: Flask) -> None:
    user = make_staff(ANALYST)
    _secret, codes = enrolled(user)
    shown = second_factor.show_recovery_code(codes[3]).upper()
    assert "-" in shown
    assert second_factor.check_code(user.id, f" {shown} ") == "recovery_code"
    assert second_factor.check_code(user.id, codes[3]) is None
    assert second_factor.recovery_codes_left(user.id) == 9
    other = make_staff("other@example.org")
    assert second_factor.check_code(other.id, codes[4]) is None  # codes belong to one account


def test_reset_turns_it_off_ends_sessions_and_is_audited(app: Flask) -> None:
    admin = make_staff("admin@example.org", "admin")
    user = make_staff(ANALYST)
    _secret, codes = enrolled(user)
    version = fresh(user.id).session_version
    second_factor.reset(user.id, admin)
    user = fresh(user.id)
    assert not user.has_second_factor and user.totp_secret is None
    assert user.session_version == version + 1
    assert second_factor.check_code(user.id, codes[0]) is None
    assert second_factor.recovery_codes_left(user.id) == 0
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.2fa_reset"))
    assert row is not None and row.actor_id == admin.id and row.target == f"staff:{user.id}"


def test_the_qr_code_is_an_image_with_the_otpauth_uri(app: Flask) -> None:
    uri = second_factor.provisioning_uri("a@example.org", pyotp.random_base32(32))
    assert uri.startswith("otpauth://totp/") and "issuer=" in uri
    with app.test_request_context():
        html = str(second_factor.qr_image(uri))
    assert html.startswith('<img class="qr" src="data:image/png;base64,')
