"""The staff filter set: parsing from a URL, reproducing it, applying it in SQL."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment
from survey.queries.filters import Filters
from survey.services import responses as services
from tests.helpers import best_answers


def test_round_trip_through_query_parameters() -> None:
    args = MultiDict({"wave": "3", "industry": "software_it", "size": "small",
                      "region": "east", "export": "exporting", "month_from": "2026-01",
                      "month_to": "2026-06", "demo": "exclude"})
    f = Filters.from_args(args, industries=("software_it", "manufacturing"))
    assert f.errors == () and f.active
    assert Filters.from_args(MultiDict(f.to_args()), industries=("software_it",)) == f


def test_bad_values_are_dropped_and_named() -> None:
    f = Filters.from_args(MultiDict({"wave": "1; DROP TABLE", "size": "huge",
                                     "month_from": "2026-13", "region": "<script>",
                                     "industry": "mining", "demo": "maybe"}),
                          industries=("software_it",))
    assert f == Filters()
    assert set(f.errors) == {"wave", "size", "month_from", "region", "industry", "demo"}
    assert not f.active


def test_apply_filters_in_sql(app: Flask) -> None:
    services.create_submitted(best_answers(province="guangdong", export_status="exporting"))
    services.create_submitted(best_answers(province="sichuan", export_status="none"))
    demo = services.create_submitted(best_answers(province="beijing"))
    with write_transaction() as s:
        row = s.scalar(select(Assessment).where(Assessment.response_id == demo.id))
        assert row is not None
        row.is_demo = True

    def n(**kw: str) -> int:
        stmt = Filters.from_args(MultiDict(kw)).apply(select(func.count(Assessment.id)))
        return int(db.session.scalar(stmt) or 0)

    assert n() == 3
    assert n(region="east") == 2 and n(region="west") == 1
    assert n(export="exporting") == 1
    assert n(demo="exclude") == 2 and n(demo="only") == 1
    month = db.session.scalar(select(Assessment.month).limit(1))
    assert n(month_from=month, month_to=month) == 3
    assert n(month_from="2099-12") == 0
    assert n(month_from="2999-01") == 3  # out of range: dropped, not an error page
