"""Argon2id password hashes and SHA-256 digests of bearer tokens.

Used by the services that create accounts and tokens and by sign-in; the Argon2 parameters come
from the app's settings (`ARGON2_PARAMS`), so tests can make hashing cheap.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def hasher() -> PasswordHasher:
    params = current_app.config.get("ARGON2_PARAMS") or {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant-ish time whether or not the account exists: unknown accounts verify a dummy."""
    ph = hasher()
    target = stored_hash or _dummy_hash()
    try:
        ok: bool = ph.verify(target, password)  # argon2 types it Literal[True]: it raises instead
    except (VerificationError, InvalidHashError):
        ok = False
    return bool(ok and stored_hash)


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("survey_dummy_hash", {})
    if "hash" not in cache:
        cache["hash"] = hasher().hash("not-a-real-password-for-timing")
    return str(cache["hash"])


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
