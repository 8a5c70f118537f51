"""Staff sign-in (password, then a code when the account has a second factor) and sign-out.

Throttling (`survey.services.throttle`) counts every attempt before the password is checked,
in the storage all workers share, and gives a success its place back:

- a browser that signed in to the account before carries a signed *device cookie* (OWASP's
  "device cookies"); its attempts count against that device alone, so guesses from elsewhere
  can never lock the owner out of their usual browser;
- every other attempt counts against the address and against the account, so one machine
  cannot try many accounts and many machines cannot try one account more than a few times an
  hour.

The device cookie names the account and a fingerprint of its password hash: a new password
withdraws every device's trust at once. A second-factor code is throttled per account too.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response as BaseResponse

from survey.extensions import db
from survey.models import StaffUser
from survey.services import second_factor, staff, throttle
from survey.services.hashing import verify_password
from survey.staff import bp
from survey.staff.account import ANY_STAFF, home_url, safe_next
from survey.staff.forms import CodeForm, ConfirmForm, LoginForm
from survey.web.auth import needs_second_factor, role_required, start_session

DEVICE_COOKIE = "staff_device"
PENDING = "staff_pending"
PENDING_SECONDS = 300
AUDIT_THROTTLE_EVERY = 300


def address() -> str:
    return get_remote_address() or "unknown"


# --- trusted devices --------------------------------------------------------------------

def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="staff-device")


def _password_mark(user: StaffUser) -> str:
    return throttle.digest(user.password_hash)[:16]


def device_for(user: StaffUser | None) -> str | None:
    """The id of this browser if it signed in to this account before, with its password."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if user is None or not raw or len(raw) > 512:
        return None
    days = int(current_app.config.get("STAFF_TRUSTED_DEVICE_DAYS", 90))
    try:
        data = _devices().loads(raw, max_age=days * 86400)
    except BadData:
        return None
    if (not isinstance(data, dict) or data.get("u") != user.id
            or data.get("p") != _password_mark(user) or not isinstance(data.get("d"), str)):
        return None
    return str(data["d"])


def remember_device(response: BaseResponse, user: StaffUser, device: str | None) -> None:
    days = int(current_app.config.get("STAFF_TRUSTED_DEVICE_DAYS", 90))
    value = _devices().dumps({"u": user.id, "d": device or secrets.token_urlsafe(12),
                              "p": _password_mark(user)})
    response.set_cookie(DEVICE_COOKIE, value, max_age=days * 86400, path="/staff/",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                        httponly=True, samesite="Lax")


def login_buckets(email: str, user: StaffUser | None) -> list[throttle.Bucket]:
    """What a password attempt counts against: this browser alone if it is known to the
    account, else the address and the account (known or not, so both cost the same)."""
    cfg = current_app.config
    device = device_for(user)
    if device is not None:
        return [throttle.Bucket("device", throttle.digest(device),
                                str(cfg["STAFF_LOGIN_DEVICE_LIMIT"]))]
    return [throttle.Bucket("address", address(), str(cfg["STAFF_LOGIN_ADDRESS_LIMIT"])),
            throttle.Bucket("account", throttle.digest(email),
                            str(cfg["STAFF_LOGIN_ACCOUNT_LIMIT"]))]


def code_bucket(user: StaffUser) -> throttle.Bucket:
    """What a wrong second-factor code counts against: this browser, if it signed in to the
    account before, else the account's one allowance for unknown browsers. Whoever has stolen
    the password guesses codes from a browser the account does not know, so the owner's own
    browser keeps its allowance and cannot be locked out by them."""
    limit = str(current_app.config["STAFF_LOGIN_CODE_LIMIT"])
    device = device_for(user)
    if device is not None:
        return throttle.Bucket("code-device", throttle.digest(device), limit)
    return throttle.Bucket("code", str(user.id), limit)


def throttled(attempt: throttle.Attempt, user_id: int | None, template: str,
              **context: Any) -> BaseResponse:
    """429 with the form again and how long to wait; audited once per bucket and window."""
    refused = attempt.refused
    assert refused is not None
    if throttle.first_in_window(f"{refused.kind}:{refused.ident}", AUDIT_THROTTLE_EVERY):
        staff.sign_in_refused(user_id, "staff.sign_in_throttled", address(),
                              f"limit_{refused.kind}")
    minutes = max(1, (attempt.retry_after + 59) // 60)
    form = context["form"]
    form.form_errors.append(ngettext(
        "Too many sign-in attempts for now. Try again in %(num)d minute, or from a browser "
        "where you have signed in before.",
        "Too many sign-in attempts for now. Try again in %(num)d minutes, or from a browser "
        "where you have signed in before.", minutes))
    response = make_response(render_template(template, **context), 429)
    response.headers["Retry-After"] = str(attempt.retry_after)
    return response


# --- the two steps ----------------------------------------------------------------------

def _pend(user: StaffUser, step: str, next_url: str | None) -> None:
    """Password accepted; the session holds only who is half-way in, for a few minutes."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[PENDING] = {"u": user.id, "v": user.session_version, "t": int(time.time()),
                        "s": step, "n": next_url}


def pending_user(step: str) -> tuple[StaffUser, str | None] | None:
    """The account half-way through sign-in at this step, if that is still recent."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or data.get("s") != step:
        return None
    if not isinstance(data.get("t"), int) or time.time() - data["t"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(StaffUser, data.get("u"))
    if user is None or not user.active or user.session_version != data.get("v"):
        session.pop(PENDING, None)
        return None
    return user, safe_next(data.get("n"))


def finish_sign_in(user: StaffUser, how: str | None) -> None:
    """Start the session and record it; `how` names the second factor, if one was asked."""
    start_session(user)
    staff.signed_in(user, address(), how)


def complete(user: StaffUser, next_url: str | None, how: str | None) -> BaseResponse:
    finish_sign_in(user, how)
    response = redirect(next_url or home_url())
    remember_device(response, user, device_for(user))
    return response


def _login_page(form: LoginForm, next_url: str | None) -> dict[str, Any]:
    return {"form": form, "next_url": next_url}


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or home_url())
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("staff/login.html", **_login_page(form, next_url)), status
    email = staff.normalise_email(form.email.data or "")[:254]
    user = staff.find_staff(email)
    attempt = throttle.acquire(login_buckets(email, user))
    if not attempt.allowed:
        return throttled(attempt, user.id if user else None, "staff/login.html",
                         **_login_page(form, next_url))
    ok = verify_password(user.password_hash if user else None, form.password.data or "")
    if not ok or user is None or not user.active:
        reason = ("unknown_account" if user is None else "wrong_password" if not ok
                  else "inactive")
        staff.sign_in_refused(user.id if user else None, "staff.sign_in_failed", address(),
                              reason)
        form.form_errors.append(_("That email and password do not match an active account."))
        return render_template("staff/login.html", **_login_page(form, next_url)), 200
    throttle.give_back(attempt)
    if user.has_second_factor:
        _pend(user, "code", next_url)
        return redirect(url_for("staff.login_code"))
    if needs_second_factor(user):
        _pend(user, "enrol", next_url)
        return redirect(url_for("staff.two_factor"))
    return complete(user, next_url, None)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> BaseResponse | tuple[str, int] | str:
    pending = pending_user("code")
    if pending is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("staff.login"))
    user, next_url = pending
    form = CodeForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("staff/login_code.html", form=form), status
    attempt = throttle.acquire([code_bucket(user)])
    if not attempt.allowed:
        return throttled(attempt, user.id, "staff/login_code.html", form=form)
    how = second_factor.check_code(user.id, form.code.data or "")
    if how is None:
        staff.sign_in_refused(user.id, "staff.sign_in_failed", address(), "wrong_code")
        form.form_errors.append(_("That code is not right, or it was used already. Codes "
                                  "change every 30 seconds."))
        return render_template("staff/login_code.html", form=form), 200
    throttle.give_back(attempt)
    return complete(user, next_url, how)


@bp.post("/logout")
@role_required(*ANY_STAFF)
def logout() -> BaseResponse:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(home_url())
    staff.end_sessions(current_user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("staff.login"))
