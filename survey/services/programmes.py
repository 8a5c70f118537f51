"""Writes of the programme directory and of what firms do with it.

Staff changes (a save, an import) are audited in the transaction that makes them. A firm's
contact request is its own explicit consent, stored apart from its answers and deleted — not
flagged — when withdrawn, so no contact detail outlives the consent. A follow-up assessment is
a new draft that carries the firm's random `firm_id` and points at the report it started from.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from survey.core.programme_data import ProgrammeData, ProgrammeDataError
from survey.core.questionnaire import load_questionnaire
from survey.core.tokens import new_token
from survey.database import write_transaction
from survey.extensions import db
from survey.models import ContactRequest, Programme, ProgrammeMatch, Response, StaffUser, utcnow
from survey.services import starts
from survey.services.staff import audit

CONTACT_CONSENT_VERSION = "2026-12-contact"


class ProgrammeError(ValueError):
    """A directory change that cannot be made; the message says which row and why."""


def _apply(programme: Programme, data: ProgrammeData) -> list[str]:
    changed = []
    for key, value in data.fields().items():
        if getattr(programme, key) != value:
            setattr(programme, key, value)
            changed.append(key)
    return changed


def save_programme(data: ProgrammeData, actor: StaffUser | None,
                   programme_id: int | None = None) -> Programme:
    """Create (no id) or update a programme; the audit row lists the fields changed."""
    with write_transaction() as s:
        other = s.scalar(select(Programme.id).where(Programme.code == data.code))
        if other is not None and other != programme_id:
            raise ProgrammeError(f"code {data.code!r} is taken by another programme")
        if programme_id is None:
            programme = Programme()
            s.add(programme)
        else:
            found = s.get(Programme, programme_id)
            if found is None:
                raise ProgrammeError("no such programme")
            programme = found
        changed = _apply(programme, data)
        s.flush()
        audit(s, actor, "programme.create" if programme_id is None else "programme.update",
              f"programme:{programme.id}", {"code": data.code, "fields": changed})
    return programme


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    unchanged: int


def parse_csv(text: str) -> list[ProgrammeData]:
    """Every row checked before anything is stored: one bad row refuses the whole file."""
    q = load_questionnaire()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "provider_kind", "title_en", "title_zh"} - set(reader.fieldnames or ())
    if missing:
        raise ProgrammeError(f"missing columns: {', '.join(sorted(missing))}")
    out, codes = [], set()
    for line, row in enumerate(reader, start=2):
        try:
            data = ProgrammeData.from_row(row, q)
        except ProgrammeDataError as exc:
            raise ProgrammeError(f"line {line}: {exc}") from None
        if data.code in codes:
            raise ProgrammeError(f"line {line}: code {data.code!r} appears twice")
        codes.add(data.code)
        out.append(data)
    return out


def import_programmes(rows: Iterable[ProgrammeData], actor: StaffUser | None) -> Imported:
    """Create or update by code, in one transaction with one audit row."""
    created = updated = unchanged = 0
    with write_transaction() as s:
        existing = {p.code: p for p in s.scalars(select(Programme))}
        for data in rows:
            programme = existing.get(data.code)
            if programme is None:
                programme = Programme()
                s.add(programme)
                _apply(programme, data)
                created += 1
            elif _apply(programme, data):
                updated += 1
            else:
                unchanged += 1
        audit(s, actor, "programme.import", None,
              {"created": created, "updated": updated, "unchanged": unchanged})
    return Imported(created, updated, unchanged)


def record_matches(response_id: int, programme_ids: Iterable[int]) -> None:
    """Remember which programmes a firm's report showed (staff count them as matched); only
    pairs not yet stored are written, so showing the report again writes nothing."""
    wanted = set(programme_ids)
    known = set(db.session.scalars(select(ProgrammeMatch.programme_id)
                                   .where(ProgrammeMatch.response_id == response_id)))
    new = wanted - known
    if not new:
        return
    try:
        with write_transaction() as s:
            s.add_all(ProgrammeMatch(response_id=response_id, programme_id=pid)
                      for pid in sorted(new))
    except IntegrityError:
        pass  # the same report shown twice at once: the other request stored them


@dataclass(frozen=True)
class ContactDetails:
    name: str
    phone: str | None
    email: str | None


def request_contact(response_id: int, programme_id: int, details: ContactDetails) -> None:
    """Store the firm's consent to be contacted about one programme (again: replaced)."""
    with write_transaction() as s:
        s.execute(delete(ContactRequest).where(ContactRequest.response_id == response_id,
                                               ContactRequest.programme_id == programme_id))
        s.add(ContactRequest(response_id=response_id, programme_id=programme_id,
                             name=details.name, phone=details.phone, email=details.email,
                             consent_version=CONTACT_CONSENT_VERSION, created_at=utcnow()))


def withdraw_contact(response_id: int, programme_id: int) -> bool:
    """Delete the request and its contact details; False when there was none."""
    with write_transaction() as s:
        gone = s.execute(delete(ContactRequest).where(
            ContactRequest.response_id == response_id,
            ContactRequest.programme_id == programme_id)).rowcount  # type: ignore[attr-defined]
    return bool(gone)


def start_follow_up(previous: Response, profile_ids: Iterable[str], language: str,
                    consent_version: str) -> Response:
    """A new draft for the firm behind `previous`, linked to it, with its profile answers
    filled in (the firm checks them on the first page). A draft already started from the same
    report is returned instead, so a second press resumes rather than forks."""
    q = load_questionnaire()
    with write_transaction() as s:
        old = s.get(Response, previous.id)
        if old is None:
            raise LookupError(previous.id)
        draft = s.scalar(select(Response).where(Response.previous_id == old.id,
                                                Response.status == "draft"))
        if draft is not None:
            return draft
        if old.firm_id is None:
            old.firm_id = secrets.token_hex(16)
        keep = set(profile_ids)
        answers: Mapping[str, object] = {k: v for k, v in (old.answers or {}).items()
                                         if k in keep and k in q.questions}
        draft = Response(token=new_token(), questionnaire_version=q.version, language=language,
                         consent_version=consent_version, answers=dict(answers),
                         current_section=q.sections[0].id, source="web",
                         firm_id=old.firm_id, previous_id=old.id)
        s.add(draft)
        s.flush()
        starts.added(s, [draft.id])
    return draft
