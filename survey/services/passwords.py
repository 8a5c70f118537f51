"""The staff password rule: long enough, not a well-known password, not the account's name.

Length matters most (NIST SP 800-63B): at least 12 characters, no composition rules. The list
of common passwords ships with the package (`common-passwords.txt`) so the check works offline;
a password is refused when it is a listed one, perhaps followed by digits and punctuation
("password2024!"), because that is how people stretch a short favourite to the minimum.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 256
_TRAILING = "0123456789!@#$%^&*()_+-=.,?~ "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _stem(password: str) -> str:
    return password.lower().rstrip(_TRAILING)


def password_problems(password: str, email: str = "") -> list[str]:
    """Every reason the password is refused, as messages for the person choosing it."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].strip().lower()
    stem = _stem(password)
    common = common_passwords()
    if lowered in common or stem in common or not stem or len(set(lowered)) <= 2:
        problems.append(_("This password is too common or too easy to guess."))
    elif local_part and (lowered == local_part or stem == local_part):
        problems.append(_("The password must not be the name in your email address."))
    return problems
