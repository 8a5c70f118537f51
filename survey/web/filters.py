"""The staff filters as every staff page reads them, with problems said in words.

`survey.queries.filters.Filters` parses the query string and drops what it cannot read; this
adds the checks that need the database or two values at once — a wave number that names no wave, a
"to" month before the "from" month — and turns every problem into a sentence in the page's
language, so a mangled shared link never quietly shows an empty or unfiltered page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.models import Wave
from survey.queries.filters import Filters
from survey.web.labels import industry_codes


@dataclass(frozen=True)
class Checked:
    """Filters to apply, and what was wrong with the link (sentences, translated)."""

    filters: Filters
    messages: tuple[str, ...]


def field_label(name: str) -> str:
    labels: dict[str, str] = {
        "wave": _("Wave"), "industry": _("Industry"), "size": _("Size"),
        "region": _("Region"), "export": _("Export status"), "month_from": _("From month"),
        "month_to": _("To month"), "demo": _("Demo data"),
    }
    return labels.get(name, name)


def wave_ids() -> set[int]:
    return {int(i) for i in db.session.scalars(select(Wave.id))}


def check(filters: Filters, raw_args: Mapping[str, Any],
          known_waves: Collection[int] | None = None) -> Checked:
    """Drop a wave that does not exist (reported like any other bad value) and explain each
    problem; `known_waves` saves a query when the page has loaded the waves anyway."""
    messages = [_("%(field)s: “%(value)s” was not understood and is ignored.",
                  field=field_label(name), value=str(raw_args.get(name, ""))[:40])
                for name in filters.errors if name != "wave"]
    if "wave" in filters.errors:
        messages.insert(0, _("Wave: “%(value)s” is not a wave number and is ignored.",
                             value=str(raw_args.get("wave", ""))[:40]))
    if filters.wave is not None:
        known = wave_ids() if known_waves is None else set(known_waves)
        if filters.wave not in known:
            messages.insert(0, _("Wave: there is no wave number %(id)s (unknown wave); the "
                                 "wave filter is ignored.", id=filters.wave))
            filters = replace(filters, wave=None, errors=(*filters.errors, "wave"))
    if filters.month_from and filters.month_to and filters.month_to < filters.month_from:
        messages.append(_("“To month” (%(to)s) is before “From month” (%(start)s), so no "
                          "assessment can match. Swap them to see that period.",
                          to=filters.month_to, start=filters.month_from))
    return Checked(filters, tuple(messages))


def parse(args: Mapping[str, Any], industries: tuple[str, ...],
          known_waves: Collection[int] | None = None) -> Checked:
    return check(Filters.from_args(args, industries), args, known_waves)


def request_filters(known_waves: Collection[int] | None = None) -> Checked:
    """The filters of the current request's query string, checked against the current
    questionnaire's industries and the known waves."""
    return parse(request.args, industry_codes(), known_waves)
