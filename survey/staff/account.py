"""Sign-in, sign-out and the admin pages for staff accounts; the staff nav for templates.

Sign-in is rate-limited twice — per address (one machine guessing many accounts) and per
account (many machines guessing one) — counting only failed attempts, so a colleague who signs
in and out all day is never locked out. Unknown accounts cost as much time as known ones.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from survey.extensions import db, limiter, login_manager
from survey.models import StaffUser
from survey.services import staff
from survey.services.hashing import verify_password
from survey.staff import bp
from survey.staff.forms import ConfirmForm, LoginForm, PasswordResetForm, RoleForm, StaffCreateForm
from survey.web.auth import role_required

ADDRESS_LIMIT = "5/minute"
ACCOUNT_LIMIT = "10/hour"
ANY_STAFF = ("admin", "analyst")
LOGIN_MESSAGE = _l("Please sign in to see that page.")


@bp.record_once
def _login_texts(_state: Any) -> None:
    """Flask-Login flashes its own English text; ours is translated when it is flashed."""
    login_manager.login_message = "sign-in required"
    login_manager.localize_callback = lambda _message: str(LOGIN_MESSAGE)
    login_manager.login_message_category = "info"


# --- template helpers -------------------------------------------------------------------

def has_endpoint(name: str) -> bool:
    """Whether a route exists, so the nav links only pages that other parts have shipped."""
    return name in current_app.view_functions


def _nav_entries() -> list[tuple[str, str, Any, bool]]:
    return [
        ("dashboard", "staff.dashboard", _l("Dashboard"), False),
        ("brief", "staff.brief", _l("Brief"), False),
        ("responses", "staff.responses", _l("Responses"), False),
        ("exports", "staff.exports", _l("Exports"), False),
        ("accounts", "staff.accounts", _l("Staff"), True),
        ("waves", "staff.waves", _l("Waves"), True),
        ("audit", "staff.audit", _l("Audit log"), True),
        ("tokens", "staff.tokens", _l("API tokens"), True),
    ]


def staff_nav_items() -> list[dict[str, str]]:
    is_admin = current_user.is_authenticated and current_user.role == "admin"
    return [
        {"section": section, "url": url_for(endpoint), "label": str(label)}
        for section, endpoint, label, admin_only in _nav_entries()
        if has_endpoint(endpoint) and (is_admin or not admin_only)
    ]


def role_label(role: str) -> str:
    labels: dict[str, str] = {"admin": _("Admin"), "analyst": _("Analyst")}
    return labels.get(role, role)


@bp.context_processor
def _staff_helpers() -> dict[str, Any]:
    return {"has_endpoint": has_endpoint, "staff_nav_items": staff_nav_items,
            "role_label": role_label}


# --- sign-in ----------------------------------------------------------------------------

def safe_next(target: str | None) -> str | None:
    """A redirect target only if it is a path on this site (no scheme, host or `//`)."""
    if not target:
        return None
    target = target.strip()
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 for c in target)):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_url() -> str:
    for endpoint in ("staff.dashboard", "staff.responses"):
        if has_endpoint(endpoint):
            return url_for(endpoint)
    return url_for("respondent.index")


def _account_key() -> str:
    email = staff.normalise_email(request.form.get("email", ""))[:254]
    return f"account:{email}" if email else ""


def _failed(response: BaseResponse) -> bool:
    return response.status_code != 302


def _address_limit() -> str:
    return str(current_app.config.get("STAFF_LOGIN_ADDRESS_LIMIT", ADDRESS_LIMIT))


def _account_limit() -> str:
    return str(current_app.config.get("STAFF_LOGIN_ACCOUNT_LIMIT", ACCOUNT_LIMIT))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], key_func=get_remote_address,
               deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login() -> BaseResponse | tuple[str, int] | str:
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or home_url())
    form = LoginForm()
    if form.validate_on_submit():
        email = staff.normalise_email(form.email.data or "")
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        ok = verify_password(user.password_hash if user else None, form.password.data or "")
        if ok and user is not None and user.active:
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            staff.signed_in(user)
            return redirect(next_url or home_url())
        form.form_errors.append(_("That email and password do not match an active account."))
        return render_template("staff/login.html", form=form, next_url=next_url), 200
    status = 400 if request.method == "POST" else 200
    return render_template("staff/login.html", form=form, next_url=next_url), status


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


# --- staff accounts (admin) -------------------------------------------------------------

def _user_or_404(user_id: int) -> StaffUser:
    return db.get_or_404(StaffUser, user_id)


@bp.route("/accounts", methods=["GET", "POST"])
@role_required("admin")
def accounts() -> BaseResponse | tuple[str, int] | str:
    form = StaffCreateForm()
    if form.validate_on_submit():
        try:
            user = staff.create_staff(form.email.data or "", form.role.data or "",
                                      form.password.data or "", actor=current_user)
        except staff.StaffError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(_("Account %(email)s created.", email=user.email), "info")
            return redirect(url_for("staff.accounts"))
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    status = 400 if request.method == "POST" else 200
    return render_template("staff/admin_accounts.html", users=users, form=form,
                           staff_section="accounts"), status


def _account_page(user: StaffUser, status: int = 200, **forms: Any) -> tuple[str, int]:
    context = {
        "role_form": forms.get("role_form") or RoleForm(role=user.role, formdata=None),
        "password_form": forms.get("password_form") or PasswordResetForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
    }
    return render_template("staff/admin_account.html", user=user, staff_section="accounts",
                           **context), status


@bp.get("/accounts/<int:user_id>")
@role_required("admin")
def account(user_id: int) -> tuple[str, int]:
    return _account_page(_user_or_404(user_id))


@bp.post("/accounts/<int:user_id>/role")
@role_required("admin")
def account_role(user_id: int) -> BaseResponse | tuple[str, int]:
    user = _user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            staff.set_role(user.id, form.role.data or "", current_user)
        except staff.StaffError as exc:
            form.role.errors = [str(exc)]
        else:
            flash(_("Role changed."), "info")
            return redirect(url_for("staff.account", user_id=user.id))
    return _account_page(user, 400, role_form=form)


@bp.post("/accounts/<int:user_id>/password")
@role_required("admin")
def account_password(user_id: int) -> BaseResponse | tuple[str, int]:
    user = _user_or_404(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            staff.reset_password(user.id, form.password.data or "", current_user)
        except staff.StaffError as exc:
            form.password.errors = [str(exc)]
        else:
            flash(_("Password changed; the account's sessions have ended."), "info")
            return redirect(url_for("staff.account", user_id=user.id))
    return _account_page(user, 400, password_form=form)


@bp.post("/accounts/<int:user_id>/<any(activate, deactivate):action>")
@role_required("admin")
def account_active(user_id: int, action: str) -> BaseResponse | tuple[str, int]:
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        return _account_page(user, 400)
    try:
        staff.set_active(user.id, action == "activate", current_user)
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return _account_page(user, 400)
    flash(_("Account activated.") if action == "activate" else _("Account deactivated."),
          "info")
    return redirect(url_for("staff.account", user_id=user.id))
