"""The Flask-Login user loader, the start of a staff session and the role check of every view.

The session id of a user includes a `session_version`, so signing out, a password change or
reset, a second-factor change or a deactivation invalidates every existing session. A session
also ends after `STAFF_SESSION_IDLE_MINUTES` without a request and `STAFF_SESSION_MAX_HOURS`
after sign-in, whatever the cookie says: the times are kept in the signed session and checked
by the loader, so the API's session access ends with them too. An account whose role requires a
second factor (`STAFF_2FA_REQUIRED_ROLES`) has no session at all until it has one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, session
from flask_login import LoginManager, current_user, login_user
from sqlalchemy import select

from survey.extensions import db
from survey.models import StaffUser

F = TypeVar("F", bound=Callable[..., Any])

SESSION_TIMES = "staff_times"
SEEN_GRANULARITY = 60


def start_session(user: StaffUser) -> None:
    """A new session for a signed-in user: nothing from before survives but the language, so a
    session id planted before sign-in is worth nothing after it."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    now = int(time.time())
    session[SESSION_TIMES] = [now, now]


def session_is_current() -> bool:
    """Within the absolute lifetime and the idle timeout; refreshes the idle clock (at most
    once a minute, so a busy page does not rewrite the cookie on every request)."""
    times = session.get(SESSION_TIMES)
    if not (isinstance(times, list) and len(times) == 2
            and all(isinstance(t, int) for t in times)):
        return False
    started, seen = times
    now = int(time.time())
    idle = int(current_app.config.get("STAFF_SESSION_IDLE_MINUTES", 30)) * 60
    lifetime = int(current_app.config.get("STAFF_SESSION_MAX_HOURS", 12)) * 3600
    if now - seen > idle or now - started > lifetime:
        return False
    if now - seen >= SEEN_GRANULARITY:
        session[SESSION_TIMES] = [started, now]
    return True


def needs_second_factor(user: StaffUser) -> bool:
    """Whether the account's role requires a second factor it has not set up."""
    required = current_app.config.get("STAFF_2FA_REQUIRED_ROLES") or ()
    return user.role in required and not user.has_second_factor


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.session_protection = "strong"

    def load_user(user_id: str) -> StaffUser | None:
        try:
            uid, version = (int(x) for x in user_id.split(":"))
        except ValueError:
            return None
        user = db.session.scalar(select(StaffUser).where(StaffUser.id == uid))
        if user is None or not user.active or user.session_version != version:
            return None
        if not session_is_current() or needs_second_factor(user):
            return None
        return user

    login_manager.user_loader(load_user)


def role_required(*roles: str) -> Callable[[F], F]:
    """Refuse anonymous users (sign-in) and users without one of the roles (403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
