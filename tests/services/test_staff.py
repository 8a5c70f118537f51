"""Staff writes: responses deleted with an audit row; passwords and deactivation revoke tokens."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import ApiToken, Assessment, AuditLog, Response
from survey.services import responses as services
from survey.services import staff, tokens
from tests.helpers import ANALYST, PASSWORD, best_answers, make_staff


def test_deleting_a_response_removes_it_and_audits_without_token(app: Flask) -> None:
    response = services.create_submitted(best_answers())
    token, rid = response.token, response.id
    db.session.expunge_all()
    assert staff.delete_response(rid, None)
    assert db.session.get(Response, rid) is None
    assert db.session.scalar(select(Assessment).where(Assessment.response_id == rid)) is None
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "response.delete"))
    assert row is not None and row.target == f"response:{rid}"
    assert token not in repr(row.details) and token not in (row.target or "")
    assert not staff.delete_response(rid, None)


def _live_tokens(user_id: int) -> int:
    db.session.expire_all()
    return len(db.session.scalars(select(ApiToken).where(
        ApiToken.staff_user_id == user_id, ApiToken.revoked_at.is_(None))).all())


def test_own_password_change_needs_the_current_one_and_revokes_tokens(app: Flask) -> None:
    user = make_staff(ANALYST)
    issued = tokens.issue(ANALYST, "partner")
    with pytest.raises(staff.WrongPassword):
        staff.change_own_password(user.id, "not my password", "a brand new passphrase")
    with pytest.raises(staff.StaffError, match="too common"):
        staff.change_own_password(user.id, PASSWORD, "password1234")
    assert _live_tokens(user.id) == 1
    changed = staff.change_own_password(user.id, PASSWORD, "a brand new passphrase")
    assert changed.session_version == 1
    assert _live_tokens(user.id) == 0 and tokens.authenticate(issued.token) is None
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.password_change"))
    assert row is not None and row.actor_id == user.id and row.details == {"tokens_revoked": 1}


def test_admin_reset_revokes_tokens(app: Flask) -> None:
    user = make_staff(ANALYST)
    issued = tokens.issue(ANALYST, "partner")
    staff.reset_password(user.id, "another good passphrase", None)
    assert tokens.authenticate(issued.token) is None


def test_reactivation_brings_no_token_back(app: Flask) -> None:
    user = make_staff(ANALYST)
    issued = tokens.issue(ANALYST, "partner")
    staff.set_active(user.id, False, None)
    staff.set_active(user.id, True, None)
    assert tokens.authenticate(issued.token) is None
    assert _live_tokens(user.id) == 0
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "staff.deactivate"))
    assert row is not None and row.details["tokens_revoked"] == 1
