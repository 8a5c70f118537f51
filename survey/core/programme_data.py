"""A programme of the directory as plain data, and its CSV row (pure).

The admin form, the CSV import and the export all pass through `ProgrammeData.from_row` and
`to_row`, so a programme that saves through one of them reads back identically through the
other, and every rule (known recommendations and areas, a provider kind, a condition that
names real questions and options, dates in order, a link or a contact) lives here once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from survey.core.conditions import ConditionError, to_data
from survey.core.programmes import PROVIDER_KINDS, check_targets, parse_eligibility
from survey.core.questionnaire.schema import Questionnaire

COLUMNS: tuple[str, ...] = (
    "code", "active", "provider_kind", "provider_en", "provider_zh", "title_en", "title_zh",
    "description_en", "description_zh", "recommendations", "areas", "eligibility", "link",
    "contact", "valid_from", "valid_to",
)
CODE_SHAPE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
LIMITS: Mapping[str, int] = {
    "provider_en": 200, "provider_zh": 200, "title_en": 200, "title_zh": 200,
    "description_en": 2000, "description_zh": 2000, "link": 500, "contact": 200,
}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class ProgrammeDataError(ValueError):
    """A programme that breaks a rule of the directory; the message names the field."""


@dataclass(frozen=True)
class ProgrammeData:
    code: str
    active: bool
    provider_kind: str
    provider_en: str
    provider_zh: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    recommendations: tuple[str, ...]
    areas: tuple[str, ...]
    eligibility: dict[str, Any] | None
    link: str | None
    contact: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def fields(self) -> dict[str, Any]:
        """The values as the model's columns hold them."""
        out = asdict(self)
        out["recommendations"] = list(self.recommendations)
        out["areas"] = list(self.areas)
        return out

    @classmethod
    def from_row(cls, row: Mapping[str, Any], q: Questionnaire | None) -> ProgrammeData:
        """Read a CSV row or form values (strings), checking every rule."""
        def text(key: str, required: bool = True) -> str:
            value = str(row.get(key) or "").strip()
            if required and not value:
                raise ProgrammeDataError(f"{key}: required")
            if len(value) > LIMITS.get(key, 60):
                raise ProgrammeDataError(f"{key}: longer than {LIMITS.get(key, 60)} characters")
            return value

        code = text("code")
        if not CODE_SHAPE.match(code):
            raise ProgrammeDataError("code: lower-case letters, digits, _ and - only")
        kind = text("provider_kind")
        if kind not in PROVIDER_KINDS:
            raise ProgrammeDataError(f"provider_kind: one of {', '.join(PROVIDER_KINDS)}")
        recs, areas = _ids(row.get("recommendations")), _ids(row.get("areas"))
        problems = check_targets(recs, areas)
        if problems:
            raise ProgrammeDataError("; ".join(problems))
        eligibility = _eligibility(row.get("eligibility"), q)
        link, contact = text("link", False) or None, text("contact", False) or None
        if link and not link.startswith(("https://", "http://")):
            raise ProgrammeDataError("link: an http(s) address")
        if not link and not contact:
            raise ProgrammeDataError("link or contact: give at least one")
        valid_from, valid_to = _date(row.get("valid_from"), "valid_from"), _date(
            row.get("valid_to"), "valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise ProgrammeDataError("valid_to: before valid_from")
        return cls(code=code, active=_bool(row.get("active")), provider_kind=kind,
                   provider_en=text("provider_en"), provider_zh=text("provider_zh"),
                   title_en=text("title_en"), title_zh=text("title_zh"),
                   description_en=text("description_en"),
                   description_zh=text("description_zh"), recommendations=recs, areas=areas,
                   eligibility=eligibility, link=link, contact=contact, valid_from=valid_from,
                   valid_to=valid_to)

    def to_row(self) -> dict[str, str]:
        """The CSV row: ids space-separated, eligibility as compact JSON, ISO dates."""
        return {
            **{k: str(v) for k, v in self.fields().items()
               if isinstance(v, str)},
            "active": "true" if self.active else "false",
            "recommendations": " ".join(self.recommendations),
            "areas": " ".join(self.areas),
            "eligibility": json.dumps(self.eligibility, ensure_ascii=False,
                                      separators=(",", ":")) if self.eligibility else "",
            "link": self.link or "", "contact": self.contact or "",
            "valid_from": self.valid_from.isoformat() if self.valid_from else "",
            "valid_to": self.valid_to.isoformat() if self.valid_to else "",
        }


def _ids(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        return tuple(str(x) for x in raw)
    parts = [p for p in re.split(r"[\s,;]+", str(raw or "")) if p]
    return tuple(dict.fromkeys(parts))


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw or "true").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ProgrammeDataError("active: true or false")
    return value in _TRUE


def _date(raw: Any, key: str) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    value = str(raw or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProgrammeDataError(f"{key}: a date as YYYY-MM-DD") from None


def _eligibility(raw: Any, q: Questionnaire | None) -> dict[str, Any] | None:
    if isinstance(raw, Mapping):
        table: Any = dict(raw)
    else:
        value = str(raw or "").strip()
        if not value:
            return None
        try:
            table = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ProgrammeDataError(f"eligibility: not JSON ({exc.msg})") from None
    try:
        condition = parse_eligibility(table, q)
    except ConditionError as exc:
        raise ProgrammeDataError(str(exc)) from None
    return None if condition is None else to_data(condition)
