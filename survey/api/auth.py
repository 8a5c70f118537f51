"""Who is calling the API: a partner with a staff token, a signed-in staff member, or anyone.

The answer is worked out once per request and kept on `g`, because the rate limiter asks
(for its key and its exemptions) before the view runs and the view asks again. A presented
but invalid token is always a 401 — never silently treated as anonymous — so a partner with a
revoked token learns it at once instead of being throttled as a stranger.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from survey.api.http import ApiError
from survey.models import ROLES
from survey.services.tokens import Client, authenticate

F = TypeVar("F", bound=Callable[..., Any])
CHALLENGE = 'Bearer realm="api"'
INVALID = object()


def bearer_secret() -> str | None:
    """The token of an `Authorization: Bearer …` header; '' for any other Authorization."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return value.strip()


def _resolve() -> Client | object | None:
    if "api_client" not in g:
        secret = bearer_secret()
        if secret is None:
            g.api_client = None
        else:
            g.api_client = authenticate(secret) or INVALID
    client: Client | object | None = g.api_client
    return client


def token_client() -> Client | None:
    """The partner behind a valid bearer token; ApiError(401) for a bad one; None if none."""
    client = _resolve()
    if client is INVALID:
        raise ApiError(401, _("The API token is invalid or has been revoked."),
                       headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})
    return client if isinstance(client, Client) else None


def has_valid_token() -> bool:
    return isinstance(_resolve(), Client)


def client_scope() -> str:
    """The client an idempotency key belongs to: its token, else its network address."""
    client = _resolve()
    if isinstance(client, Client):
        return f"token:{client.token_id}"
    return f"addr:{get_remote_address() or 'unknown'}"


def address_key() -> str:
    return f"addr:{get_remote_address() or 'unknown'}"


def token_key() -> str:
    client = _resolve()
    return f"token:{client.token_id}" if isinstance(client, Client) else address_key()


def anonymous_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT_ANON"])


def partner_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT_PARTNER"])


def staff_required(view: F) -> F:
    """Staff only, by bearer token or by session: 401 (JSON, never the sign-in redirect) for
    no or bad credentials, 403 for a signed-in user without a staff role."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        client = token_client()
        if client is None:
            if not current_user.is_authenticated:
                raise ApiError(401, _("Sign in, or send an API token as "
                                      "“Authorization: Bearer …”."),
                               headers={"WWW-Authenticate": CHALLENGE})
            if current_user.role not in ROLES:
                raise ApiError(403, _("Your account has no access to statistics."))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
