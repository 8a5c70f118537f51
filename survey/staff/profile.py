"""A staff member's own account: a new password, and setting up the second factor.

Setting up is also the second step of signing in for someone whose role requires a second
factor they do not have yet (an admin in production): the session then holds only that
half-way state (`survey.staff.signin.pending_user`), which opens these pages and nothing else.
The recovery codes are rendered on the response to the confirming POST, never stored in the
session or a flash message, and the page is `no-store`, so they exist only on that screen.
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from survey.extensions import db
from survey.models import StaffUser
from survey.services import second_factor, staff, throttle
from survey.staff import bp
from survey.staff.account import ANY_STAFF, home_url
from survey.staff.forms import ConfirmForm, EnrolCodeForm, PasswordChangeForm
from survey.staff.signin import (
    address,
    code_bucket,
    device_for,
    finish_sign_in,
    login_buckets,
    pending_user,
    remember_device,
    throttled,
)
from survey.web.auth import role_required, start_session


def _fresh(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    assert user is not None
    db.session.refresh(user)
    return user


def _account_page(form: PasswordChangeForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/my_account.html", form=form or PasswordChangeForm(formdata=None),
        staff_section="my_account"), status


@bp.get("/account")
@role_required(*ANY_STAFF)
def my_account() -> tuple[str, int]:
    return _account_page()


@bp.post("/account/password")
@role_required(*ANY_STAFF)
def my_password() -> BaseResponse | tuple[str, int]:
    """The current password is checked like a sign-in (counted first, per account), so a
    borrowed session cannot be used to guess it."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _account_page(form, 400)
    user: StaffUser = current_user._get_current_object()
    attempt = throttle.acquire(login_buckets(user.email, user))
    if not attempt.allowed:
        return throttled(attempt, user.id, "staff/my_account.html", form=form,
                         staff_section="my_account")
    try:
        staff.change_own_password(user.id, form.current.data or "", form.password.data or "")
    except staff.WrongPassword as exc:
        staff.sign_in_refused(user.id, "staff.sign_in_failed", address(), "wrong_current_password")
        form.current.errors = [str(exc)]
        return _account_page(form, 400)
    except staff.StaffError as exc:
        throttle.give_back(attempt)
        form.password.errors = [str(exc)]
        return _account_page(form, 400)
    throttle.give_back(attempt)
    user = _fresh(user.id)
    start_session(user)
    flash(_("Password changed. Your other sessions and your API tokens have ended."), "info")
    response = redirect(url_for("staff.my_account"))
    remember_device(response, user, None)
    return response


# --- second factor ----------------------------------------------------------------------

def _enrolling() -> tuple[StaffUser, bool, str | None] | None:
    """Who is setting up: the signed-in user, or someone half-way through sign-in."""
    if current_user.is_authenticated:
        return _fresh(current_user.id), False, None
    pending = pending_user("enrol")
    if pending is None:
        return None
    return pending[0], True, pending[1]


def _two_factor_page(user: StaffUser, signing_in: bool, form: EnrolCodeForm | None = None,
                     status: int = 200) -> tuple[str, int]:
    setup = None
    if user.totp_secret is not None and not user.has_second_factor:
        uri = second_factor.provisioning_uri(user.email, user.totp_secret)
        setup = {"qr": second_factor.qr_image(uri),
                 "secret": second_factor.grouped(user.totp_secret)}
    return render_template(
        "staff/two_factor.html", user=user, signing_in=signing_in, setup=setup,
        form=form or EnrolCodeForm(formdata=None), start_form=ConfirmForm(formdata=None),
        codes_left=second_factor.recovery_codes_left(user.id) if user.has_second_factor else 0,
        staff_section="my_account"), status


def _start_over() -> BaseResponse:
    flash(_("Please sign in again."), "info")
    return redirect(url_for("staff.login"))


@bp.get("/two-factor")
def two_factor() -> BaseResponse | tuple[str, int]:
    who = _enrolling()
    if who is None:
        return _start_over()
    return _two_factor_page(who[0], who[1])


@bp.post("/two-factor/start")
def two_factor_start() -> BaseResponse | tuple[str, int]:
    who = _enrolling()
    if who is None:
        return _start_over()
    user, signing_in, _next = who
    if not ConfirmForm().validate_on_submit():
        return _two_factor_page(user, signing_in, status=400)
    try:
        second_factor.start_enrolment(user.id)
    except staff.StaffError as exc:
        flash(str(exc), "error")
    return redirect(url_for("staff.two_factor"))


@bp.post("/two-factor/confirm")
def two_factor_confirm() -> BaseResponse | tuple[str, int]:
    who = _enrolling()
    if who is None:
        return _start_over()
    user, signing_in, next_url = who
    form = EnrolCodeForm()
    if not form.validate_on_submit():
        return _two_factor_page(user, signing_in, form, 400)
    attempt = throttle.acquire([code_bucket(user)])
    if not attempt.allowed:
        return throttled(attempt, user.id, "staff/two_factor.html", user=user,
                         signing_in=signing_in, setup=None, form=form,
                         start_form=ConfirmForm(formdata=None), codes_left=0,
                         staff_section="my_account")
    try:
        codes = second_factor.confirm_enrolment(user.id, form.code.data or "")
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.two_factor"))
    if codes is None:
        form.code.errors = [_("That code is not right. Check the time on your phone and "
                              "enter the code the app shows now.")]
        return _two_factor_page(user, signing_in, form, 400)
    throttle.give_back(attempt)
    user = _fresh(user.id)
    if signing_in:
        finish_sign_in(user, "enrolled")
        continue_url = next_url or home_url()
    else:
        start_session(user)
        continue_url = url_for("staff.my_account")
    response = make_response(render_template(
        "staff/recovery_codes.html", codes=[second_factor.show_recovery_code(c) for c in codes],
        continue_url=continue_url, staff_section="my_account"))
    remember_device(response, user, device_for(user))
    return response
