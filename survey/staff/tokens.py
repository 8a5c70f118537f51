"""Admin page for staff API tokens (/staff/tokens): issue one, see them all, revoke.

A new token is rendered on the very response to the POST that made it — never stored in a
flash message or the session, never redirected to a URL — and the page is no-store, so the
secret exists only in that one response and is gone when the admin leaves the page.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from survey.extensions import db
from survey.models import StaffUser
from survey.services import tokens as api_tokens
from survey.staff import bp
from survey.web.auth import role_required
from survey.web.forms import FlaskForm


class TokenForm(FlaskForm):
    owner = SelectField(_l("Staff member"), validators=[DataRequired()],
                        description=_l("The token acts with this person's access; it stops "
                                       "working if they are deactivated."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("What the token is for, for example a partner's name."))


class RevokeForm(FlaskForm):
    """Only its CSRF token: one per row's revoke button."""


def _owner_choices() -> list[tuple[str, str]]:
    emails = db.session.scalars(
        select(StaffUser.email).where(StaffUser.active.is_(True)).order_by(StaffUser.email))
    return [(e, e) for e in emails]


def _page(form: TokenForm, issued: api_tokens.Issued | None = None,
          status: int = 200) -> tuple[str, int]:
    return render_template("staff/tokens.html", form=form, rows=api_tokens.list_tokens(),
                           issued=issued,
                           staff_section="tokens"), status


@bp.route("/tokens", methods=["GET", "POST"])
@role_required("admin")
def tokens() -> tuple[str, int]:
    form = TokenForm()
    form.owner.choices = _owner_choices()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, status=400)
    try:
        issued = api_tokens.issue(form.owner.data or "", form.name.data or "",
                                  actor_id=current_user.id)
    except api_tokens.TokenError:
        form.form_errors.append(_("That staff member cannot hold a token (deactivated?)."))
        return _page(form, status=400)
    fresh = TokenForm(formdata=None, owner=form.owner.data)
    fresh.owner.choices = form.owner.choices
    return _page(fresh, issued=issued)


@bp.post("/tokens/<int:token_id>/revoke")
@role_required("admin")
def token_revoke(token_id: int) -> BaseResponse:
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
    elif api_tokens.revoke(token_id, actor_id=current_user.id):
        flash(_("Token revoked; it stops working at once."), "info")
    else:
        flash(_("That token does not exist or was already revoked."), "error")
    return redirect(url_for("staff.tokens"))
