"""Rate limits of the respondent's pages: a chamber roundtable, not an address, is the unit.

A hundred owners on a venue's Wi-Fi, or on a mobile carrier that puts thousands of phones
behind one address, must all be able to start and submit within minutes, so limits per address
are only a high ceiling against scripted floods; what one browser can do is limited by its own
session (a random key kept in the signed session cookie, never the draft's token). A script
that drops the cookie meets the address ceiling; one that keeps it meets the session limit.

Every limit is a setting (docs/deploy.md lists them), read when a request is checked, so a
deployment can change it without code.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, session
from flask_limiter.util import get_remote_address

from survey.config import RESPONDENT_LIMITS

_SESSION_KEY = "limit_key"


def _setting(name: str) -> str:
    return str(current_app.config.get(name) or RESPONDENT_LIMITS[name])


def start_per_address() -> str:
    return _setting("START_LIMIT_PER_ADDRESS")


def start_per_session() -> str:
    return _setting("START_LIMIT_PER_SESSION")


def submit_per_address() -> str:
    return _setting("SUBMIT_LIMIT_PER_ADDRESS")


def address_key() -> str:
    return f"addr:{get_remote_address() or 'unknown'}"


def session_key() -> str:
    """This browser's own key: made once and kept in its session."""
    key = session.get(_SESSION_KEY)
    if not isinstance(key, str):
        key = secrets.token_urlsafe(12)
        session[_SESSION_KEY] = key
    return f"browser:{key}"


def browser_digest() -> str:
    """This browser's key as stored with what it submits: a digest, never the key itself."""
    return hashlib.sha256(session_key().encode()).hexdigest()[:64]
