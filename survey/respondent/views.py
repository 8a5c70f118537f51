"""Respondent pages: start, questionnaire, resume, review and submit, methodology.

Views stay thin: they parse the request, call `survey.services.responses` (writes) or the pure
core, and render. The draft's private token lives in the signed session while the respondent
works, so page URLs (and server logs) carry no token; the resume link carries it once, to
re-open the draft on any device.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.core.answers import validate
from survey.core.questionnaire import Questionnaire, load_questionnaire
from survey.extensions import csrf, limiter
from survey.models import Response
from survey.respondent import bp, limits
from survey.respondent.dead_ends import unknown_link
from survey.respondent.drafts import MalformedDraft, parse_body, storage_key
from survey.respondent.forms import (
    ActionForm,
    ConsentForm,
    attach_problems,
    form_data,
    posted_answers,
    section_form_class,
    translate,
)
from survey.respondent.journey import (
    REVIEW,
    applicable_questions,
    first_incomplete,
    grid_row_help,
    neighbours,
    page_items,
    progress,
    question_numbers,
    section_by_id,
    visible_sections,
)
from survey.respondent.links import qr_image, resume_url
from survey.services import responses as services
from survey.web import i18n
from survey.web.security import no_store

CONSENT_VERSION = "2026-11"
SESSION_KEY = "response_token"


def _session_response() -> Response | None:
    """This browser's response: by the session's token, or — when that token is a draft's that
    was submitted and the answer carrying the report's new token never arrived — the report
    this browser submitted, whose token the session then takes."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    response = services.find_response(token)
    if response is None:
        response = services.submitted_by(limits.browser_digest())
        if response is not None:
            session[SESSION_KEY] = response.token
    return response


def _current() -> tuple[Response, Questionnaire]:
    """The draft of this browser session, or a redirect to the start page."""
    response = _session_response()
    if response is None:
        session.pop(SESSION_KEY, None)
        abort(redirect(url_for("respondent.index")))
    if response.status == "submitted":
        abort(redirect(url_for("respondent.report", token=response.token)))
    return response, load_questionnaire(response.questionnaire_version)


def _private(html: str, status: int = 200) -> WerkzeugResponse:
    resp = no_store(WerkzeugResponse(html, status=status, mimetype="text/html"))
    resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    return resp


@bp.get("/")
def index() -> WerkzeugResponse:
    """The start page; private (never cached) once it speaks of this browser's own draft."""
    draft = _session_response()
    own = resume_url(draft.token) if draft is not None and draft.status == "draft" else None
    html = render_template("respondent/index.html", form=ConsentForm(), draft=draft,
                           consent_version=CONSENT_VERSION, resume_link=own,
                           qr=qr_image(own) if own else None)
    return _private(html) if draft is not None else WerkzeugResponse(html, mimetype="text/html")


@bp.post("/start")
@limiter.limit(limits.start_per_address, key_func=limits.address_key)
@limiter.limit(limits.start_per_session, key_func=limits.session_key)
def start() -> WerkzeugResponse | str:
    form = ConsentForm()
    if not form.validate_on_submit():
        return render_template("respondent/index.html", form=form, draft=None,
                               consent_version=CONSENT_VERSION), 400  # type: ignore[return-value]
    response = services.start_response(i18n.current_language(), CONSENT_VERSION)
    session[SESSION_KEY] = response.token
    session.permanent = True
    return redirect(url_for("respondent.section", section_id=response.current_section))


@bp.route("/r/<token>", methods=["GET", "POST"])
def resume(token: str) -> WerkzeugResponse:
    """The private resume link: re-open the draft where the respondent stopped.

    A link never silently replaces a *different* unfinished draft of this browser: whoever
    sent the link could read what is answered into it, so the visitor confirms the switch
    with a POST (CSRF-checked); a GET only asks.
    """
    response = services.find_response(token)
    if response is None:
        abort(unknown_link("resume"))
    if response.status == "submitted":
        return redirect(url_for("respondent.report", token=token))
    current = session.get(SESSION_KEY)
    other = services.find_response(current) if current and current != token else None
    if other is not None:
        # This browser's own draft, or its submitted report (whose fresh token may live only
        # in this session): either way, show its link before anything replaces it.
        form = ActionForm()
        if request.method == "GET" or not form.validate_on_submit():
            submitted = other.status == "submitted"
            own = (url_for("respondent.report", token=other.token, _external=True)
                   if submitted else resume_url(other.token))
            html = render_template("respondent/resume_confirm.html", token=token, form=form,
                                   current_section=other.current_section, resume_link=own,
                                   qr=qr_image(own), submitted=submitted)
            return _private(html, 400 if request.method == "POST" else 200)
    session[SESSION_KEY] = token
    session.permanent = True
    if not request.args.get("lang"):
        session["lang"] = response.language
    target = response.current_section or REVIEW
    if target == REVIEW:
        return redirect(url_for("respondent.review"))
    return redirect(url_for("respondent.section", section_id=target))


@bp.get("/link-not-found")
def link_not_found() -> WerkzeugResponse:
    """The dead-link page without a token in its URL: where its language switch leads."""
    return unknown_link("report" if request.args.get("kind") == "report" else "resume")


def _autosave(response: Response, section_id: str, ids: list[str],
              unsaved: bool) -> dict[str, Any]:
    """What the page's background save needs (static/js/autosave.js); `unsaved` when the form
    shows posted answers that were not stored (a page shown again with its problems)."""
    return {
        "url": url_for("respondent.draft", section_id=section_id),
        "key": f"{storage_key(response.token)}:{section_id}",
        "revision": services.revision(response),
        "page": services.page_fingerprint(response.answers, ids),
        "unsaved": unsaved,
    }


def _render_section(q: Questionnaire, response: Response, section_id: str, form: Any,
                    status: int = 200, csrf_failed: bool = False) -> WerkzeugResponse:
    section = section_by_id(q, section_id)
    assert section is not None
    answers = response.answers or {}
    prev, nxt = neighbours(q, section, answers)
    html = render_template(
        "respondent/section.html", q=q, section=section, form=form,
        items=page_items(q, section, answers), row_help=grid_row_help,
        progress=progress(q, section.id, answers), prev=prev, next=nxt,
        numbers=question_numbers(q, answers),
        resume_link=resume_url(response.token), qr=qr_image(resume_url(response.token)),
        csrf_failed=csrf_failed,
        autosave=_autosave(response, section.id, [qq.id for qq in section.questions],
                           unsaved=status != 200),
    )
    return _private(html, status)


@bp.route("/survey/<section_id>", methods=["GET", "POST"])  # CSRF-exempt: see below
def section(section_id: str) -> WerkzeugResponse:
    response, q = _current()
    section = section_by_id(q, section_id)
    if section is None:
        abort(404)
    answers = response.answers or {}
    if section.id not in {s.id for s in visible_sections(q, answers)}:
        # Nothing on this page applies to the firm (the overseas page of a firm with no export
        # activity or plans): go on to the next page that does.
        _prev, nxt = neighbours(q, section, answers)
        return redirect(url_for("respondent.review") if nxt == REVIEW
                        else url_for("respondent.section", section_id=nxt))
    form_class = section_form_class(q, section, i18n.current_language())
    if request.method == "GET":
        return _render_section(q, response, section_id,
                               form_class(formdata=form_data(section, answers)))

    form = form_class()
    raw = posted_answers(section, request.form)
    if not form.validate():
        # Only the CSRF token can fail here (answer checks are ours): keep every posted answer.
        return _render_section(q, response, section_id, form, status=400, csrf_failed=True)

    action = request.form.get("action", "next")
    ids = [qq.id for qq in section.questions]
    others = {k: v for k, v in answers.items() if k not in ids}
    context = {**others, **raw}
    # Answers to questions that do not apply (a follow-up posted without JavaScript) are
    # dropped here and reported as `ignored`: they are never stored.
    check = validate(q, context, only=ids, require=(action == "next"))
    if not check.ok:
        # Back and Save do not require answers, but a malformed one (a number out of range)
        # is shown, never dropped silently.
        attach_problems(form, check.problems)
        return _render_section(q, response, section_id, form, status=422)

    prev, nxt = neighbours(q, section, {**others, **check.answers})
    go_to = {"next": nxt, "back": prev or section.id}.get(action, section.id)
    services.save_section(response.token, section.id, check.answers, go_to,
                          i18n.current_language())
    if action == "save":
        return redirect(url_for("respondent.saved"))
    if action == "stay":  # the language switch on this page: keep the answers, change language
        lang = i18n.normalise(request.form.get("lang")) or i18n.current_language()
        return redirect(url_for("respondent.section", section_id=section.id, lang=lang))
    if go_to == REVIEW:
        return redirect(url_for("respondent.review"))
    return redirect(url_for("respondent.section", section_id=go_to))


# The section form checks its own token, so a failure re-renders with the answers. Called rather
# than used as a decorator: Flask-WTF ships no types, and an untyped decorator untypes the view.
csrf.exempt(section)


def _draft_error(status: int, reason: str, **fields: Any) -> WerkzeugResponse:
    """A refused background save. `reason` is for the page's script; `message` is shown."""
    message = (_("These answers have already been submitted.") if reason == "submitted"
               else _("Could not save — your answers are kept on this device."))
    body = {"saved": False, "reason": reason, "message": message, **fields}
    resp = jsonify(body)
    resp.status_code = status
    return no_store(resp)


def _draft_limit_key() -> str:
    """Background saves are limited per draft, not per address: many phones in China share a
    carrier's address."""
    token = session.get(SESSION_KEY)
    return ("draft:" + storage_key(token)) if isinstance(token, str) else (
        request.remote_addr or "unknown")


@bp.post("/survey/<section_id>/draft")  # CSRF-exempt: checked below, to answer in JSON
@limiter.limit("120/minute", key_func=_draft_limit_key)
def draft(section_id: str) -> WerkzeugResponse:
    """Save one page in the background as typed so far (static/js/autosave.js).

    Nothing is required and the respondent's current page does not move; only valid answers
    to questions that apply are stored, and the others are listed so the page can say which
    were not saved. The CSRF token comes in the X-CSRFToken header. Every refusal is JSON with
    a `reason` the script understands: 400 for an expired token, a lost session, an unknown
    page or a malformed body; 409 for a revision that another save has replaced (with the
    current one) or a draft already submitted.
    """
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            csrf.protect()
        except CSRFError:
            return _draft_error(400, "csrf")
    token = session.get(SESSION_KEY)
    response = services.find_response(token) if isinstance(token, str) else None
    if response is None:
        return _draft_error(400, "no_draft")
    if response.status != "draft":
        return _draft_error(409, "submitted")
    q = load_questionnaire(response.questionnaire_version)
    page = section_by_id(q, section_id)
    if page is None:
        return _draft_error(400, "unknown_section")
    try:
        body = parse_body(request.get_data(cache=False))
    except MalformedDraft as exc:
        return _draft_error(400, "malformed", detail=str(exc))
    try:
        saved = services.save_draft(response.token, page.id,
                                    posted_answers(page, body.fields), body.revision)
    except services.StaleRevision as exc:
        return _draft_error(409, "stale", revision=exc.current)
    except services.AlreadySubmitted:
        return _draft_error(409, "submitted")
    except LookupError:
        return _draft_error(400, "no_draft")
    numbers = question_numbers(q, response.answers or {})
    return no_store(jsonify({
        "saved": True,
        "revision": saved.revision,
        "page": saved.page,
        "stored": list(saved.stored),
        "not_saved": [
            {"question": qid, "messages": [translate(p) for p in found],
             "label": _("Question %(number)s: %(message)s", number=numbers.get(qid, "?"),
                        message=" ".join(translate(p) for p in found))}
            for qid, found in saved.problems.items()],
        "ignored": list(saved.ignored),
    }))


csrf.exempt(draft)


@bp.get("/survey/saved")
def saved() -> WerkzeugResponse:
    response, q = _current()
    link = resume_url(response.token)
    return _private(render_template("respondent/saved.html", resume_link=link,
                                    qr=qr_image(link)))


@bp.get("/survey/review")
def review() -> WerkzeugResponse:
    response, q = _current()
    answers = response.answers or {}
    pages = [(s, applicable_questions(q, s, answers)) for s in visible_sections(q, answers)]
    return _private(render_template(
        "respondent/review.html", q=q, answers=answers, form=ActionForm(), pages=pages,
        progress=progress(q, REVIEW, answers), missing=first_incomplete(q, answers),
        resume_link=resume_url(response.token), qr=qr_image(resume_url(response.token)),
    ))


@bp.post("/survey/submit")
@limiter.limit(limits.submit_per_address, key_func=limits.address_key)
def submit() -> WerkzeugResponse:
    """Final submit. Idempotent: a double click or a retried request stores one assessment."""
    response = _session_response()
    if response is None:
        return redirect(url_for("respondent.index"))
    if response.status == "submitted":
        return redirect(url_for("respondent.report", token=response.token))
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Your session expired before you submitted. Your answers are saved — "
                "please press Submit again."), "error")
        return redirect(url_for("respondent.review"))
    q = load_questionnaire(response.questionnaire_version)
    missing = first_incomplete(q, response.answers or {})
    if missing is not None:
        flash(_("Some questions still need an answer."), "error")
        return redirect(url_for("respondent.section", section_id=missing))
    try:
        _assessment, report_token = services.submit(response.token,
                                                    browser=limits.browser_digest())
    except services.NoDraft:
        # Submitted meanwhile by this browser (a double click, or a retry whose first answer
        # was lost): its report is found by the browser's own key.
        mine = services.submitted_by(limits.browser_digest())
        if mine is None:
            return redirect(url_for("respondent.index"))
        report_token = mine.token
    session[SESSION_KEY] = report_token
    return redirect(url_for("respondent.report", token=report_token))


@bp.get("/methodology")
def methodology() -> str:
    from survey.core.methodology import build

    q = load_questionnaire()
    return render_template("respondent/methodology.html", q=q,
                           doc=build(q, i18n.current_language()))
