"""Private random tokens: one size and one shape for every token the app hands out.

A respondent's token opens the resume link, the report and the API record; a partner's API token
authorises statistics. Both carry 256 bits (DESIGN.md asks for at least 128), URL-safe base64.
Anything not shaped like a token is refused before it reaches a query, so NUL bytes and other
junk in a URL are a 404, never a database error.
"""

from __future__ import annotations

import re
import secrets

TOKEN_BYTES = 32
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def is_token_shaped(value: str | None) -> bool:
    return bool(value) and _SHAPE.fullmatch(value or "") is not None
