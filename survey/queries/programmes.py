"""Reads of the programme directory and of what firms did with it.

Staff numbers are SQL aggregates over the assessments the staff filters select (the filters
apply to the assessment a programme was shown in, T0), so they answer to the same filters as
the dashboard. A follow-up is the submitted response whose `previous_id` is the T0 response;
the firm id itself never leaves the database and is not read here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import aliased

from survey.core.conditions import ConditionError
from survey.core.programme_data import COLUMNS, ProgrammeData
from survey.core.programme_stats import Counts
from survey.core.programmes import ProgrammeRule, parse_eligibility
from survey.core.stats import Moments
from survey.extensions import db
from survey.models import Assessment, ContactRequest, Programme, ProgrammeMatch, Response
from survey.queries.disclosure import Counts as DisclosureCounts
from survey.queries.disclosure import Guard, fold, guard_over
from survey.queries.filters import Filters

SEGMENTS: dict[str, Any] = {
    "size_class": Assessment.size_class,
    "region": Assessment.region,
    "export_status": Assessment.export_status,
}


def directory() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.code)))


def as_data(p: Programme) -> ProgrammeData:
    return ProgrammeData(
        code=p.code, active=p.active, provider_kind=p.provider_kind,
        provider_en=p.provider_en, provider_zh=p.provider_zh, title_en=p.title_en,
        title_zh=p.title_zh, description_en=p.description_en,
        description_zh=p.description_zh, recommendations=tuple(p.recommendations or ()),
        areas=tuple(p.areas or ()), eligibility=p.eligibility, link=p.link, contact=p.contact,
        valid_from=p.valid_from, valid_to=p.valid_to)


def directory_csv() -> str:
    """The directory in its exchange format: what `programmes import` reads back unchanged."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for programme in directory():
        writer.writerow(as_data(programme).to_row())
    return buf.getvalue()


def open_programmes(today: dt.date) -> tuple[dict[int, Programme], list[ProgrammeRule]]:
    """The active programmes open today and their rules. A stored condition that no longer
    parses (the questionnaire changed under it) is left out rather than shown to everyone."""
    stmt = select(Programme).where(
        Programme.active.is_(True),
        (Programme.valid_from.is_(None)) | (Programme.valid_from <= today),
        (Programme.valid_to.is_(None)) | (Programme.valid_to >= today))
    found: dict[int, Programme] = {}
    rules: list[ProgrammeRule] = []
    for p in db.session.scalars(stmt.order_by(Programme.code)):
        try:
            condition = parse_eligibility(p.eligibility)
        except ConditionError:
            continue
        found[p.id] = p
        rules.append(ProgrammeRule(p.id, tuple(p.recommendations or ()), condition, p.active,
                                   p.valid_from, p.valid_to))
    return found, rules


def requested(response_id: int) -> set[int]:
    """The programmes this firm asked to be contacted about."""
    return set(db.session.scalars(select(ContactRequest.programme_id)
                                  .where(ContactRequest.response_id == response_id)))


def requests_of(response_id: int) -> list[dict[str, Any]]:
    """One firm's own requests, for its own-data download."""
    stmt = (select(Programme.code, ContactRequest.name, ContactRequest.phone,
                   ContactRequest.email, ContactRequest.consent_version,
                   ContactRequest.created_at)
            .join(Programme, Programme.id == ContactRequest.programme_id)
            .where(ContactRequest.response_id == response_id)
            .order_by(ContactRequest.id))
    return [{"programme": r.code, "name": r.name, "phone": r.phone, "email": r.email,
             "consent_version": r.consent_version,
             "requested_at": r.created_at.isoformat(timespec="seconds") + "Z"}
            for r in db.session.execute(stmt)]


def contact_requests() -> list[Any]:
    """Every request with its programme and the response's internal id (never its token)."""
    stmt = (select(ContactRequest.id, ContactRequest.response_id, ContactRequest.name,
                   ContactRequest.phone, ContactRequest.email, ContactRequest.created_at,
                   ContactRequest.consent_version, Programme.code, Programme.title_en,
                   Programme.title_zh)
            .join(Programme, Programme.id == ContactRequest.programme_id)
            .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc()))
    return list(db.session.execute(stmt).all())


def _follow_up() -> tuple[Any, Any]:
    r1 = aliased(Response)
    a1 = aliased(Assessment)
    return r1, a1


def programme_counts(filters: Filters) -> dict[int, Counts]:
    """Per programme: firms shown it, who asked to be contacted, who came back with a
    follow-up, and who scored higher overall at the follow-up — one GROUP BY."""
    r1, a1 = _follow_up()
    pid = ProgrammeMatch.programme_id
    rid = ProgrammeMatch.response_id
    columns: list[Any] = [
        pid,
        func.count(func.distinct(rid)).label("matched"),
        func.count(func.distinct(ContactRequest.id)).label("asked"),
        func.count(func.distinct(case((a1.id.is_not(None), rid)))).label("came_back"),
        func.count(func.distinct(case((a1.overall_score > Assessment.overall_score, rid))))
        .label("higher")]
    stmt: Select[Any] = (select(*columns)
        .select_from(ProgrammeMatch)
        .join(Assessment, Assessment.response_id == rid)
        .outerjoin(ContactRequest, (ContactRequest.response_id == rid)
                   & (ContactRequest.programme_id == pid))
        .outerjoin(r1, (r1.previous_id == rid) & (r1.status == "submitted"))
        .outerjoin(a1, a1.response_id == r1.id)
        .group_by(pid))
    rows = db.session.execute(filters.apply(stmt)).all()
    return {int(r.programme_id): Counts(int(r.matched), int(r.asked), int(r.came_back),
                                        int(r.higher)) for r in rows}


PROGRAMME_KINDS = ("matched", "came_back")
"""The own n's of a programme's published shares: firms shown it (asked, came back), and
firms that came back (came back higher)."""


def programme_cell(programme_id: int) -> tuple[str, int]:
    return ("programme", programme_id)


def programme_guard(filters: Filters, min_group: int) -> Guard:
    """The relaxation rule (survey.core.disclosure) over the directory's numbers: what another
    setting of the filters could difference out of a programme's firms."""
    r1, a1 = _follow_up()
    rid = ProgrammeMatch.response_id

    columns: list[Any] = [
        ProgrammeMatch.programme_id.label("pid"), Assessment.month.label("month"),
        func.count(func.distinct(rid)).label("k0"),
        func.count(func.distinct(case((a1.id.is_not(None), rid)))).label("k1")]

    def counts_of(f: Filters) -> DisclosureCounts:
        stmt: Select[Any] = (
            select(*columns)
            .select_from(ProgrammeMatch)
            .join(Assessment, Assessment.response_id == rid)
            .outerjoin(r1, (r1.previous_id == rid) & (r1.status == "submitted"))
            .outerjoin(a1, a1.response_id == r1.id)
            .where(Assessment.is_demo.is_(False))
            .group_by(ProgrammeMatch.programme_id, Assessment.month))
        return fold(db.session.execute(f.apply(stmt)),
                    lambda row: (programme_cell(int(row["pid"])),), list(PROGRAMME_KINDS))

    return guard_over(filters, counts_of, min_group, kinds=list(PROGRAMME_KINDS))


def score_changes(filters: Filters, by: str) -> dict[tuple[str | None, bool], Moments]:
    """T0 → T1 change of the overall score, by the T0 segment and by whether the firm asked
    to be contacted about a programme at T0: n, Σd and Σd² per cell."""
    r1, a1 = _follow_up()
    segment = SEGMENTS[by]
    delta = a1.overall_score - Assessment.overall_score
    asked = exists().where(ContactRequest.response_id == Assessment.response_id)
    flag = case((asked, 1), else_=0)
    stmt: Select[Any] = (
        select(segment.label("segment"), flag.label("asked"), func.count().label("n"),
               func.sum(delta).label("s"), func.sum(delta * delta).label("ss"))
            .select_from(Assessment)
            .join(r1, (r1.previous_id == Assessment.response_id) & (r1.status == "submitted"))
            .join(a1, a1.response_id == r1.id)
            .where(Assessment.overall_score.is_not(None), a1.overall_score.is_not(None),
                   a1.method_version == Assessment.method_version)
            .group_by(segment, flag))
    return {(r.segment, bool(r.asked)): Moments(int(r.n), float(r.s or 0.0), float(r.ss or 0.0))
            for r in db.session.execute(filters.apply(stmt)).all()}


def previous_assessment(response: Response) -> Assessment | None:
    """The assessment this one's follow-up started from, if it still exists."""
    if response.previous_id is None:
        return None
    return db.session.scalar(select(Assessment).where(
        Assessment.response_id == response.previous_id))
