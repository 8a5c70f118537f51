"""What a firm may do from its report about support: ask to be contacted about a matched
programme (its own consent), withdraw that, and start its follow-up assessment.

Every action is reached through the report's private token, like the report itself; a
programme the firm is not eligible for cannot be asked about, even by a forged form.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.respondent import bp
from survey.respondent.forms import ActionForm, contact_form
from survey.respondent.matching import ProgrammeView, programme_views
from survey.respondent.report import private, submitted
from survey.respondent.views import CONSENT_VERSION, SESSION_KEY
from survey.services import programmes as services
from survey.web import i18n


def _matched(token: str, programme_id: int) -> tuple[int, ProgrammeView | None]:
    response, q, a = submitted(token)
    order = [r.id for r in a.recommendations]
    views = programme_views(response, q, a, i18n.current_language(), order, record=False)
    return response.id, next((v for v in views if v.id == programme_id), None)


def _back(token: str, programme_id: int) -> WerkzeugResponse:
    return redirect(url_for("respondent.report", token=token) + f"#programme-{programme_id}")


@bp.route("/report/<token>/programmes/<int:programme_id>/contact", methods=["GET", "POST"])
def contact(token: str, programme_id: int) -> WerkzeugResponse:
    response_id, programme = _matched(token, programme_id)
    if programme is None:
        flash(_("That programme is not among those shown for your firm."), "error")
        return redirect(url_for("respondent.report", token=token))
    form = contact_form(programme_id)
    if form.validate_on_submit():
        services.request_contact(response_id, programme_id, services.ContactDetails(
            name=(form.name.data or "").strip(),
            phone=(form.phone.data or "").strip() or None,
            email=(form.email.data or "").strip() or None))
        flash(_("Thank you: the chamber will pass your request to the provider of “%(title)s”.",
                title=programme.title), "info")
        return _back(token, programme_id)
    html = render_template("respondent/contact.html", token=token, programme=programme,
                           form=form)
    return private(WerkzeugResponse(html, status=400 if form.is_submitted() else 200,
                                    mimetype="text/html"))


@bp.post("/report/<token>/programmes/<int:programme_id>/withdraw")
def withdraw(token: str, programme_id: int) -> WerkzeugResponse:
    response, _q, _a = submitted(token)
    if ActionForm().validate_on_submit() and services.withdraw_contact(response.id,
                                                                      programme_id):
        flash(_("Your request was withdrawn and your contact details deleted."), "info")
    return _back(token, programme_id)


@bp.post("/report/<token>/follow-up")
def follow_up(token: str) -> WerkzeugResponse:
    """A new assessment for the same firm, linked to this report; the profile is filled in
    from it for the firm to check."""
    response, q, _a = submitted(token)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("respondent.report", token=token))
    profile = [question.id for question in q.sections[0].questions]
    draft = services.start_follow_up(response, profile, i18n.current_language(),
                                     CONSENT_VERSION)
    session[SESSION_KEY] = draft.token
    session.permanent = True
    return redirect(url_for("respondent.section", section_id=draft.current_section))
