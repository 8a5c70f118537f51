"""Refuse malformed input before any view or query sees it: NUL bytes, ids out of range and
Hosts that cannot be read.

PostgreSQL cannot store or compare a string with a NUL byte (psycopg raises DataError) and its
`integer` columns stop at 2^31 - 1 (a larger literal is an "out of range" error); SQLite's
integers stop at 2^63 - 1 (the driver raises OverflowError). Left to the database, each is a
500 with a traceback. Checking once here, for every route, makes them a 400 (NUL) and a 404
(an id no row can have) without every view having to remember.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

from survey.web.errors import ExplainedBadRequest

MAX_ID = 2**31 - 1
"""The largest id any table can hold on every supported database (PostgreSQL `integer`)."""

NUL = "\x00"


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to a real id: a larger number matches no route, so it is a 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_nul(values: Any) -> bool:
    return any(NUL in key or any(NUL in v for v in values.getlist(key)) for key in values)


def refuse_unreadable_url() -> None:
    """A Host that is not valid IDNA (`xn--zz`) or has an impossible port makes Werkzeug's
    `request.url` raise, and the sign-in redirect and other code read it; a 400 here instead.
    The property is cached, so computing it costs nothing later."""
    try:
        request.url  # noqa: B018 - computed for its check
    except (UnicodeError, ValueError) as exc:
        raise BadRequest() from exc


def refuse_nul_bytes() -> None:
    """A NUL byte anywhere in the path, the query string or a form field is a 400 with a plain
    reason, whatever the route; nothing legitimate ever contains one.

    JSON bodies are left to the API's validation: a NUL there can only arrive escaped
    (`\\u0000`), stays escaped in a JSON column, and an answer must match its question anyway;
    refusing it here would also refuse requests the API's description calls valid."""
    found = NUL in request.path or _has_nul(request.args)
    if not found and request.mimetype in ("application/x-www-form-urlencoded",
                                          "multipart/form-data"):
        found = _has_nul(request.form)
    if found:
        raise ExplainedBadRequest(_("The request contains a NUL character (\\0), which is never "
                                 "valid here. Please remove it and try again."))


def register(app: Flask) -> None:
    """Before any blueprint is registered, so every `<int:…>` rule is built with the bound."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unreadable_url)
    app.before_request(refuse_nul_bytes)
