"""WTForms built from the questionnaire: one form class per section and language.

WTForms renders the fields and checks the CSRF token; whether an *answer* is acceptable is
decided by the pure validator (`survey.core.answers.validate`), the same rules the API and the CLI
apply, so the three can never disagree. Its messages are attached to the fields here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # stubs lack 3.3 API
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from survey.core.answers import Problem
from survey.core.questionnaire.schema import Question, Questionnaire, Section
from survey.web.forms import FlaskForm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConsentForm(FlaskForm):
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my answers are stored and used as "
           "described."),
        validators=[DataRequired(message=_l("Please tick the box to agree before you start."))],
    )


class ActionForm(FlaskForm):
    """A form with only a CSRF token: submit, delete, and similar one-button actions."""


def _field_for(q: Question, lang: str) -> Field:
    label = q.text.get(lang)
    description = q.help.get(lang) if q.help else ""
    choices = [SelectChoice(o.value, o.label.get(lang)) for o in q.options]
    if q.type == "single":
        return RadioField(label, choices=choices, description=description, validate_choice=False)
    if q.type == "multi":
        return MultiCheckboxField(label, choices=choices, description=description,
                                  validate_choice=False)
    if q.type == "number":
        return StringField(label, description=description,
                           render_kw={"inputmode": "numeric" if q.integer else "decimal",
                                      "autocomplete": "off"})
    return TextAreaField(label, description=description,
                         render_kw={"maxlength": q.max_length or 1000, "rows": 4})


_form_classes: dict[tuple[str, str, str], type[FlaskForm]] = {}


def section_form_class(
    questionnaire: Questionnaire, section: Section, lang: str
) -> type[FlaskForm]:
    key = (questionnaire.version, section.id, lang)
    if key not in _form_classes:
        fields = {q.id: _field_for(q, lang) for q in section.questions}
        _form_classes[key] = type(f"SectionForm_{section.id}_{lang}", (FlaskForm,), fields)
    return _form_classes[key]


# Units an owner may type after the number; the question already says which one it asks for.
NUMBER_UNITS: tuple[str, ...] = ("万元", "年", "人", "名", "位")


def _parse_number(raw: str) -> float | str | None:
    """A typed number: full-width digits (２０), thousands separators and one trailing unit
    (20年, 35人, 500万元) are accepted; anything else stays a string, for the validator to
    reject with "Enter a number"."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    for unit in NUMBER_UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if not text:
        return None if not raw.strip() else raw
    try:
        value = float(text)
    except ValueError:
        return raw
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def posted_answers(section: Section, form: MultiDict[str, str]) -> dict[str, Any]:
    """The raw answers of one page, typed for the validator (a bad number stays a string)."""
    out: dict[str, Any] = {}
    for q in section.questions:
        if q.type == "multi":
            values = [v for v in form.getlist(q.id) if v]
            if values:
                out[q.id] = values
        elif q.id in form:
            raw = form.get(q.id, "")
            if q.type == "number":
                out[q.id] = _parse_number(raw)
            else:
                out[q.id] = raw
    return out


def form_data(section: Section, answers: Mapping[str, Any]) -> MultiDict[str, str]:
    """Stored answers as form data, to fill a page that is shown again."""
    data: MultiDict[str, str] = MultiDict()
    for q in section.questions:
        value = answers.get(q.id)
        if value is None:
            continue
        if isinstance(value, list):
            for v in value:
                data.add(q.id, str(v))
        else:
            data.add(q.id, f"{value:g}" if isinstance(value, float) else str(value))
    return data


def translate(problem: Problem) -> str:
    """A validator message in the page's language (the template is the catalogue msgid)."""
    message: str = gettext(problem.template, **dict(problem.params))
    return message


def attach_problems(form: FlaskForm, problems: Mapping[str, list[Problem]]) -> None:
    for qid, found in problems.items():
        field = getattr(form, qid, None)
        if field is not None:
            field.errors = [translate(p) for p in found]


PHONE_SHAPE = r"^\+?[0-9][0-9 ()\-]{5,24}$"
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ContactForm(FlaskForm):
    """A firm's request to be contacted about one programme: its own consent, apart from the
    questionnaire's, with only the details needed to call or write back."""

    consent = BooleanField(
        _l("I agree that the chamber passes my name and contact details to this programme's "
           "provider, who may contact me about it. I can withdraw this here at any time."),
        validators=[DataRequired(message=_l("Tick the box to agree to be contacted."))])
    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Enter your name.")),
        Length(max=100, message=_l("At most 100 characters."))],
        render_kw={"autocomplete": "name", "maxlength": 100})
    phone = StringField(_l("Phone"), validators=[
        Optional(), Regexp(PHONE_SHAPE, message=_l("Enter a phone number (digits, spaces, "
                                                   "+ and - only)."))],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "maxlength": 25})
    email = StringField(_l("Email"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL_SHAPE, message=_l("Enter a valid email "
                                                                    "address."))],
        render_kw={"autocomplete": "email", "inputmode": "email", "maxlength": 254})

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            self.phone.errors = [*self.phone.errors,
                                 str(_l("Give a phone number or an email address."))]
            return False
        return ok


def contact_form(programme_id: int) -> ContactForm:
    """The form of one programme: prefixed, so several on one report keep distinct ids."""
    return ContactForm(prefix=f"p{programme_id}")
