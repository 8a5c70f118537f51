"""Cells that are safe to open in a spreadsheet (pure).

Text that starts like a formula (=, +, -, @, tab, carriage return) would run in Excel or
LibreOffice; it gets a leading apostrophe so it shows as text. Real numbers stay numbers: `-5`
the integer is a number, "-5" the answer text is neutralised only if it is text.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
