"""The staff filter set: parsing from a URL, reproducing it, applying it in SQL."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from bench.seed import row
from survey.core.questionnaire import load_questionnaire
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment
from survey.queries.filters import CURRENT_EXPORT_STATUSES, EXPORT_STATUSES, Filters
from survey.services import responses as services
from tests.helpers import add_rows, best_answers, row_2027


def test_round_trip_through_query_parameters() -> None:
    args = MultiDict({"wave": "3", "industry": "software_it", "size": "small",
                      "region": "east", "export": "exports_direct", "month_from": "2026-01",
                      "month_to": "2026-06", "demo": "exclude"})
    f = Filters.from_args(args, industries=("software_it", "manufacturing"))
    assert f.errors == () and f.active
    assert Filters.from_args(MultiDict(f.to_args()), industries=("software_it",)) == f


def test_bad_values_are_dropped_and_named() -> None:
    f = Filters.from_args(MultiDict({"wave": "1; DROP TABLE", "size": "huge",
                                     "month_from": "2026-13", "region": "<script>",
                                     "industry": "mining", "demo": "maybe"}),
                          industries=("software_it",))
    assert f == Filters() and f.demo == "exclude"
    assert set(f.errors) == {"wave", "size", "month_from", "region", "industry", "demo"}
    assert not f.active


def test_apply_filters_in_sql(app: Flask) -> None:
    services.create_submitted(best_answers(province="guangdong", export_status="exports_direct"))
    services.create_submitted(best_answers(province="sichuan", export_status="no_plans"))
    demo = services.create_submitted(best_answers(province="beijing",
                                                  export_status="considering"))
    with write_transaction() as s:
        row = s.scalar(select(Assessment).where(Assessment.response_id == demo.id))
        assert row is not None
        row.is_demo = True

    def n(**kw: str) -> int:
        stmt = Filters.from_args(MultiDict(kw)).apply(select(func.count(Assessment.id)))
        return int(db.session.scalar(stmt) or 0)

    assert n() == 2 == n(demo="exclude")  # demo rows only when asked for
    assert n(demo="include") == 3 and n(demo="only") == 1
    assert n(region="east") == 1 and n(region="east", demo="include") == 2
    assert n(region="west") == 1
    assert n(export="exports_direct") == 1 and n(export="no_plans") == 1
    month = db.session.scalar(select(Assessment.month).limit(1))
    assert n(month_from=month, month_to=month, demo="include") == 3
    assert n(month_from="2099-12") == 0
    assert n(month_from="2999-01", demo="include") == 3  # out of range: dropped


def test_the_export_filter_offers_2027_statuses_and_still_reads_2026_ones(app: Flask) -> None:
    """The filter offers questionnaire 2027.1's export statuses; 2026.1 rows keep theirs and
    can still be filtered on them (old shared links too)."""
    current = load_questionnaire("2027.1").question("export_status")
    legacy = load_questionnaire("2026.1").question("export_status")
    assert tuple(o.value for o in current.options) == CURRENT_EXPORT_STATUSES
    assert set(EXPORT_STATUSES) == {o.value for q in (current, legacy) for o in q.options}
    add_rows([row(export_status="exporting", questionnaire_version="2026.1")] * 2)
    add_rows([row_2027(export_status="exports_indirect")] * 3)
    for value, expected in (("exporting", 2), ("exports_indirect", 3), ("none", 0)):
        f = Filters.from_args(MultiDict({"export": value}))
        assert f.errors == () and f.export == value
        assert int(db.session.scalar(f.apply(select(func.count(Assessment.id)))) or 0) == expected
    assert Filters.from_args(MultiDict({"export": "abroad"})).errors == ("export",)
