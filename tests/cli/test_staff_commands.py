"""`flask staff …`: create, list, deactivate, reset-password."""

from __future__ import annotations

import pyotp
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, StaffUser
from survey.services import second_factor
from survey.services.hashing import verify_password

GOOD = "a sufficiently long passphrase"


def _user(email: str) -> StaffUser | None:
    db.session.expire_all()
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_create_from_stdin_and_list(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["staff", "create", "Lead@Example.org", "--role", "admin",
                                 "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    user = _user("lead@example.org")
    assert user is not None and user.role == "admin"
    assert verify_password(user.password_hash, GOOD)
    assert GOOD not in user.password_hash
    listing = runner.invoke(args=["staff", "list"])
    assert "lead@example.org\tadmin\tactive" in listing.output
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.create"))
    assert row is not None and row.actor_id is None and row.details["via"] == "cli"


def test_create_prompts_twice_when_interactive(app: Flask, runner: FlaskCliRunner) -> None:
    mismatch = runner.invoke(args=["staff", "create", "a@example.org", "--role", "analyst"],
                             input=f"{GOOD}\nsomething else entirely\n{GOOD}\n{GOOD}\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert GOOD not in mismatch.output  # hidden input is not echoed
    assert _user("a@example.org") is not None


def test_create_refuses_weak_duplicate_and_bad_role(app: Flask, runner: FlaskCliRunner) -> None:
    weak = runner.invoke(args=["staff", "create", "b@example.org", "--role", "analyst",
                               "--password-stdin"], input="password2024!\n")
    assert weak.exit_code == 1 and "too common" in weak.output
    local = runner.invoke(args=["staff", "create", "zhangwei.sme@example.cn", "--role",
                                "analyst", "--password-stdin"], input="zhangwei.sme\n")
    assert local.exit_code == 1 and "email" in local.output
    runner.invoke(args=["staff", "create", "c@example.org", "--role", "analyst",
                        "--password-stdin"], input=GOOD + "\n")
    dup = runner.invoke(args=["staff", "create", "C@example.org", "--role", "analyst",
                              "--password-stdin"], input=GOOD + "\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    role = runner.invoke(args=["staff", "create", "d@example.org", "--role", "owner",
                               "--password-stdin"], input=GOOD + "\n")
    assert role.exit_code != 0
    assert _user("b@example.org") is None and _user("d@example.org") is None


def test_deactivate_and_reset_end_sessions(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["staff", "create", "e@example.org", "--role", "analyst",
                        "--password-stdin"], input=GOOD + "\n")
    user = _user("e@example.org")
    assert user is not None
    version = user.session_version
    reset = runner.invoke(args=["staff", "reset-password", "e@example.org", "--password-stdin"],
                          input="another very long passphrase\n")
    assert reset.exit_code == 0, reset.output
    user = _user("e@example.org")
    assert user is not None and user.session_version == version + 1
    assert verify_password(user.password_hash, "another very long passphrase")
    off = runner.invoke(args=["staff", "deactivate", "E@example.org"])
    assert off.exit_code == 0
    user = _user("e@example.org")
    assert user is not None and not user.active and user.session_version == version + 2
    missing = runner.invoke(args=["staff", "deactivate", "nobody@example.org"])
    assert missing.exit_code == 1 and "no staff account" in missing.output


def test_reset_2fa_turns_the_second_factor_off(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["staff", "create", "f@example.org", "--role", "admin",
                        "--password-stdin"], input=GOOD + "\n")
    user = _user("f@example.org")
    assert user is not None
    secret = second_factor.start_enrolment(user.id)
    assert second_factor.confirm_enrolment(user.id, pyotp.TOTP(secret).now()) is not None
    done = runner.invoke(args=["staff", "reset-2fa", "F@example.org"])
    assert done.exit_code == 0, done.output
    user = _user("f@example.org")
    assert user is not None and not user.has_second_factor
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.2fa_reset"))
    assert row is not None and row.actor_id is None and row.details["via"] == "cli"
    assert runner.invoke(args=["staff", "reset-2fa", "nobody@example.org"]).exit_code == 1
