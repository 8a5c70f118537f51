"""How staff pages write things that are stored as codes: numbers, waves, sources, audit rows.

Registered as template filters and globals for the whole app by the staff blueprint. Every
aggregate number goes through survey.core.stats' formatting (the same functions the charts
call), so a table, a caption, a hover label and the brief never disagree by a point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flask_babel

from survey.core import formatting, rounding
from survey.core.stats import Interval, Share
from survey.staff import bp
from survey.web.filters import field_label
from survey.web.labels import (
    DEMO_NAMES,
    EXPORT_NAMES,
    REGION_NAMES,
    SIZE_NAMES,
    SOURCE_NAMES,
    wave_name,
)

# flask_babel ships no types; its message functions return str.
_: Callable[..., str] = flask_babel.gettext


@bp.app_template_filter("agg_score")
def agg_score(value: float | None) -> str:
    """A mean score (or an interval end), rounded half up: "53"."""
    return formatting.format_mean(value)


@bp.app_template_filter("agg_range")
def agg_range(interval: Interval | None) -> str:
    """A mean's 95 % interval: "52–54"."""
    return formatting.format_mean_range(interval)


@bp.app_template_filter("agg_share")
def agg_share(s: Share | None) -> str:
    """A share: "53%", or "0.2%" when whole percents would print a false 0 %."""
    return formatting.format_share(s)


@bp.app_template_filter("agg_share_range")
def agg_share_range(s: Share | None) -> str:
    """A share's 95 % interval, with the share's own precision: "0.1%–0.4%"."""
    return formatting.format_share_range(s)


@bp.app_template_filter("agg_percent")
def agg_percent(value: float | None, digits: int = 0) -> str:
    return formatting.format_percent(value, digits)


@bp.app_template_filter("half_up")
def half_up(value: float | None, digits: int = 0) -> float | None:
    """Any other number a staff page shows (a median in minutes): half away from zero, the
    one rule (Jinja's `round` goes to even)."""
    return rounding.half_up_optional(value, digits)


@bp.app_template_global("share_digits")
def share_digits(*values: float | None) -> int:
    return formatting.share_digits(*values)


bp.add_app_template_filter(wave_name, "wave_name")


@bp.app_template_filter("source_label")
def source_label(code: str | None) -> str:
    """Where a response came from, in words (the code stays in exports and the API)."""
    return "—" if code is None else str(SOURCE_NAMES.get(code, code))


# --- audit rows --------------------------------------------------------------------------


def _detail_labels() -> dict[str, str]:
    return {
        "email": _("Email"), "role": _("Role"), "via": _("Via"), "from": _("From"),
        "to": _("To"), "name": _("Name"), "starts_on": _("First day"),
        "ends_on": _("Last day"), "before": _("Before"), "after": _("After"),
        "status": _("Status"), "is_demo": _("Demo data"), "format": _("Format"),
        "rows": _("Rows"), "filters": _("Filters"), "free_text": _("Free text included"),
        "assessments": _("Assessments"), "first_id": _("First id"), "last_id": _("Last id"),
        "drafts": _("Drafts"), "idempotency_keys": _("Idempotency keys"), "days": _("Days"),
        "owner_id": _("Owner (staff id)"), "address": _("Address"),
        "reason": _("Reason"), "second_factor": _("Second step"),
        "tokens_revoked": _("API tokens revoked"),
    }


def _code_words() -> dict[str, str]:
    return {"admin": _("Admin"), "analyst": _("Analyst"), "web": _("web"),
            "cli": _("command line"), "submitted": _("submitted"), "draft": _("draft"),
            "csv": "CSV", "xlsx": "Excel", "dta": "Stata", "sav": "SPSS",
            "wrong_password": _("wrong password"), "unknown_account": _("unknown account"),
            "inactive": _("deactivated account"), "wrong_code": _("wrong code"),
            "wrong_current_password": _("wrong current password"),
            "limit_address": _("limit per address"), "limit_account": _("limit per account"),
            "limit_device": _("limit per known browser"), "limit_code": _("limit on codes"),
            "totp": _("authenticator app"), "recovery_code": _("recovery code"),
            "enrolled": _("set up at this sign-in")}


def filter_words(args: Mapping[str, Any], waves: Mapping[int, str]) -> str:
    """Recorded filters ({"region": "east", "wave": "3"}) as "Region: East; Wave: 2026 H1"."""
    names: dict[str, Mapping[str, Any]] = {
        "size": SIZE_NAMES, "region": REGION_NAMES, "export": EXPORT_NAMES, "demo": DEMO_NAMES,
    }
    parts = []
    for key, value in args.items():
        text = str(value)
        if key == "wave" and text.isdigit() and int(text) in waves:
            text = wave_name(waves[int(text)])
        elif key in names:
            text = str(names[key].get(text, text))
        parts.append(_("%(label)s: %(value)s", label=field_label(key), value=text))
    return _("; ").join(parts) if parts else _("none (everything)")


def detail_value(key: str, value: Any, waves: Mapping[int, str]) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "filters" and isinstance(value, Mapping):
        return filter_words(value, waves)
    if isinstance(value, Mapping):
        return _("; ").join(_("%(label)s: %(value)s", label=label, value=text)
                            for label, text in audit_details(value, waves))
    if isinstance(value, list | tuple):
        return ", ".join(detail_value(key, v, waves) for v in value)
    if key == "name" and isinstance(value, str):
        return wave_name(value)
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return _code_words().get(str(value), str(value))


def audit_details(details: Mapping[str, Any] | None,
                  waves: Mapping[int, str] | None = None) -> list[tuple[str, str]]:
    """An audit row's details as (label, text) pairs in the page's language: Yes/No, "—" for
    nothing, filters spelled out. Unknown keys keep their name, so nothing recorded is lost."""
    waves = waves or {}
    labels = _detail_labels()
    return [(labels.get(str(k), str(k)), detail_value(str(k), v, waves))
            for k, v in (details or {}).items()]
