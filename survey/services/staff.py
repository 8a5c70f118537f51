"""Staff writes: accounts, response deletion and the audit rows that go with them (waves:
survey.services.waves).

Every change runs in one `write_transaction()` together with its audit row, so the log can
never miss a change that happened nor record one that was rolled back. Audit rows name staff
and internal ids only — never a respondent's token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flask_babel
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.database import write_transaction
from survey.extensions import db
from survey.models import (
    ROLES,
    ApiToken,
    AuditLog,
    Response,
    StaffUser,
    utcnow,
)
from survey.services import erasure
from survey.services.hashing import hash_password, verify_password
from survey.services.passwords import password_problems

# flask_babel ships no types; its message functions return str.
_: Callable[..., str] = flask_babel.gettext
ngettext: Callable[..., str] = flask_babel.ngettext


class StaffError(ValueError):
    """A staff action refused for a reason the person can fix; the message says which."""


class WrongPassword(StaffError):
    """The current password given to prove who is asking is not right: a guess to count."""


def audit(
    session: Session,
    actor: StaffUser | None,
    action: str,
    target: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Add an audit row to the caller's transaction (the CLI acts with no actor)."""
    session.add(AuditLog(
        at=utcnow(), actor_id=actor.id if actor is not None else None, action=action,
        target=target, details=dict(details or {}),
    ))


def record(actor: StaffUser | None, action: str, target: str | None = None,
           details: Mapping[str, Any] | None = None) -> None:
    """An audit row of its own, for actions that change nothing else (exports)."""
    with write_transaction() as s:
        audit(s, actor, action, target, details)


# --- accounts ---------------------------------------------------------------------------

def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_staff(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def _check_password(password: str, email: str) -> None:
    problems = password_problems(password, email)
    if problems:
        raise StaffError(" ".join(problems))


def create_staff(email: str, role: str, password: str, actor: StaffUser | None = None,
                 via: str = "web") -> StaffUser:
    email = normalise_email(email)
    if role not in ROLES:
        raise StaffError(_("Unknown role."))
    if "@" not in email or len(email) > 254:
        raise StaffError(_("Enter a valid email address."))
    _check_password(password, email)
    pw_hash = hash_password(password)
    try:
        with write_transaction() as s:
            if s.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
                raise StaffError(_("An account with this email already exists."))
            user = StaffUser(email=email, password_hash=pw_hash, role=role, active=True,
                             created_at=utcnow(), session_version=0)
            s.add(user)
            s.flush()
            audit(s, actor, "staff.create", f"staff:{user.id}",
                  {"email": email, "role": role, "via": via})
    except IntegrityError as exc:
        raise StaffError(_("An account with this email already exists.")) from exc
    return user


def _locked_user(s: Session, user_id: int) -> StaffUser:
    user = s.scalar(select(StaffUser).where(StaffUser.id == user_id).with_for_update())
    if user is None:
        raise LookupError(user_id)
    return user


def _other_active_admins(s: Session, user_id: int) -> int:
    return s.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != user_id)) or 0


def set_role(user_id: int, role: str, actor: StaffUser | None, via: str = "web") -> StaffUser:
    """Change a role; the last active admin cannot be demoted (nobody could undo it).

    Sessions stay: the role is read from the database on every request, so it applies at once.
    """
    if role not in ROLES:
        raise StaffError(_("Unknown role."))
    with write_transaction() as s:
        user = _locked_user(s, user_id)
        if user.role == role:
            return user
        if user.role == "admin" and _other_active_admins(s, user.id) == 0:
            raise StaffError(_("This is the last active admin; make another admin first."))
        old = user.role
        user.role = role
        audit(s, actor, "staff.role", f"staff:{user.id}",
              {"email": user.email, "from": old, "to": role, "via": via})
    return user


def set_active(user_id: int, active: bool, actor: StaffUser | None,
               via: str = "web") -> StaffUser:
    """Deactivate (ending every session of the account) or reactivate an account."""
    with write_transaction() as s:
        user = _locked_user(s, user_id)
        if user.active == active:
            return user
        if not active and user.role == "admin" and _other_active_admins(s, user.id) == 0:
            raise StaffError(_("This is the last active admin; make another admin first."))
        user.active = active
        user.session_version += 1
        details: dict[str, Any] = {"email": user.email, "via": via}
        if not active:
            details["tokens_revoked"] = _revoke_tokens(s, user.id)
        audit(s, actor, "staff.activate" if active else "staff.deactivate",
              f"staff:{user.id}", details)
    return user


def _revoke_tokens(s: Session, user_id: int) -> int:
    """Revoke every live API token of an account, for good: reactivating the account or
    learning the old password brings none back."""
    result = s.execute(update(ApiToken)
                       .where(ApiToken.staff_user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def reset_password(user_id: int, password: str, actor: StaffUser | None,
                   via: str = "web") -> StaffUser:
    """A new password set by an admin; every session and API token of the account ends."""
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(user_id)
    return _set_password(user_id, password, user.email, actor, "staff.password_reset",
                         {"email": user.email, "via": via})


def change_own_password(user_id: int, current: str, new: str) -> StaffUser:
    """A staff member's own new password, proven by the current one.

    Every session (this one included: the caller starts it again) and every API token of the
    account ends, so whoever learnt the old password keeps nothing. The caller throttles the
    current-password check like a sign-in, since it answers the same question.
    """
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(user_id)
    if not verify_password(user.password_hash, current):
        raise WrongPassword(_("Your current password is not right."))
    return _set_password(user_id, new, user.email, user, "staff.password_change", {})


def _set_password(user_id: int, password: str, email: str, actor: StaffUser | None,
                  action: str, details: dict[str, Any]) -> StaffUser:
    """A new password: checked against the policy, hashed outside the lock (Argon2 is slow);
    every session and API token of the account ends, and the change is audited."""
    _check_password(password, email)
    pw_hash = hash_password(password)
    with write_transaction() as s:
        user = _locked_user(s, user_id)
        user.password_hash = pw_hash
        user.session_version += 1
        audit(s, actor, action, f"staff:{user.id}",
              {**details, "tokens_revoked": _revoke_tokens(s, user.id)})
    return user


# --- sign-in events ---------------------------------------------------------------------

def signed_in(user: StaffUser, address: str | None = None,
              second_factor: str | None = None) -> None:
    with write_transaction() as s:
        s.execute(update(StaffUser).where(StaffUser.id == user.id)
                  .values(last_login_at=utcnow()))
        details: dict[str, Any] = {"address": address}
        if second_factor:
            details["second_factor"] = second_factor
        audit(s, user, "staff.sign_in", f"staff:{user.id}", details)


def sign_in_refused(user_id: int | None, action: str, address: str | None,
                    reason: str) -> None:
    """A failed or throttled sign-in. An unknown account is recorded without the name typed,
    which is sometimes a password typed in the wrong field."""
    record(None, action, f"staff:{user_id}" if user_id is not None else None,
           {"address": address, "reason": reason})


def end_sessions(user: StaffUser) -> None:
    """Sign-out: cookies are client-side, so only a new session version really ends them."""
    with write_transaction() as s:
        s.execute(update(StaffUser).where(StaffUser.id == user.id)
                  .values(session_version=StaffUser.session_version + 1))
        audit(s, user, "staff.sign_out", f"staff:{user.id}")


# --- responses --------------------------------------------------------------------------

def delete_response(response_id: int, actor: StaffUser | None) -> bool:
    """Delete a response and its assessment by internal id; the audit row keeps no answers."""
    with write_transaction() as s:
        row = s.execute(select(Response.id, Response.status, Response.is_demo)
                        .where(Response.id == response_id)).first()
        if row is None:
            return False
        erasure.erase(s, response_id)
        audit(s, actor, "response.delete", f"response:{response_id}",
              {"status": row.status, "is_demo": row.is_demo})
    erasure.checkpoint()
    return True
