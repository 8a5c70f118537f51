"""The staff second factor: TOTP (RFC 6238, through pyotp) and single-use recovery codes.

Enrolment writes a secret with no confirmation time; only a correct code confirms it, so a
half-finished set-up never asks anyone for a code. Every accepted code is single-use: the time
step of the last accepted TOTP code is stored and a code of that step or an earlier one is
refused, so a code read over someone's shoulder cannot be replayed within its 90-second
window. Recovery codes carry about 79 random bits each, so a SHA-256 digest is enough to store
them (no slow hash needed against guessing), and each is marked used when it signs someone in.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable

import flask_babel
import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from survey.database import write_transaction
from survey.extensions import db
from survey.models import RecoveryCode, StaffUser, utcnow
from survey.services.hashing import token_digest
from survey.services.staff import StaffError, audit

_: Callable[..., str] = flask_babel.gettext

ISSUER = "SME Digital Readiness Survey"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(email: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_image(uri: str) -> Markup:
    """The otpauth URI as a PNG data URI: no request, no script, and WeChat can read images."""
    code = segno.make(uri, error="m")
    data = code.png_data_uri(scale=4, border=2, dark="#1c2430", light="#ffffff")
    side = int(code.symbol_size(scale=4, border=2)[0])
    return Markup('<img class="qr" src="{}" width="{}" height="{}" alt="{}">').format(
        data, side, side, _("QR code for your authenticator app"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (now, one before or one after, for clock drift) whose code this is."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_codes() -> list[str]:
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
            for _ in range(RECOVERY_CODE_COUNT)]


def show_recovery_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def start_enrolment(user_id: int) -> str:
    """A fresh secret for an account that has no confirmed second factor yet."""
    with write_transaction() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.id == user_id).with_for_update())
        if user is None:
            raise LookupError(user_id)
        if user.has_second_factor:
            raise StaffError(_("Two-step sign-in is already on for this account."))
        user.totp_secret = new_secret()
        user.totp_confirmed_at = None
        user.totp_last_step = None
        return user.totp_secret


def confirm_enrolment(user_id: int, code: str, via: str = "web") -> list[str] | None:
    """Turn the second factor on with a correct code; the new recovery codes, or None.

    Every other session of the account ends (they were opened with the password alone).
    """
    with write_transaction() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.id == user_id).with_for_update())
        if user is None:
            raise LookupError(user_id)
        if user.totp_secret is None or user.has_second_factor:
            raise StaffError(_("Start the set-up again."))
        step = _matching_step(user.totp_secret, normalise_code(code), time.time())
        if step is None:
            return None
        user.totp_confirmed_at = utcnow()
        user.totp_last_step = step
        user.session_version += 1
        codes = _recovery_codes()
        s.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
        s.add_all(RecoveryCode(staff_user_id=user.id, code_hash=token_digest(c),
                               created_at=utcnow()) for c in codes)
        audit(s, user, "staff.2fa_enrol", f"staff:{user.id}",
              {"email": user.email, "via": via})
    return codes


def check_code(user_id: int, code: str) -> str | None:
    """How the code proves the second factor ("totp" or "recovery_code"), or None.

    The check and the marking as used are one locked transaction, so two requests with the
    same code cannot both succeed.
    """
    code = normalise_code(code)
    if not code or len(code) > 64:
        return None
    with write_transaction() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.id == user_id).with_for_update())
        if user is None or not user.has_second_factor or user.totp_secret is None:
            return None
        step = _matching_step(user.totp_secret, code, time.time())
        if step is not None:
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None
            user.totp_last_step = step
            return "totp"
        used = s.execute(
            update(RecoveryCode)
            .where(RecoveryCode.staff_user_id == user_id, RecoveryCode.used_at.is_(None),
                   RecoveryCode.code_hash == token_digest(code))
            .values(used_at=utcnow()))
        return "recovery_code" if used.rowcount else None  # type: ignore[attr-defined]


def recovery_codes_left(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.staff_user_id == user_id, RecoveryCode.used_at.is_(None))) or 0


def reset(user_id: int, actor: StaffUser | None, via: str = "web") -> StaffUser:
    """Turn the second factor off (a lost phone): the owner sets it up again at next sign-in
    if their role requires it. The account's sessions end."""
    with write_transaction() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.id == user_id).with_for_update())
        if user is None:
            raise LookupError(user_id)
        user.totp_secret = None
        user.totp_confirmed_at = None
        user.totp_last_step = None
        user.session_version += 1
        s.execute(delete(RecoveryCode).where(RecoveryCode.staff_user_id == user.id))
        audit(s, actor, "staff.2fa_reset", f"staff:{user.id}",
              {"email": user.email, "via": via})
    return user
