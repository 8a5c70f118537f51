"""Bulk rows of synthetic assessments for the benchmark and the aggregate tests.

Rows are written with Core `INSERT … VALUES` in batches, straight into the flat columns the
dashboards read, without scoring answers: the aggregates only see those columns, and a million
rows must load in minutes. (`flask demo seed` makes realistic, scored demo data; this makes
*many* rows, or exactly the rows a test describes.)
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from survey.core.profile import PROVINCE_REGION
from survey.core.questionnaire import AREAS, RECOMMENDATIONS
from survey.models import Assessment, Response, Wave
from survey.services import cells, starts

INDUSTRIES = ("manufacturing", "wholesale_retail", "software_it", "transport_logistics",
              "construction", "business_services", "agriculture", "other")
SIZES = ("micro", "small", "medium", "large")
EXPORTS = ("none", "considering", "planning", "exporting")
PROVINCES = tuple(PROVINCE_REGION)


def priority(need: float | None) -> str:
    if need is None:
        return "unknown"
    return "high" if need >= 60 else "medium" if need >= 40 else "low"


def row(**values: Any) -> dict[str, Any]:
    """One assessment's columns with neutral defaults; keyword arguments override them.

    `score=` sets every area score (and the overall), `need=` every need; priorities follow the
    needs unless given.
    """
    score = values.pop("score", 50.0)
    need = values.pop("need", 50.0)
    out: dict[str, Any] = {
        "industry": "manufacturing", "size_class": "small", "province": "jiangsu",
        "region": "east", "export_status": "none", "employees": None, "revenue": None,
        "ownership": None, "is_demo": False, "month": "2026-03",
        "local_date": dt.date(2026, 3, 15), "duration_seconds": 600,
        "questionnaire_version": "2026.1", "method_version": "2026.1",
        "overall_score": score, "overall_level": None,
    }
    for area in AREAS:
        out[f"{area}_score"] = score
        out[f"{area}_env"] = score
    for rec in RECOMMENDATIONS:
        out[f"need_{rec}"] = need
    out.update(values)
    for rec in RECOMMENDATIONS:
        out.setdefault(f"priority_{rec}", priority(out[f"need_{rec}"]))
    if "local_date" not in values and "month" in values:
        y, m = (int(x) for x in str(values["month"]).split("-"))
        out["local_date"] = dt.date(y, m, 15)
    return out


def _clip(x: float) -> float:
    return round(max(0.0, min(100.0, x)), 1)


def synthetic(count: int, seed: int = 1, demo: bool = False,
              months: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Plausible rows: bigger firms more digital, exporters stronger abroad."""
    rnd = random.Random(seed)
    months = months or tuple(f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13))
    for _ in range(count):
        size = rnd.choices(SIZES, weights=(40, 35, 18, 7))[0]
        export = rnd.choices(EXPORTS, weights=(50, 20, 10, 20))[0]
        province = rnd.choice(PROVINCES)
        lift = SIZES.index(size) * 8
        fin = _clip(rnd.gauss(38 + lift, 18))
        dig = _clip(rnd.gauss(35 + lift * 1.3, 20))
        ovs = _clip(rnd.gauss(20 + EXPORTS.index(export) * 14, 18))
        month = rnd.choice(months)
        year, mon = (int(x) for x in month.split("-"))
        values: dict[str, Any] = {
            "industry": rnd.choice(INDUSTRIES), "size_class": size, "export_status": export,
            "province": province, "region": PROVINCE_REGION[province], "is_demo": demo,
            "month": month, "local_date": dt.date(year, mon, rnd.randint(1, 28)),
            "duration_seconds": int(rnd.lognormvariate(6.5, 0.4)),
            "financing_score": fin, "digital_technology_score": dig,
            "overseas_markets_score": ovs, "overall_score": round((fin + dig + ovs) / 3, 1),
            "financing_env": _clip(rnd.gauss(50, 15)),
            "digital_technology_env": _clip(rnd.gauss(55, 15)),
            "overseas_markets_env": _clip(rnd.gauss(45, 15)),
        }
        gaps = {"digital_infrastructure": 100 - dig, "financial_support": 100 - fin,
                "ip_protection": 100 - (dig + fin) / 2, "digital_talent": 100 - dig,
                "cross_border_ecommerce": 100 - ovs}
        for rec, gap in gaps.items():
            values[f"need_{rec}"] = None if rnd.random() < 0.03 else _clip(rnd.gauss(gap, 10))
        yield row(**values)


def default_wave_id(session: Session) -> int | None:
    return session.scalar(select(Wave.id).order_by(Wave.starts_on, Wave.id).limit(1))


def insert_rows(session: Session, rows: Iterable[Mapping[str, Any]], batch: int = 5000,
                progress: Any = None) -> int:
    """Insert responses and their assessments in batches; returns how many were written.

    Each batch is two multi-row INSERTs (the responses' ids come back through RETURNING, in
    order), with no round trip per row. The caller commits.
    """
    wave = default_wave_id(session)
    written = 0
    chunk: list[Mapping[str, Any]] = []

    def flush() -> None:
        nonlocal written
        responses, assessments = [], []
        for values in chunk:
            submitted = dt.datetime.combine(values["local_date"], dt.time(4, 0))
            created = submitted - dt.timedelta(seconds=values.get("duration_seconds") or 0)
            responses.append({
                "token": secrets.token_urlsafe(16), "status": "submitted",
                "questionnaire_version": values["questionnaire_version"], "language": "en",
                "answers": values.get("answers") or {}, "source": "bench",
                "is_demo": values["is_demo"], "created_at": created, "updated_at": submitted,
                "submitted_at": submitted,
            })
            a = {k: v for k, v in values.items() if k != "answers"}
            a.setdefault("wave_id", wave)
            a.update({"result": {}, "submitted_at": submitted})
            assessments.append(a)
        ids = session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True), responses
        ).all()
        for a, rid in zip(assessments, ids, strict=True):
            a["response_id"] = rid
        session.execute(insert(Assessment), assessments)
        cells.added_rows(session, ((a, r["answers"], r["source"])
                                   for a, r in zip(assessments, responses, strict=True)),
                         ids, by="response_id")
        starts.added(session, ids)
        written += len(chunk)
        if progress is not None:
            progress(len(chunk))
        chunk.clear()

    for values in rows:
        chunk.append(values)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return written


def insert_drafts(session: Session, count: int, demo: bool = False,
                  created: dt.datetime | None = None) -> None:
    """Responses started and never submitted (for drop-out among starters)."""
    created = created or dt.datetime(2026, 3, 10, 4, 0)
    ids = session.scalars(insert(Response).returning(Response.id), [
        {"token": secrets.token_urlsafe(16), "status": "draft", "questionnaire_version": "2026.1",
         "language": "en", "answers": {}, "source": "bench", "is_demo": demo,
         "created_at": created, "updated_at": created}
        for _ in range(count)
    ]).all()
    starts.added(session, ids)
