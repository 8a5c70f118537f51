"""The /api/v1 routes: thin views that parse, call a service or query, and answer JSON."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from survey.api import bp, idempotency
from survey.api.auth import (
    address_key,
    anonymous_limit,
    client_scope,
    has_valid_token,
    partner_limit,
    staff_required,
    token_client,
    token_key,
)
from survey.api.http import ApiError, json_body
from survey.api.openapi import openapi_document
from survey.api.submissions import find_assessment, submit
from survey.core.item_indicators import BY_DIMENSIONS
from survey.core.questionnaire import LANGUAGES, load_questionnaire, questionnaire_json
from survey.extensions import limiter
from survey.models import Assessment
from survey.queries import summary_stats
from survey.queries.filters import Filters
from survey.queries.indicators import indicator_table, table_json
from survey.queries.peers import benchmark_for
from survey.web.filters import check as check_filters
from survey.web.security import no_store

QUESTIONNAIRE_MAX_AGE = 3600


def industry_codes() -> tuple[str, ...]:
    """The industries a filter may name: the questionnaire's options, nothing else."""
    question = load_questionnaire().questions.get("industry")
    return tuple(o.value for o in question.options) if question else ()


def report_url(token: str) -> str:
    """The absolute URL of the respondent's report page."""
    try:
        return url_for("respondent.report", token=token, _external=True)
    except BuildError:
        return request.host_url + "report/" + token


def assessment_document(row: Assessment, token: str) -> dict[str, Any]:
    """The stored result as scored when submitted, with its public id, link and benchmark."""
    doc = dict(row.result)
    doc["id"] = token
    doc["report_url"] = report_url(token)
    doc["benchmark"] = benchmark_for(row)
    return doc


@bp.get("/questionnaire")
def questionnaire() -> Response:
    lang = request.args.get("lang", "en")
    if lang not in LANGUAGES:
        raise ApiError(400, _("Unknown language %(lang)s; use one of: %(choices)s.",
                              lang=lang[:20], choices=", ".join(LANGUAGES)))
    q = load_questionnaire()
    resp = jsonify(questionnaire_json(q, lang))
    resp.set_etag(f"questionnaire-{q.version}-{q.method_version}-{lang}")
    resp.cache_control.public = True
    resp.cache_control.max_age = QUESTIONNAIRE_MAX_AGE
    resp.vary.add("Accept-Encoding")
    resp.make_conditional(request)  # in place (it returns `resp`, typed as Werkzeug's base class)
    return resp


@bp.post("/assessments")
@limiter.limit(anonymous_limit, key_func=address_key, exempt_when=has_valid_token,
               methods=["POST"], scope="api-anonymous")
@limiter.limit(partner_limit, key_func=token_key, exempt_when=lambda: not has_valid_token(),
               methods=["POST"], scope="api-partner")
def create_assessment() -> Response:
    token_client()
    body = json_body()
    key = idempotency.parse_key(request.headers.get(idempotency.HEADER),
                                anonymous=not has_valid_token())
    outcome = submit(body, client_scope(), key)
    row = find_assessment(outcome.token)
    if row is None:
        raise ApiError(409, _("The submission was not stored; please try again."))
    resp = jsonify(assessment_document(row, outcome.token))
    resp.status_code = outcome.status
    resp.headers["Location"] = url_for("api.get_assessment", token=outcome.token,
                                       _external=True)
    if outcome.replayed:
        resp.headers["Idempotent-Replayed"] = "true"
    return no_store(resp)


@bp.get("/assessments/<token>")
def get_assessment(token: str) -> Response:
    row = find_assessment(token)
    if row is None:
        raise ApiError(404, _("There is no assessment with this id."))
    return no_store(jsonify(assessment_document(row, token)))


@bp.get("/stats")
@staff_required
def stats() -> Response:
    parsed = Filters.from_args(request.args, industries=industry_codes())
    if not parsed.errors and check_filters(parsed, request.args).filters.wave != parsed.wave:
        raise ApiError(404, _("There is no wave with the id %(id)s.", id=parsed.wave))
    filters = parsed
    if filters.errors:
        raise ApiError(400, _("These filters have values that are not allowed: %(names)s.",
                              names=", ".join(filters.errors)), invalid=list(filters.errors))
    min_group = int(current_app.config.get("PRIVACY_MIN_GROUP", 10))
    return no_store(jsonify(summary_stats(filters, min_group=min_group)))


@bp.get("/indicators")
@staff_required
def indicators() -> Response:
    """Item-level indicators by segment: the staff filters (demo rows left out unless `demo`
    is given), `by` one of BY_DIMENSIONS, `lang` for the labels."""
    parsed = Filters.from_args(request.args, industries=industry_codes())
    if not parsed.errors and check_filters(parsed, request.args).filters.wave != parsed.wave:
        raise ApiError(404, _("There is no wave with the id %(id)s.", id=parsed.wave))
    by = request.args.get("by", "size")
    lang = request.args.get("lang", "en")
    invalid = [*parsed.errors, *(["by"] if by not in BY_DIMENSIONS else []),
               *(["lang"] if lang not in LANGUAGES else [])]
    if invalid:
        raise ApiError(400, _("These filters have values that are not allowed: %(names)s.",
                              names=", ".join(invalid)), invalid=invalid)
    filters = parsed if request.args.get("demo") else parsed.without_demo()
    min_group = int(current_app.config.get("PRIVACY_MIN_GROUP", 10))
    return no_store(jsonify(table_json(indicator_table(filters, by, min_group), lang)))


@bp.get("/openapi.json")
def openapi() -> Response:
    resp = jsonify(openapi_document())
    resp.cache_control.public = True
    resp.cache_control.max_age = QUESTIONNAIRE_MAX_AGE
    return resp
