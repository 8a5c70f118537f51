"""The admin pages for staff accounts; the staff nav and redirect helpers for every page.

Sign-in and sign-out are in `survey.staff.signin`, a person's own account in
`survey.staff.profile`.
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
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from survey.extensions import db, login_manager
from survey.models import StaffUser
from survey.services import second_factor, staff
from survey.staff import bp
from survey.staff.forms import ConfirmForm, PasswordResetForm, RoleForm, StaffCreateForm
from survey.web.auth import role_required

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
        ("indicators", "staff.indicators", _l("Indicators"), False),
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
            flash(_("Password changed; the account's sessions and API tokens have ended."),
                  "info")
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


@bp.post("/accounts/<int:user_id>/two-factor/reset")
@role_required("admin")
def account_two_factor_reset(user_id: int) -> BaseResponse | tuple[str, int]:
    """For a lost phone: the owner signs in with the password and sets up a new factor."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        return _account_page(user, 400)
    second_factor.reset(user.id, current_user)
    flash(_("Two-step sign-in turned off; the account's sessions have ended."), "info")
    return redirect(url_for("staff.account", user_id=user.id))
