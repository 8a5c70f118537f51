"""Cells that are safe to open in a spreadsheet (pure).

Text that starts like a formula would run in Excel, WPS or LibreOffice; it gets a leading
apostrophe so it shows as text. "Starts like a formula" means: a formula leader (= + - @), a
control character that spreadsheets skip or split on (tab, carriage return, line feed), or the
same leaders in another form — full-width `＝ ＋ － ＠` (typed by every Chinese input method),
small and superscript forms — which spreadsheets read as the ASCII ones. NFKC normalisation
folds all of those onto ASCII, so one rule covers them. Real numbers stay numbers: `-5` the
integer is a number, "-5" the answer text is neutralised only because it is text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

FORMULA_LEADERS = frozenset("=+-@")
CONTROL_LEADERS = ("\t", "\r", "\n")


def starts_like_formula(text: str) -> bool:
    if text.startswith(CONTROL_LEADERS):
        return True
    stripped = text.lstrip(" \u3000")
    if not stripped:
        return False
    return unicodedata.normalize("NFKC", stripped[0])[:1] in FORMULA_LEADERS


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value
