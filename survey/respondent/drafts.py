"""The background save of a questionnaire page: its request body and its browser-storage key.

`static/js/autosave.js` posts the page's form fields as typed so far, as JSON:
`{"fields": [[name, value], …], "revision": "…"}`. Fields rather than answers, so the server
reads them with `posted_answers` exactly as it reads the form a button sends, and the two can
never disagree on what a field means. The body is checked here by shape only; whether an answer
is acceptable is `survey.core.answers.validate`'s decision, in the service.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

MAX_FIELDS = 2000
MAX_NAME = 100
MAX_REVISION = 64


class MalformedDraft(ValueError):
    """A body that is not the JSON the page's script sends; the message says what is wrong,
    in English, for the developer console."""


@dataclass(frozen=True)
class DraftBody:
    fields: MultiDict[str, str]
    revision: str | None


def _storable(text: str) -> bool:
    """JSON may escape lone surrogates ("\\ud800"), which no UTF-8 database can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_body(raw: bytes) -> DraftBody:
    """The fields and the revision of a background save, or MalformedDraft.

    Parsed here rather than with `request.get_json()`, which answers bad JSON with an HTML page
    and lets absurd nesting exhaust the interpreter's recursion limit (a 500).
    """
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedDraft("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedDraft("the body is not a JSON object")
    pairs = data.get("fields")
    if not isinstance(pairs, list) or len(pairs) > MAX_FIELDS:
        raise MalformedDraft("`fields` must be a list of [name, value] pairs")
    fields: MultiDict[str, str] = MultiDict()
    for pair in pairs:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(part, str) and _storable(part) for part in pair)
                or len(pair[0]) > MAX_NAME):
            raise MalformedDraft("each field must be a [name, value] pair of strings")
        fields.add(pair[0], pair[1])
    revision = data.get("revision")
    if revision is not None and (not isinstance(revision, str) or len(revision) > MAX_REVISION):
        raise MalformedDraft("`revision` must be a string or null")
    return DraftBody(fields, revision)


def storage_key(token: str) -> str:
    """A name for the page's copy in the browser's storage, one per draft.

    Derived from the private token by a one-way hash, so a copy left on a shared phone names
    no link to the answers; the token itself never reaches storage keys or URLs.
    """
    return hashlib.sha256(b"survey-autosave:" + token.encode("utf-8")).hexdigest()[:16]
