"""Survey waves: creating, editing and deleting them, and filing assessments into them.

A wave is a date range; every assessment belongs to the latest-starting wave whose range holds
its local date (`latest_covering`), and some wave always stays open-ended so that tomorrow's
submissions have one. Each change moves the affected assessments (and their cells) in the same
transaction as the change and its audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import flask_babel
from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, StaffUser, Wave, utcnow
from survey.services import cells
from survey.services.staff import StaffError, audit

# flask_babel ships no types; its message functions return str.
_: Callable[..., str] = flask_babel.gettext
ngettext: Callable[..., str] = flask_babel.ngettext


@dataclass(frozen=True)
class WaveInput:
    name: str
    starts_on: dt.date
    ends_on: dt.date | None


def covers(day: Any) -> ColumnElement[bool]:
    """The wave's range holds `day` (a date, or a date column for a correlated subquery)."""
    return and_(Wave.starts_on <= day, or_(Wave.ends_on.is_(None), Wave.ends_on >= day))


def latest_covering(day: Any) -> Select[Wave]:
    """The wave an assessment of `day` belongs to: of those whose range holds it, the
    latest-starting. The one rule every filing into a wave follows (a submit, a wave edit, the
    demo seed)."""
    return (select(Wave).where(covers(day))
            .order_by(Wave.starts_on.desc(), Wave.id.desc())
            .limit(1))


def reassign_waves(s: Session, *where: ColumnElement[bool], counted: bool = True) -> None:
    """Put assessments in their wave in ONE statement: the latest-starting covering wave.

    `latest_covering` as a correlated subquery, so editing a wave over a million assessments
    is one UPDATE and no rows travel to Python. The cells move with them (`counted=False`: rows
    not yet in the cells, which the caller adds after).
    """
    lookup = latest_covering(Assessment.local_date).with_only_columns(Wave.id).scalar_subquery()
    with cells.changing(s, where=and_(*where)) if counted else nullcontext():
        s.execute(update(Assessment).where(*where).values(wave_id=lookup),
                  execution_options={"synchronize_session": False})


def _in_range(start: dt.date, end: dt.date | None) -> list[ColumnElement[bool]]:
    cond = [Assessment.local_date >= start]
    if end is not None:
        cond.append(Assessment.local_date <= end)
    return cond


def _check_wave(data: WaveInput) -> None:
    if not data.name.strip():
        raise StaffError(_("Give the wave a name."))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise StaffError(_("The end date must be on or after the start date."))


def _orphans_message(n: int) -> str:
    return ngettext("%(num)s assessment would belong to no wave. Widen or add another wave "
                    "first.", "%(num)s assessments would belong to no wave. Widen or add "
                    "another wave first.", n)


def _refuse_gaps(s: Session, start: dt.date, end: dt.date | None) -> None:
    orphans = s.scalar(select(func.count()).select_from(Assessment).where(
        Assessment.wave_id.is_(None), *_in_range(start, end))) or 0
    if orphans:
        raise StaffError(_orphans_message(orphans))


def _require_open_ended(s: Session) -> None:
    """Some wave must stay open-ended, or tomorrow's submissions would belong to none."""
    if s.scalar(select(func.count()).select_from(Wave).where(Wave.ends_on.is_(None))) == 0:
        raise StaffError(_("At least one wave must stay open-ended (no end date), so every "
                           "new submission has a wave."))


def _wave_details(w: Wave) -> dict[str, Any]:
    return {"name": w.name, "starts_on": w.starts_on.isoformat(),
            "ends_on": w.ends_on.isoformat() if w.ends_on else None}


def create_wave(data: WaveInput, actor: StaffUser | None) -> Wave:
    _check_wave(data)
    try:
        with write_transaction() as s:
            wave = Wave(name=data.name.strip(), starts_on=data.starts_on, ends_on=data.ends_on,
                        created_at=utcnow())
            s.add(wave)
            s.flush()
            reassign_waves(s, *_in_range(data.starts_on, data.ends_on))
            audit(s, actor, "wave.create", f"wave:{wave.id}", _wave_details(wave))
    except IntegrityError as exc:
        raise StaffError(_("A wave with this name already exists.")) from exc
    return wave


def update_wave(wave_id: int, data: WaveInput, actor: StaffUser | None) -> Wave:
    """Edit a wave and re-file the assessments of the old and the new range together."""
    _check_wave(data)
    try:
        with write_transaction() as s:
            wave = s.scalar(select(Wave).where(Wave.id == wave_id).with_for_update())
            if wave is None:
                raise LookupError(wave_id)
            before = _wave_details(wave)
            start = min(wave.starts_on, data.starts_on)
            end = None if wave.ends_on is None or data.ends_on is None \
                else max(wave.ends_on, data.ends_on)
            wave.name, wave.starts_on, wave.ends_on = (data.name.strip(), data.starts_on,
                                                       data.ends_on)
            s.flush()
            reassign_waves(s, *_in_range(start, end))
            _refuse_gaps(s, start, end)
            _require_open_ended(s)
            audit(s, actor, "wave.update", f"wave:{wave.id}",
                  {"before": before, "after": _wave_details(wave)})
    except IntegrityError as exc:
        raise StaffError(_("A wave with this name already exists.")) from exc
    return wave


def delete_wave_refusal(wave_id: int) -> str | None:
    """Why deleting the wave would be refused, known before anyone presses the button.

    The same two rules `delete_wave` enforces, read without writing: some wave must stay
    open-ended, and every assessment in the wave's range needs another wave covering its date.
    """
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        return None
    if wave.ends_on is None and not db.session.scalar(
            select(func.count()).select_from(Wave)
            .where(Wave.ends_on.is_(None), Wave.id != wave_id)):
        return _("This is the only open-ended wave (no end date), and new submissions need "
                 "one: give another wave an open end first. Nothing has been deleted.")
    others = select(Wave.id).where(Wave.id != wave_id, covers(Assessment.local_date))
    orphans = db.session.scalar(select(func.count()).select_from(Assessment).where(
        *_in_range(wave.starts_on, wave.ends_on), ~others.exists())) or 0
    if orphans:
        return _orphans_message(orphans) + " " + _("Nothing has been deleted.")
    return None


def delete_wave(wave_id: int, actor: StaffUser | None) -> None:
    """Delete a wave; its assessments move to the next covering wave, or the delete fails."""
    with write_transaction() as s:
        wave = s.scalar(select(Wave).where(Wave.id == wave_id).with_for_update())
        if wave is None:
            raise LookupError(wave_id)
        details = _wave_details(wave)
        start, end = wave.starts_on, wave.ends_on
        # Deleting the wave empties its assessments' wave (ON DELETE SET NULL) before they
        # move: the cells take them away while they still name it.
        with cells.changing(s, where=and_(*_in_range(start, end))):
            s.execute(delete(Wave).where(Wave.id == wave_id))
            reassign_waves(s, *_in_range(start, end), counted=False)
        _refuse_gaps(s, start, end)
        _require_open_ended(s)
        audit(s, actor, "wave.delete", f"wave:{wave_id}", details)
