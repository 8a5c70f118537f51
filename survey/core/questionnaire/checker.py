"""Collects every problem found in a data file, so one run reports them all."""

from __future__ import annotations

from typing import Any

from survey.core.conditions import Condition, ConditionError, parse_condition
from survey.core.questionnaire.schema import LANGUAGES, Text


class Checker:
    """Problems are "where: what", where naming the file part, so a fix starts at the line."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, raw: Any, where: str, *, optional: bool = False) -> Text | None:
        if raw is None:
            if not optional:
                self.fail(where, "missing text")
            return None
        if isinstance(raw, str) or not isinstance(raw, dict):
            self.fail(where, "text must be a table with " + " and ".join(LANGUAGES))
            return None
        missing = [lang for lang in LANGUAGES if not str(raw.get(lang, "")).strip()]
        if missing:
            self.fail(where, f"text missing in {', '.join(missing)}")
            return None
        return Text(en=str(raw["en"]), zh=str(raw["zh"]))

    def number(self, raw: Any, where: str, default: float | None = None) -> float | None:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.fail(where, f"expected a number, got {raw!r}")
            return default
        return float(raw)

    def condition(self, raw: Any, where: str) -> Condition | None:
        """A parsed condition; a malformed one is a problem named by its place in the file."""
        try:
            return parse_condition(raw, where)
        except ConditionError as exc:
            self.problems.append(str(exc))
            return None
