"""The `Idempotency-Key` header of POST /api/v1/assessments
(draft-ietf-httpapi-idempotency-key-header).

What the draft says a server answers: a malformed key is 400, a key reused with another body is
422. A second request while the first is still running waits for it and is answered with its
result (the draft's 409 is allowed, not required; survey.services.idempotency says why waiting
is safe here). The keys themselves are stored by `survey.services.idempotency`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from survey.api.http import ApiError
from survey.services.idempotency import DONE, GONE, Claim

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
MIN_KEY_LENGTH = 16
"""An anonymous caller's keys are scoped to its address, which it shares with everyone on a
venue's Wi-Fi or behind a mobile carrier's NAT: a short key ("1", "retry") from two people
would collide, and an equal body would replay one firm's private token to the other. A key
this long is meant to be random (a UUID has 36 characters) and so the caller's own. The same
rule holds with an API token, so the documented format is one for every caller."""


def parse_key(raw: str | None, *, anonymous: bool = False) -> str | None:
    """The key of the header, or None without one; ApiError(400) when malformed, or when an
    anonymous caller's key is too short to be random.

    A partner's keys are scoped to its API token, so any key is its own (1–255 characters, as
    the contract has always allowed); an anonymous caller's keys are scoped to its address,
    which a roundtable or a mobile carrier shares with many others, so only a long, random key
    cannot collide with a stranger's. The draft defines the value as a Structured Field string
    (`"…"`); clients in the wild send it bare as well, so both are accepted and mean the same
    key.
    """
    if raw is None:
        return None
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not 1 <= len(value) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in value):
        raise ApiError(400, _("The Idempotency-Key header must be 1 to %(max)d printable "
                              "ASCII characters.", max=MAX_KEY_LENGTH))
    if anonymous and len(value) < MIN_KEY_LENGTH:
        raise ApiError(400, _("The Idempotency-Key must be at least %(min)d characters and "
                              "random (a UUID is best), so that no one else sends the same "
                              "key.", min=MIN_KEY_LENGTH))
    return value


def check(found: Claim, request_hash: str) -> None:
    """Refuse a reuse of the key the draft forbids, another body (422), and a replay of a
    submission deleted since (410), which must not come back."""
    if found.request_hash != request_hash:
        raise ApiError(422, _("This Idempotency-Key was already used with a different request "
                              "body; use a new key for a new submission."))
    if found.state == GONE:
        raise ApiError(410, _("The submission made with this Idempotency-Key has been deleted "
                              "and will not be stored again."))
    if found.state != DONE or found.response_id is None:
        raise ApiError(409, _("The earlier request with this Idempotency-Key has no stored "
                              "result any more; use a new key."))
