"""Staff forms. Every POST in the staff workspace is a FlaskForm, so every one carries CSRF.

Labels are lazy (`_l`) because the classes are built at import, before any request knows
the language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from survey.models import ROLES
from survey.services.passwords import MAX_LENGTH, MIN_LENGTH
from survey.web.forms import FlaskForm

EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def role_choices() -> list[tuple[str, str]]:
    labels = {"admin": _l("Admin"), "analyst": _l("Analyst")}
    return [(r, str(labels.get(r, r))) for r in ROLES]


class LoginForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username", "inputmode": "email",
                                   "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class StaffCreateForm(NewPasswordMixin, FlaskForm):
    email = StringField(_l("Email"), validators=[
        DataRequired(), Length(max=254),
        Regexp(EMAIL_SHAPE, message=_l("Enter a valid email address."))],
        render_kw={"autocomplete": "off", "inputmode": "email", "autocapitalize": "none"})
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class PasswordResetForm(NewPasswordMixin, FlaskForm):
    pass


class PasswordChangeForm(NewPasswordMixin, FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)],
                            render_kw={"autocomplete": "current-password"})


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"), validators=[DataRequired(), Length(max=64)],
        description=_l("The 6-digit code from your authenticator app, or one of your "
                       "recovery codes."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false"})


class EnrolCodeForm(FlaskForm):
    """The code that confirms a new authenticator app: six digits, no recovery codes yet."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "spellcheck": "false"})


class ConfirmForm(FlaskForm):
    """A form that is only its CSRF token: deletions, (de)activation, sign-out."""


class WaveForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("For example “2026 H2”."))
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[Optional()],
                        description=_l("Leave empty for a wave that is still open."))

    def validate_ends_on(self, field: DateField) -> None:
        start: dt.date | None = self.starts_on.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_l("The end date must be on or after the start date."))


class ExportForm(FlaskForm):
    """The export buttons; only admins see (and may tick) the free-text opt-in."""

    include_free_text = BooleanField(
        _l("Include free-text answers (admins only; this is recorded in the audit log)"))


class ProgrammeForm(FlaskForm):
    """A programme of the directory. The rules are `core.programme_data`'s (the CSV import's
    too); the form only collects the values."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Lower-case letters, digits, _ and -; never changes."))
    active = BooleanField(_l("Active: shown to firms that qualify"), default=True)
    provider_kind = SelectField(_l("Provider"), choices=[
        ("member_company", _l("Member company")), ("public_body", _l("Public body")),
        ("chamber", _l("Chamber"))])
    provider_en = StringField(_l("Provider name (English)"), validators=[Length(max=200)])
    provider_zh = StringField(_l("Provider name (Chinese)"), validators=[Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=200)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[Length(max=200)])
    description_en = TextAreaField(_l("Description (English)"),
                                   validators=[Length(max=2000)])
    description_zh = TextAreaField(_l("Description (Chinese)"),
                                   validators=[Length(max=2000)])
    recommendations = SelectMultipleField(_l("Recommendations it answers"), choices=[])
    areas = SelectMultipleField(_l("Areas it addresses"), choices=[])
    eligibility = TextAreaField(
        _l("Eligibility (a condition, as JSON)"),
        description=_l("The language of the questionnaire's next steps, for example "
                       "{\"question\": \"ovs_logistics_obstacle\", \"in\": [\"major\"]}. "
                       "Leave empty for every firm."))
    link = StringField(_l("Link"), validators=[Length(max=500)])
    contact = StringField(_l("Contact"), validators=[Length(max=200)])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_to = DateField(_l("Valid to"), validators=[Optional()])
