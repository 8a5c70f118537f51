"""Respondent writes: waves, derived columns, saving pages, submit and delete."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select

from survey.core.questionnaire import load_questionnaire
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.services import responses as services


def test_wave_for_picks_the_latest_starting_covering_wave(app: Flask) -> None:
    with write_transaction() as s:
        s.add(Wave(name="2026 H2", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31)))
        s.add(Wave(name="Pilot", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 9, 30)))
    s = db.session
    pick = services.wave_for
    assert pick(s, dt.date(2026, 9, 15)).name == "Pilot"  # type: ignore[union-attr]
    assert pick(s, dt.date(2026, 10, 1)).name == "2026 H2"  # type: ignore[union-attr]
    assert pick(s, dt.date(2025, 1, 1)).name == "Default wave"  # type: ignore[union-attr]


def test_local_date_uses_the_survey_time_zone(app: Flask) -> None:
    from tests.helpers import best_answers

    late_evening_utc = dt.datetime(2026, 6, 30, 17, 30)  # 01:30 on 1 July in Shanghai
    response = services.create_submitted(best_answers(), now=late_evening_utc)
    row = db.session.scalar(select(Assessment).where(Assessment.response_id == response.id))
    assert row is not None
    assert row.local_date == dt.date(2026, 7, 1) and row.month == "2026-07"
    assert row.region is not None and row.size_class is not None


def test_save_section_replaces_that_page_only(app: Flask) -> None:
    r = services.start_response("zh", "2026-11")
    services.save_section(r.token, "profile", {"industry": "software_it"}, "financing")
    services.save_section(r.token, "financing", {"fin_finance_obstacle": "minor"},
                          "digital_technology")
    services.save_section(r.token, "profile", {"province": "hubei"}, "financing")
    db.session.expire_all()
    stored = services.find_response(r.token)
    assert stored is not None
    assert stored.answers == {"province": "hubei", "fin_finance_obstacle": "minor"}
    assert stored.current_section == "financing" and stored.language == "zh"


def test_delete_response_removes_rows(app: Flask) -> None:
    from tests.helpers import best_answers

    response = services.create_submitted(best_answers())
    assert services.delete_response(response.token) is True
    assert services.delete_response(response.token) is False
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def _stored(token: str) -> Response:
    db.session.rollback()  # end this session's read snapshot: other sessions have written
    response = services.find_response(token)
    assert response is not None
    return response


def test_concurrent_background_saves_of_different_pages_keep_all(app: Flask) -> None:
    token = services.start_response("en", "2026-11").token
    answers = [{"industry": "retail", "years_operating": 12},
               {"fin_applied": "no", "fin_demand": "working_capital"},
               {"adv_ai": "trying"}, {"dig_strategy_stage": "plan"}]
    q = load_questionnaire()
    page_of = {qq.id: section.id for section in q.sections for qq in section.questions}
    pages = {page_of[next(iter(a))]: a for a in answers}  # four different pages
    assert len(pages) == 4
    errors: list[BaseException] = []
    start = threading.Barrier(len(pages))

    def save(section_id: str, answers: dict[str, Any]) -> None:
        try:
            with app.app_context():
                start.wait()
                services.save_draft(token, section_id, answers)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=item) for item in pages.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _stored(token).answers == {k: v for page in pages.values() for k, v in page.items()}


def test_background_save_after_a_button_save_with_an_old_revision_stores_nothing(
        app: Flask) -> None:
    r = services.start_response("en", "2026-11")
    seen = services.save_draft(r.token, "profile", {"industry": "retail"}).revision
    services.save_section(r.token, "profile", {"industry": "retail"}, "financing")
    with pytest.raises(services.StaleRevision) as stale:
        services.save_draft(r.token, "profile", {"industry": "mining_utilities"}, seen)
    response = _stored(r.token)
    assert stale.value.current == services.revision(response)
    assert response.answers == {"industry": "retail"}
    assert response.current_section == "financing"
    # With the current revision it goes through, and the respondent stays where they are.
    services.save_draft(r.token, "profile", {"industry": "mining_utilities"}, stale.value.current)
    response = _stored(r.token)
    assert response.answers == {"industry": "mining_utilities"}
    assert response.current_section == "financing"


def test_background_save_refuses_a_submitted_response(app: Flask) -> None:
    from tests.helpers import best_answers

    response = services.create_submitted(best_answers())
    with pytest.raises(services.AlreadySubmitted):
        services.save_draft(response.token, "profile", {"industry": "retail"})
    with pytest.raises(LookupError):
        services.save_draft("x" * 43, "profile", {})


def test_a_submission_comes_back_whole_and_detached(app: Flask) -> None:
    """The API answers from the returned rows: every column loaded (the wave too, which the
    INSERT computed), and the session keeps no copy that a later read would trust."""
    from tests.helpers import best_answers

    response = services.create_submitted(best_answers())
    assessment = response.assessment
    assert assessment is not None and inspect(response).detached
    assert inspect(assessment).unloaded == {"wave"}
    expected = services.wave_for(db.session, assessment.local_date)
    assert expected is not None and assessment.wave_id == expected.id
    assert db.session.get(Response, response.id) is not response
    assert not inspect(response).modified and not inspect(assessment).modified
    for copy in (response, assessment):  # every column as the INSERT stored it
        model = type(copy)
        stored = db.session.get(model, copy.id)
        assert stored is not None
        for column in model.__table__.columns:
            assert getattr(copy, column.key) == getattr(stored, column.key), column.key
    assert db.session.merge(response, load=False) is not None  # a clean copy merges
