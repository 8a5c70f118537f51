"""Reading JSON request bodies defensively, and the API's error exception.

Flask's own `request.get_json()` answers malformed JSON with an HTML 400 and lets a deeply
nested document blow the interpreter's recursion limit (a 500). Partners' integrations and
hostile clients alike must get a clear JSON 4xx instead, so the API parses bodies itself: the
content type is checked (415), the size is bounded by MAX_CONTENT_LENGTH (413, raised by
Werkzeug while reading), and the document must be valid UTF-8 JSON without NaN/Infinity,
without lone surrogates and no deeper than `MAX_DEPTH` (400).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, request
from flask_babel import gettext as _

from survey.web.errors import api_error

MAX_DEPTH = 16
JSON_TYPES = ("application/json",)


class ApiError(Exception):
    """Raised anywhere below a view to answer a JSON error; the blueprint renders it."""

    def __init__(self, status: int, detail: str | None = None,
                 headers: dict[str, str] | None = None, **fields: object) -> None:
        super().__init__(detail or str(status))
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.fields = fields

    def response(self) -> Response:
        resp = api_error(self.status, self.detail, **self.fields)
        resp.headers.update(self.headers)
        return resp


def is_json_mimetype(mimetype: str) -> bool:
    return mimetype in JSON_TYPES or (mimetype.startswith("application/")
                                      and mimetype.endswith("+json"))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether containers nest deeper than `limit`, checked without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def has_lone_surrogate(value: Any) -> bool:
    """JSON allows escaped lone surrogates ("\\ud800") that no UTF-8 database can store."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`, or ApiError(400) saying what is wrong with it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(400, _("The body is not valid UTF-8.")) from exc
    if not text.strip():
        raise ApiError(400, _("The body is empty; send a JSON object."))
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise ApiError(400, _("The JSON is nested too deeply.")) from exc
    except ValueError as exc:
        raise ApiError(400, _("The body is not valid JSON: %(reason)s",
                              reason=str(exc)[:200])) from exc
    if depth_exceeds(data):
        raise ApiError(400, _("The JSON is nested too deeply."))
    if has_lone_surrogate(data):
        raise ApiError(400, _("The JSON contains an invalid Unicode escape."))
    return data


def json_body() -> Any:
    """The request's JSON body: 415 unless declared as JSON, 413 when over the size limit."""
    if not is_json_mimetype(request.mimetype):
        raise ApiError(415, _("Send the body as application/json."))
    return parse_json(request.get_data(cache=True))


def fingerprint(data: Any) -> str:
    """SHA-256 of the canonical JSON of a document: equal documents, equal fingerprints,
    whatever their key order or whitespace."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
