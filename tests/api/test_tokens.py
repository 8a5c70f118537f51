"""Staff API tokens: stored hashed, shown once, revocable; and the `token` CLI."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from survey.database import write_transaction
from survey.extensions import db
from survey.models import ApiToken, AuditLog, StaffUser
from survey.services import tokens
from survey.services.hashing import token_digest
from tests.helpers import make_staff


def test_issue_stores_only_the_digest(app: Flask) -> None:
    make_staff("a@example.org")
    issued = tokens.issue("A@example.org ", "notebook")
    assert issued.token.startswith("sme_") and len(issued.token) > 40
    row = db.session.scalar(select(ApiToken))
    assert row is not None
    assert row.token_hash == token_digest(issued.token)
    assert issued.token not in (row.name, row.token_hash)
    client = tokens.authenticate(issued.token)
    assert client is not None and client.token_id == row.id


def test_authenticate_refuses_unknown_revoked_and_inactive(app: Flask) -> None:
    user = make_staff("b@example.org")
    issued = tokens.issue(user.email, "x")
    assert tokens.authenticate("sme_nope") is None
    assert tokens.authenticate("") is None
    with write_transaction() as s:
        u = s.get(StaffUser, user.id)
        assert u is not None
        u.active = False
    assert tokens.authenticate(issued.token) is None
    with write_transaction() as s:
        u = s.get(StaffUser, user.id)
        assert u is not None
        u.active = True
    assert tokens.authenticate(issued.token) is not None
    assert tokens.revoke(issued.id) is True
    assert tokens.revoke(issued.id) is False
    assert tokens.authenticate(issued.token) is None


def test_authenticate_records_last_use(app: Flask) -> None:
    user = make_staff("c@example.org")
    issued = tokens.issue(user.email, "x")
    assert tokens.list_tokens()[0].last_used_at is None
    tokens.authenticate(issued.token)
    assert tokens.list_tokens()[0].last_used_at is not None


def test_issue_refuses_unknown_or_inactive_staff(app: Flask) -> None:
    make_staff("gone@example.org", active=False)
    for email in ("nobody@example.org", "gone@example.org"):
        try:
            tokens.issue(email, "x")
        except tokens.TokenError:
            continue
        raise AssertionError(f"issued a token for {email}")
    assert db.session.scalar(select(ApiToken)) is None


def test_issue_and_revoke_are_audited(app: Flask) -> None:
    user = make_staff("d@example.org")
    issued = tokens.issue(user.email, "x", actor_id=user.id)
    tokens.revoke(issued.id, actor_id=user.id)
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["staff.create", "api_token.create", "api_token.revoke"]
    assert all(issued.token not in str(d) for d in db.session.scalars(
        select(AuditLog.details)))


def test_cli_create_list_revoke(app: Flask, runner: FlaskCliRunner) -> None:
    make_staff("cli@example.org")
    created = runner.invoke(args=["token", "create", "cli@example.org", "--name", "Partner"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert tokens.authenticate(secret) is not None
    listed = runner.invoke(args=["token", "list"])
    assert listed.exit_code == 0 and "Partner" in listed.output
    assert secret not in listed.output
    token_id = tokens.list_tokens()[0].id
    revoked = runner.invoke(args=["token", "revoke", str(token_id)])
    assert revoked.exit_code == 0
    assert tokens.authenticate(secret) is None
    again = runner.invoke(args=["token", "revoke", str(token_id)])
    assert again.exit_code == 1


def test_cli_create_for_unknown_staff_fails(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["token", "create", "who@example.org", "--name", "x"])
    assert result.exit_code == 1
    assert "no active staff member" in result.output
