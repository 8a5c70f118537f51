"""The Flask-Login user loader and the role check of every staff view.

The session id of a user includes a `session_version`, so signing
out everywhere, a password reset or a deactivation invalidates every existing session.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from flask_login import LoginManager, current_user
from sqlalchemy import select

from survey.extensions import db
from survey.models import StaffUser

F = TypeVar("F", bound=Callable[..., Any])


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
