"""No combination of filters differences out a hidden group on the indicators view.

The harness of tests/queries/test_differencing.py (seeded firms with small corners, every view
with no, one or two filters, month ranges included), here for each "by" dimension of the
indicators table: every number shown is turned back into the set of firms it stands on — a
share's denominator, the answers reported apart's firms asked — and no two published sets of
one kind may differ by 1 … k − 1 real firms.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey.core.item_indicators import BY_DIMENSIONS
from survey.extensions import db
from survey.models import Assessment, Response
from survey.queries.filters import Filters
from survey.queries.indicators import TOTAL, indicator_table
from survey.web.labels import industry_codes
from tests.helpers import add_rows, row_2027
from tests.queries.test_differencing import (
    EXPORTS,
    MONTH_WEIGHTS,
    MONTHS,
    REGION_WEIGHTS,
    REGIONS,
    SIZES,
    K,
    Published,
    Row,
    differences,
    in_view,
    two_waves,
    views,
)

CHECKED = ("loan_refused", "loan_applied")
COLUMNS = {"industry": "industry", "size": "size_class", "region": "region",
           "export": "export_status", "wave": "wave_id"}
DECIDED = ("granted_full", "granted_part", "refused")


def seed(app: Flask) -> list[Row]:
    """260 firms: most applied for a loan, some are still waiting, some were not asked."""
    waves = two_waves(app)
    industries = industry_codes()[:3]
    rnd = random.Random(17)
    rows = []
    for _ in range(260):
        month = rnd.choices(MONTHS, MONTH_WEIGHTS)[0]
        answers: dict[str, Any] = {}
        if rnd.random() < 0.9:
            answers["fin_applied"] = rnd.choice(("yes", "yes", "no"))
            if answers["fin_applied"] == "yes":
                answers["fin_loan_outcome"] = rnd.choice((*DECIDED, *DECIDED, "pending"))
        rows.append(row_2027(
            answers=answers, industry=rnd.choices(industries, (50, 30, 20))[0],
            size_class=rnd.choices(SIZES, (45, 35, 20))[0],
            region=rnd.choices(REGIONS, REGION_WEIGHTS)[0], export_status=rnd.choice(EXPORTS),
            month=month, wave_id=waves[MONTHS.index(month) // 3]))
    with app.app_context():
        add_rows(rows)
        return [{**dict(r._mapping), "answers": answers} for r, answers in (
            (r, r.answers) for r in db.session.execute(
                select(Assessment.__table__, Response.answers).join(
                    Response, Response.id == Assessment.response_id)))]


def has(r: Row, kind: str) -> bool:
    outcome = r["answers"].get("fin_loan_outcome")
    return {"loan_refused": outcome in DECIDED,
            "loan_refused:asked": outcome is not None,
            "loan_applied": r["answers"].get("fin_applied") in ("yes", "no")}[kind]


def publish(out: Published, rows: list[Row], f: Filters, by: str) -> None:
    table = indicator_table(f, by, K, only=CHECKED)
    for row in table.rows:
        for c in row.all_cells():
            if c.suppressed:
                continue
            members = [r for r in rows if in_view(r, f)
                       and (c.key == TOTAL or r[COLUMNS[by]] == c.key)]
            kinds = [row.indicator.id] + ([f"{row.indicator.id}:asked"]
                                          if c.apart is not None and row.indicator.apart
                                          else [])
            for kind in kinds:
                found = frozenset(r["id"] for r in members if has(r, kind))
                out.setdefault(kind, {}).setdefault(found, f"{f.to_args()} by {by} {c.key}")


# The pairwise search is the same Python over the same published numbers on either database;
# that the numbers themselves agree on PostgreSQL is tests/queries/test_cells.py's job (every
# guard verdict, stats document and indicator table against its scan), so this runs once.
@pytest.mark.slow
@pytest.mark.sqlite_only
def test_no_pair_of_indicator_views_isolates_a_small_group(app: Flask) -> None:
    """Every view split every way, all published together: a cell of one split may be
    subtracted from a cell of another."""
    rows = seed(app)
    out: Published = {}
    for f in views(rows):
        for by in BY_DIMENSIONS:
            publish(out, rows, f, by)
    assert sum(len(s) for s in out.values()) > 300  # the check has something to bite on
    found = differences(out, rows, K)
    assert found == [], "\n".join(found[:30])


def test_a_view_one_filter_away_from_a_small_group_is_withheld(app: Flask) -> None:
    """West has 25 applicants with a decision, 18 of them exporting: the west-exporters'
    refusal share would give away the other 7 by subtraction, so it is withheld."""
    def firm(region: str, export: str) -> dict[str, Any]:
        return row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused"},
                        region=region, export_status=export)
    add_rows([firm("east", "exports_direct")] * 20 + [firm("east", "considering")] * 20)
    add_rows([firm("west", "exports_direct")] * 18 + [firm("west", "considering")] * 7)
    west = indicator_table(Filters(region="west"), "size", 10, only=CHECKED)
    both = indicator_table(Filters(region="west", export="exports_direct"), "size", 10,
                           only=CHECKED)
    assert not west.rows[0].total.suppressed
    assert both.rows[0].total.suppressed
    by_region = indicator_table(Filters(export="exports_direct"), "region", 10, only=CHECKED)
    west_cell = next(c for c in by_region.rows[0].cells if c.key == "west")
    assert west_cell.suppressed
