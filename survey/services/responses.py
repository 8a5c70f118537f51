"""Writes: starting, saving, submitting and deleting responses. Services own transactions.

Every accepted answer is stored exactly once: a draft is updated in place, and submitting is
idempotent — the response row is locked (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on
PostgreSQL), a response already submitted returns its assessment, and a unique constraint on
`assessments.response_id` is the last line of defence.

Pages are saved two ways: by a button (`save_section`, which also moves the respondent on) and
in the background while the respondent types (`save_draft`). Both merge one page into the row
they have locked, so two saves of different pages never overwrite each other; a background
save carries the revision its page last saw, so one still in flight when a button is pressed
cannot put back older answers over the button's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import BindParameter, Date, Insert, ScalarSelect, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from survey.core.answers import AnswerValue, Problem, validate
from survey.core.columns import profile_columns, scored_columns
from survey.core.questionnaire import Questionnaire, load_questionnaire
from survey.core.routing import route
from survey.core.scoring import assess
from survey.core.tokens import is_token_shaped, new_token
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, Response, Wave, utcnow
from survey.services import cells, starts, waves


class AlreadySubmitted(Exception):
    """A draft-only action on a response that has been submitted."""


class StaleRevision(Exception):
    """A background save based on a state of the draft that another save has replaced."""

    def __init__(self, current: str) -> None:
        super().__init__(current)
        self.current = current


@dataclass(frozen=True)
class DraftSaved:
    """What a background save stored: the draft's new revision, the fingerprint of the page,
    the ids of the answers kept, and the answers not stored (invalid, or to questions that do
    not apply) so the page can say which."""

    revision: str
    page: str
    stored: tuple[str, ...]
    problems: Mapping[str, list[Problem]] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


def _digest(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                           default=str)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:20]


def revision(response: Response) -> str:
    """An opaque stamp of a draft's stored state that changes with every save.

    The save time is part of it, so putting back the same answers still gives a new stamp:
    a background save based on the state before a button press is refused even when the
    button stored what the draft held before (A → B → A).
    """
    stamp = response.updated_at.isoformat() if response.updated_at else ""
    return _digest([stamp, response.current_section, response.answers or {}])


def page_fingerprint(answers: Mapping[str, Any] | None, ids: Iterable[str]) -> str:
    """A fingerprint of the stored answers of one page. The page's script compares it with
    the one its copy in the browser's storage was based on: equal means nobody saved this page
    since, so the copy holds the newer answers."""
    answers = answers or {}
    return _digest({qid: answers[qid] for qid in ids if qid in answers})


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """The survey's local time (SURVEY_TIMEZONE) of a naive-UTC instant."""
    now = now or utcnow()
    tz = ZoneInfo(current_app.config.get("SURVEY_TIMEZONE", "Asia/Shanghai"))
    return now.replace(tzinfo=dt.UTC).astimezone(tz)


def wave_for(session: Session, day: dt.date) -> Wave | None:
    """The wave whose range holds the day; the latest-starting one when ranges overlap."""
    return session.scalar(waves.latest_covering(day))


def wave_id_of(day: dt.date | BindParameter[dt.date]) -> ScalarSelect[int]:
    """`wave_for` as a scalar subquery, so the INSERT of an assessment files it into its wave
    without a round trip to fetch the wave first."""
    return waves.latest_covering(day).with_only_columns(Wave.id).scalar_subquery()


def assessment_values(questionnaire: Questionnaire, answers: Mapping[str, Any], *,
                      source: str, is_demo: bool, created_at: dt.datetime | None,
                      submitted_at: dt.datetime, ignored: Sequence[str] = ()) -> dict[str, Any]:
    """The columns of an assessment row except its ids and wave: the answers scored, the local
    day and month of the submission, and how long the questionnaire took. `ignored` names
    submitted answers to questions that did not apply, which were not stored but are listed in
    the result."""
    scored = assess(questionnaire, answers, check=False, ignored=ignored)
    local = local_now(submitted_at)
    # Only the web questionnaire has a meaningful start; an API or bulk submission arrives whole.
    duration = (int((submitted_at - created_at).total_seconds())
                if source == "web" and created_at is not None else None)
    return {
        "is_demo": is_demo,
        "submitted_at": submitted_at,
        "local_date": local.date(),
        "month": local.strftime("%Y-%m"),
        "duration_seconds": max(duration, 0) if duration is not None else None,
        **profile_columns(answers),
        **scored_columns(scored),
    }


def build_assessment(
    response: Response,
    questionnaire: Questionnaire,
    submitted_at: dt.datetime,
    ignored: Sequence[str] = (),
) -> Assessment:
    """The scored row of a stored response, filed into its wave by the INSERT itself."""
    values = assessment_values(questionnaire, response.answers, source=response.source,
                               is_demo=response.is_demo, created_at=response.created_at,
                               submitted_at=submitted_at, ignored=ignored)
    return Assessment(response=response, wave_id=wave_id_of(values["local_date"]), **values)


@cache
def _insert_response() -> Insert:
    return insert(Response).returning(Response.id)


@cache
def _insert_assessment() -> Insert:
    """The INSERT of a new assessment, filing it into its wave (`wave_day`: its local date)
    and handing back its id and wave: built once per process."""
    return (insert(Assessment)
            .values(wave_id=wave_id_of(bindparam("wave_day", type_=Date)))
            .returning(Assessment.id, Assessment.wave_id))


def start_response(language: str, consent_version: str, source: str = "web") -> Response:
    q = load_questionnaire()
    with write_transaction() as s:
        response = Response(
            token=new_token(),
            questionnaire_version=q.version,
            language=language,
            consent_version=consent_version,
            answers={},
            current_section=q.sections[0].id,
            source=source,
        )
        s.add(response)
        s.flush()
        starts.added(s, [response.id])
    return response


def _locked(s: Session, token: str) -> Response | None:
    return s.scalar(select(Response).where(Response.token == token).with_for_update())


def save_section(
    token: str,
    section_id: str,
    answers: Mapping[str, AnswerValue],
    next_section: str | None,
    language: str | None = None,
) -> Response:
    """Replace one page's answers of a draft and remember where the respondent is.

    Answers that no longer apply once this page changed (the overseas answers of a firm that
    now says it has no export plans) are dropped: nothing inapplicable is stored.
    """
    with write_transaction() as s:
        response = _locked(s, token)
        if response is None:
            raise LookupError(token)
        if response.status != "draft":
            raise AlreadySubmitted(token)
        q = load_questionnaire(response.questionnaire_version)
        section = q.sections[q.section_index(section_id)]
        ids = {qq.id for qq in section.questions}
        merged = {k: v for k, v in (response.answers or {}).items() if k not in ids}
        merged.update(answers)
        response.answers = route(q, merged).answers
        response.current_section = next_section
        if language:
            response.language = language
        response.updated_at = utcnow()
    return response


def save_draft(
    token: str,
    section_id: str,
    raw: Mapping[str, Any],
    expected_revision: str | None = None,
) -> DraftSaved:
    """Store one page's answers as typed so far, without requiring any, without moving the
    respondent on.

    Answers are checked inside the transaction, against the other pages as stored at that
    moment; only valid answers to questions that apply are stored, replacing the page's
    earlier ones. Answers on *other* pages are left as they are even when this page makes them
    inapplicable: a background save follows every click, and one mistaken tap on "no export
    plans" must not erase a page of overseas answers. The next button save of this page and
    `submit` drop them.

    With `expected_revision`, a draft whose revision has moved on raises StaleRevision and
    stores nothing (the page's script sends the revision it last saw).
    """
    with write_transaction() as s:
        response = _locked(s, token)
        if response is None:
            raise LookupError(token)
        if response.status != "draft":
            raise AlreadySubmitted(token)
        if expected_revision is not None and expected_revision != revision(response):
            raise StaleRevision(revision(response))
        q = load_questionnaire(response.questionnaire_version)
        section = q.sections[q.section_index(section_id)]
        ids = [qq.id for qq in section.questions]
        others = {k: v for k, v in (response.answers or {}).items() if k not in ids}
        check = validate(q, {**others, **raw}, only=ids, require=False)
        # A value being typed that is not valid yet ("-3") never erases the last valid one.
        kept = {k: v for k, v in (response.answers or {}).items() if k in check.problems}
        response.answers = {**others, **kept, **check.answers}
        response.updated_at = utcnow()
        # Read before the commit: afterwards the row reloads and may hold a later save's state.
        saved_revision = revision(response)
        saved_page = page_fingerprint(response.answers, ids)
    return DraftSaved(
        revision=saved_revision,
        page=saved_page,
        stored=tuple(qid for qid in ids if qid in check.answers),
        problems=check.problems,
        ignored=check.ignored,
    )


class NoDraft(LookupError):
    """No draft at this token: it was submitted under a new token (the answer to a double
    click or a concurrent submit, which must not store anything), or never existed."""


def submit(token: str, now: dt.datetime | None = None,
           browser: str | None = None) -> tuple[Assessment, str]:
    """Score and store a draft once; returns the assessment and the report's token.

    The report gets a fresh token: the draft's token travelled in the resume link (on screen,
    as a QR code, in chats), and whoever saw it must not read the report. A repeated submit
    of the new token returns the same row; a concurrent or repeated submit of the old one
    finds no draft and raises `NoDraft`. `browser` (a digest of the submitting browser's own
    session key, never the draft token, which the resume link gave to others) is stored so that
    this browser can find its report again when the answer to its submit was lost
    (`submitted_by`).
    """
    now = now or utcnow()
    try:
        with write_transaction() as s:
            response = _locked(s, token)
            if response is None:
                raise NoDraft(token)
            if response.status == "submitted" and response.assessment is not None:
                return response.assessment, response.token
            q = load_questionnaire(response.questionnaire_version)
            with starts.changing(s, [response.id], locked=True):  # `_locked` holds it
                # Background saves leave answers that a later change made inapplicable (see
                # save_draft); the submitted record keeps only those that apply.
                response.answers = route(q, response.answers or {}).answers
                assessment = build_assessment(response, q, now)
                response.status = "submitted"
                response.submitted_at = now
                response.current_section = None
                response.token = new_token()
                response.submitted_by = browser
                s.add(assessment)
                s.flush()
            cells.added_assessment(s, assessment)
            report_token = response.token
        return assessment, report_token
    except IntegrityError:
        existing = db.session.scalar(
            select(Assessment).join(Response).where(Response.token == token)
        )
        if existing is None:  # stored by the winner, under the report's new token
            raise NoDraft(token) from None
        return existing, token


def submitted_by(browser: str) -> Response | None:
    """The latest response this browser submitted (see `submit`)."""
    return db.session.scalar(
        select(Response).where(Response.submitted_by == browser, Response.status == "submitted")
        .order_by(Response.submitted_at.desc()).limit(1))


def create_submitted(
    answers: Mapping[str, AnswerValue],
    language: str = "en",
    source: str = "api",
    now: dt.datetime | None = None,
    session: Session | None = None,
    also: Callable[[Session, Response], None] | None = None,
    ignored: Sequence[str] = (),
) -> Response:
    """A complete, already validated set of answers stored and scored in one transaction
    (`ignored`: answers the validation set aside because their question did not apply).

    `also` runs inside that transaction once the response has its id, so a caller's own record
    of the submission (an idempotency key) commits or rolls back together with it. The
    response it is given is the copy below, outside the session: it is for reading (the id),
    and anything set on it is not stored.

    The response and its `assessment` come back as copies of what was stored, outside the
    session, so the API answers with them instead of reading back the rows it has just written,
    and a later read in the same session loads the rows afresh rather than trusting these
    copies.
    """
    now = now or utcnow()
    q = load_questionnaire()
    stored: dict[str, Any] = {
        "token": new_token(), "status": "submitted", "questionnaire_version": q.version,
        "language": language, "answers": dict(answers), "source": source, "is_demo": False,
        "created_at": now, "updated_at": now, "submitted_at": now}
    # Scored before the write lock is taken: the transaction holds it only for the writes.
    values = assessment_values(q, stored["answers"], source=source, is_demo=False,
                               created_at=now, submitted_at=now, ignored=ignored)
    # Core INSERTs, not a flush of new objects: the ORM's unit of work cost more than the
    # rest of the transaction, and the values in hand are all the copies below need.
    with write_transaction(session) as s:
        connection = s.connection()
        response_id: int = connection.execute(_insert_response(), stored).scalar_one()
        found = connection.execute(
            _insert_assessment(),
            {**values, "response_id": response_id, "wave_day": values["local_date"]}).one()
        row = {**values, "id": found.id, "response_id": response_id, "wave_id": found.wave_id}
        cells.added_values(s, row, stored["answers"], source)
        starts.added(s, [response_id])
        response = _copy(Response, {**stored, "id": response_id})
        assessment = _copy(Assessment, row)
        # Linked as loaded, not as a change: a copy merged into a session later is clean.
        set_committed_value(response, "assessment", assessment)
        set_committed_value(assessment, "response", response)
        if also is not None:
            also(s, response)
    return response


_Row = TypeVar("_Row", Response, Assessment)


def _copy(model: type[_Row], values: Mapping[str, Any]) -> _Row:
    """A detached copy of a row just inserted, every column set (NULL where `values` has
    none, as the INSERT stored it: no column the submit leaves out has a default, which
    tests/services/test_responses.py checks against the stored row), as a read of it and an
    expunge would have left it."""
    copy = model(**{c.key: values.get(c.key) for c in model.__table__.columns})
    make_transient_to_detached(copy)
    return copy


def delete_response(token: str) -> bool:
    """Remove a respondent's answers and assessment for good (survey.services.erasure); False
    if there was nothing. The audit row names the internal id, never the token."""
    from survey.services import erasure
    from survey.services.staff import audit

    with write_transaction() as s:
        found = s.execute(select(Response.id, Response.status, Response.is_demo)
                          .where(Response.token == token)).first()
        if found is None:
            return False
        erasure.erase(s, found.id)
        audit(s, None, "response.delete", f"response:{found.id}",
              {"via": "respondent", "status": found.status, "is_demo": found.is_demo})
    erasure.checkpoint()
    return True


def find_response(token: str | None) -> Response | None:
    """The response of a private token; None for anything not shaped like one (NUL bytes and
    other junk never reach the database)."""
    if not is_token_shaped(token):
        return None
    return db.session.scalar(select(Response).where(Response.token == token))
