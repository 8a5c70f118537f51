"""The one set of staff filters: wave, industry, size, region, export status, months, demo.

Parsed from query parameters (so every filtered view is a shareable URL), applied to any
SELECT over `assessments`. Bad values never fail a page: they are dropped and reported in
`errors`, so a mangled shared link still shows something honest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select

from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.models import Assessment

MONTH = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")  # 2000-01 … 2099-12
DEMO_CHOICES = ("exclude", "include", "only")
DEMO_DEFAULT = "exclude"
"""Demo rows are left out unless a filter asks for them, so the dashboard, its CSVs, the
exports, the API and the brief count the same firms by default."""
CURRENT_EXPORT_STATUSES: tuple[str, ...] = (
    "exports_direct", "exports_indirect", "supplies_exporters", "stopped", "considering",
    "no_plans",
)
"""Questionnaire 2027.1's export statuses: what the filter offers."""
LEGACY_EXPORT_STATUSES: tuple[str, ...] = ("none", "planning", "exporting")
"""Codes only rows of questionnaire 2026.1 carry (its fourth, "considering", is shared):
still read, so old rows and old links can be filtered."""
EXPORT_STATUSES: tuple[str, ...] = (*CURRENT_EXPORT_STATUSES, *LEGACY_EXPORT_STATUSES)


@dataclass(frozen=True)
class Filters:
    wave: int | None = None
    industry: str | None = None
    size: str | None = None
    region: str | None = None
    export: str | None = None
    month_from: str | None = None
    month_to: str | None = None
    demo: str = DEMO_DEFAULT
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, Any], industries: tuple[str, ...] = ()) -> Filters:
        errors: list[str] = []

        def choice(name: str, allowed: tuple[str, ...]) -> str | None:
            raw = (args.get(name) or "").strip()
            if not raw:
                return None
            if allowed and raw not in allowed:
                errors.append(name)
                return None
            return raw

        wave = None
        raw_wave = (args.get("wave") or "").strip()
        if raw_wave:
            if raw_wave.isdigit() and len(raw_wave) < 10:
                wave = int(raw_wave)
            else:
                errors.append("wave")
        months = []
        for name in ("month_from", "month_to"):
            raw = (args.get(name) or "").strip()
            if raw and not MONTH.match(raw):
                errors.append(name)
                raw = ""
            months.append(raw or None)
        demo = choice("demo", DEMO_CHOICES) or DEMO_DEFAULT
        return cls(
            wave=wave,
            industry=choice("industry", industries),
            size=choice("size", SIZE_CLASSES),
            region=choice("region", REGIONS),
            export=choice("export", EXPORT_STATUSES),
            month_from=months[0],
            month_to=months[1],
            demo=demo,
            errors=tuple(errors),
        )

    def to_args(self) -> dict[str, str]:
        """Query parameters that reproduce these filters (defaults left out)."""
        out = {
            "wave": str(self.wave) if self.wave is not None else None,
            "industry": self.industry,
            "size": self.size,
            "region": self.region,
            "export": self.export,
            "month_from": self.month_from,
            "month_to": self.month_to,
            "demo": self.demo if self.demo != DEMO_DEFAULT else None,
        }
        return {k: v for k, v in out.items() if v}

    def without_demo(self) -> Filters:
        return replace(self, demo="exclude")

    @property
    def active(self) -> bool:
        return bool(self.to_args())

    def dimensions(self) -> set[str]:
        """The assessment columns these filters read."""
        names = {"wave": "wave_id", "industry": "industry", "size": "size_class",
                 "region": "region", "export": "export_status"}
        out = {col for f, col in names.items() if getattr(self, f) is not None}
        if self.month_from or self.month_to:
            out.add("month")
        if self.demo != "include":
            out.add("is_demo")
        return out

    def apply(self, stmt: Select[Any], columns: Any = Assessment) -> Select[Any]:
        """Narrow a SELECT over `assessments` — or over anything with the same column names
        (the cells, survey.queries.cells) — to these filters."""
        a = columns
        if self.wave is not None:
            stmt = stmt.where(a.wave_id == self.wave)
        if self.industry:
            stmt = stmt.where(a.industry == self.industry)
        if self.size:
            stmt = stmt.where(a.size_class == self.size)
        if self.region:
            stmt = stmt.where(a.region == self.region)
        if self.export:
            stmt = stmt.where(a.export_status == self.export)
        if self.month_from:
            stmt = stmt.where(a.month >= self.month_from)
        if self.month_to:
            stmt = stmt.where(a.month <= self.month_to)
        if self.demo == "exclude":
            stmt = stmt.where(a.is_demo.is_(False))
        elif self.demo == "only":
            stmt = stmt.where(a.is_demo.is_(True))
        return stmt
