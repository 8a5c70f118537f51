"""Staff API tokens: issued, checked and revoked here (writes in one transaction each).

A token is shown once, when issued; only its SHA-256 is stored, so a leaked database does not
leak working tokens, and a lookup by digest is a plain indexed equality. A token works only
while it is not revoked and its owner is an active staff member with a staff role: deactivating
someone disables every token they hold without a second step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from survey.core.tokens import new_token
from survey.database import write_transaction
from survey.extensions import db
from survey.models import ROLES, ApiToken, AuditLog, StaffUser, utcnow
from survey.services.hashing import token_digest

PREFIX = "sme_"
MAX_TOKEN_LENGTH = 200
LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Issued:
    id: int
    name: str
    email: str
    token: str


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    email: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TokenError(ValueError):
    """A token cannot be issued or revoked as asked (unknown owner, unknown token)."""


def new_secret() -> str:
    return new_token(PREFIX)


def issue(email: str, name: str, actor_id: int | None = None) -> Issued:
    """Create a token for an active staff member; the plain token is in the result only."""
    name = name.strip()
    if not name or len(name) > 80:
        raise TokenError("the token name must be 1 to 80 characters")
    secret = new_secret()
    with write_transaction() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            user = s.scalar(select(StaffUser).where(StaffUser.email == email.strip()))
        if user is None or not user.active:
            raise TokenError(f"no active staff member with the email {email!r}")
        row = ApiToken(name=name, token_hash=token_digest(secret), staff_user_id=user.id,
                       created_at=utcnow())
        s.add(row)
        s.flush()
        s.add(AuditLog(actor_id=actor_id, action="api_token.create", target=f"api_token:{row.id}",
                       details={"name": name, "owner_id": user.id}))
        issued = Issued(id=row.id, name=name, email=user.email, token=secret)
    return issued


def revoke(token_id: int, actor_id: int | None = None) -> bool:
    """Revoke a token for good; False when there is no such token or it was already revoked."""
    with write_transaction() as s:
        row = s.get(ApiToken, token_id, with_for_update=True)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        s.add(AuditLog(actor_id=actor_id, action="api_token.revoke",
                       target=f"api_token:{row.id}", details={"name": row.name}))
    return True


def list_tokens() -> list[TokenRow]:
    stmt = (
        select(ApiToken.id, ApiToken.name, StaffUser.email, ApiToken.created_at,
               ApiToken.last_used_at, ApiToken.revoked_at)
        .join(StaffUser, ApiToken.staff_user_id == StaffUser.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [TokenRow(*row) for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class Client:
    """Who holds a valid token: the token's id (rate-limit and idempotency scope) and owner."""

    token_id: int
    user_id: int
    role: str


def authenticate(secret: str) -> Client | None:
    """The client a presented token stands for, or None if it is unknown, revoked, or its
    owner is deactivated or without a staff role."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, StaffUser.id, StaffUser.role)
        .join(StaffUser, ApiToken.staff_user_id == StaffUser.id)
        .where(ApiToken.token_hash == token_digest(secret), ApiToken.revoked_at.is_(None),
               StaffUser.active.is_(True))
    ).first()
    if row is None or row[3] not in ROLES:
        return None
    token_id, last_used, user_id, role = row
    _touch(token_id, last_used)
    return Client(token_id=token_id, user_id=user_id, role=role)


def _touch(token_id: int, last_used: dt.datetime | None) -> None:
    """Record use, at most every few minutes, so reading stats does not write on every call."""
    now = utcnow()
    if last_used is not None and now - last_used < LAST_USED_GRANULARITY:
        return
    with write_transaction() as s:
        row = s.get(ApiToken, token_id)
        if row is not None:
            row.last_used_at = now
