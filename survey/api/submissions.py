"""Submitting a complete set of answers through the API, and reading a stored assessment.

The rules of POST /api/v1/assessments live here rather than in the view: the body's shape, the
validation of every required question, the idempotency-key protocol around the single
transaction that stores and scores (`services.create_submitted`), and what a replay returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.api import idempotency as key_header
from survey.api.http import ApiError, fingerprint
from survey.core.answers import ANSWERS_KEY, AnswerValue, validate
from survey.core.questionnaire import LANGUAGES, load_questionnaire
from survey.core.tokens import is_token_shaped
from survey.extensions import db
from survey.models import Assessment, Response
from survey.services import idempotency
from survey.services.responses import create_submitted

CREATED = 201


@dataclass(frozen=True)
class Outcome:
    """What a submission produced: the respondent's token, the status, whether it was a
    replay of an earlier request with the same Idempotency-Key, and the assessment when this
    request stored it (a replay reads it by the token)."""

    token: str
    status: int
    replayed: bool
    assessment: Assessment | None = None


@dataclass(frozen=True)
class Parsed:
    """A submission's clean answers, language, the answers set aside because their question
    did not apply (`ignored`), and the problems found, keyed as the API's 422 reports them."""

    answers: dict[str, AnswerValue]
    language: str
    ignored: tuple[str, ...]
    errors: dict[str, list[str]]


def parse_submission(body: Any) -> Parsed:
    if not isinstance(body, Mapping):
        return Parsed({}, "en", (), {ANSWERS_KEY: [_('Send a JSON object {"answers": {...}}.')]})
    errors: dict[str, list[str]] = {}
    language = body.get("language", "en")
    if language not in LANGUAGES:
        errors["language"] = [_("Language must be one of: %(choices)s.",
                                choices=", ".join(LANGUAGES))]
        language = "en"
    if ANSWERS_KEY not in body:
        errors[ANSWERS_KEY] = [_('The "answers" object is missing.')]
        return Parsed({}, language, (), errors)
    v = validate(load_questionnaire(), body[ANSWERS_KEY])
    errors.update(v.messages())
    return Parsed(v.answers, language, tuple(v.ignored), errors)


def _invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, _("Some answers are missing or not valid."), errors=errors)


def _store(parsed: Parsed, record: tuple[str, str, str] | None = None) -> Response:
    """Store the submission; with `(scope, key, request hash)`, record the key in the same
    transaction (survey.services.idempotency says why)."""
    also = None
    if record is not None:
        scope, key, request_hash = record

        def also(s: Session, response: Response) -> None:
            idempotency.record_in(s, scope, key, request_hash, response.id, CREATED)
    return create_submitted(parsed.answers, language=parsed.language, source="api", also=also,
                            ignored=parsed.ignored)


def _stored(response: Response) -> Outcome:
    return Outcome(response.token, CREATED, False, response.assessment)


def _replay(found: idempotency.Claim, request_hash: str) -> Outcome:
    key_header.check(found, request_hash)
    token = db.session.scalar(select(Response.token).where(Response.id == found.response_id))
    db.session.rollback()
    if token is None:
        raise ApiError(409, _("The earlier request with this Idempotency-Key has no stored "
                              "result any more; use a new key."))
    return Outcome(token, found.status_code or CREATED, True)


def submit(body: Any, scope: str, key: str | None) -> Outcome:
    """Validate and store once; with a key, honour the Idempotency-Key rules (replay, 422, 410).
    """
    parsed = parse_submission(body)
    if key is None:
        if parsed.errors:
            raise _invalid(parsed.errors)
        return _stored(_store(parsed))

    request_hash = fingerprint(body)
    earlier = idempotency.lookup(scope, key)
    if earlier is not None:
        return _replay(earlier, request_hash)
    if parsed.errors:
        raise _invalid(parsed.errors)
    try:
        response = _store(parsed, record=(scope, key, request_hash))
    except idempotency.Taken as taken:
        return _replay(taken.claim, request_hash)
    except IntegrityError:
        db.session.rollback()
        winner = idempotency.lookup(scope, key)
        if winner is None:
            raise
        return _replay(winner, request_hash)
    return _stored(response)


def find_assessment(token: str) -> Assessment | None:
    """The stored assessment of a submitted response, by the respondent's private token.

    Anything not shaped like a token (URL-safe base64) is refused before the query: a NUL byte
    in a parameter is a DataError on PostgreSQL, which must be a 404, not a 500."""
    if not is_token_shaped(token):
        return None
    return db.session.scalar(
        select(Assessment).join(Response, Assessment.response_id == Response.id)
        .where(Response.token == token)
    )
