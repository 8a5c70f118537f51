"""The responses list and detail pages, and deleting a response."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Assessment, AuditLog, Response
from survey.staff import responses as views
from tests.helpers import best_answers, post, with_text_question


def test_list_filters_sorts_and_never_shows_tokens(
        analyst_client: FlaskClient, submit: Callable[..., Response]) -> None:
    east = submit(best=True, province="shanghai")
    west = submit(best=False, province="sichuan")
    page = analyst_client.get("/staff/responses").get_data(as_text=True)
    assert f"#{east.id}" in page and f"#{west.id}" in page
    assert east.token not in page and west.token not in page

    only_east = analyst_client.get("/staff/responses?region=east").get_data(as_text=True)
    assert f"#{east.id}" in only_east and f"#{west.id}<" not in only_east
    low_first = analyst_client.get("/staff/responses?sort=overall").get_data(as_text=True)
    assert low_first.index(f"#{west.id}<") < low_first.index(f"#{east.id}<")
    high_first = analyst_client.get("/staff/responses?sort=-overall").get_data(as_text=True)
    assert high_first.index(f"#{east.id}<") < high_first.index(f"#{west.id}<")


def test_list_survives_bad_parameters(analyst_client: FlaskClient,
                                      submit: Callable[..., Response]) -> None:
    submit()
    for query in ("sort=drop table", "page=-3", "page=x", "wave=abc", "region=mars",
                  "month_from=2026-13", "demo=maybe", "page=99999999999"):
        resp = analyst_client.get(f"/staff/responses?{query}")
        assert resp.status_code == 200, query
    assert "not understood" in analyst_client.get("/staff/responses?region=mars").get_data(
        as_text=True)


def test_list_is_paged(analyst_client: FlaskClient, submit: Callable[..., Response],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    ids = [submit().id for _ in range(5)]
    first = analyst_client.get("/staff/responses?sort=id").get_data(as_text=True)
    third = analyst_client.get("/staff/responses?sort=id&page=3").get_data(as_text=True)
    assert f"#{ids[0]}<" in first and f"#{ids[2]}<" not in first
    assert f"#{ids[4]}<" in third and "Page 3 of 3" in third


def test_detail_shows_answers_scores_and_recommendations(
        analyst_client: FlaskClient, submit: Callable[..., Response]) -> None:
    response = submit(best=False, industry="manufacturing")
    page = html.unescape(analyst_client.get(f"/staff/responses/{response.id}")
                         .get_data(as_text=True))
    q = load_questionnaire()
    assert q.questions["industry"].option("manufacturing").label.en in page
    assert q.questions["fin_finance_obstacle"].text.en in page
    assert q.recommendations[0].title.en in page
    assert "High" in page  # all-worst answers make every recommendation high priority
    assert response.token not in page
    assert "Delete" not in page  # analysts cannot delete


def test_detail_escapes_free_text(analyst_client: FlaskClient,
                                  submit: Callable[..., Response],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    q = with_text_question(load_questionnaire())
    monkeypatch.setattr(views, "questionnaire_for", lambda version=None: q)
    response = submit()
    stored = db.session.get(Response, response.id)
    assert stored is not None
    stored.answers = {**stored.answers, "comments": "<script>alert(1)</script> & more"}
    db.session.commit()
    page = analyst_client.get(f"/staff/responses/{response.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert(1)" not in page


def test_admin_deletes_a_response_after_confirming(
        admin_client: FlaskClient, submit: Callable[..., Response]) -> None:
    response = submit()
    rid, token = response.id, response.token
    confirm = admin_client.get(f"/staff/responses/{rid}/delete")
    assert confirm.status_code == 200 and "Delete for good" in confirm.get_data(as_text=True)
    assert db.session.get(Response, rid) is not None  # GET only asks
    resp = post(admin_client, f"/staff/responses/{rid}/delete", {},
                f"/staff/responses/{rid}/delete")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, rid) is None
    assert db.session.scalar(select(Assessment).where(Assessment.response_id == rid)) is None
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "response.delete"))
    assert row is not None and row.target == f"response:{rid}" and token not in str(row.details)
    assert admin_client.get(f"/staff/responses/{rid}").status_code == 404


def test_detail_says_where_a_response_came_from_and_when_time_is_unknown(
        analyst_client: FlaskClient) -> None:
    from survey.services import responses as services

    api = services.create_submitted(best_answers(), source="api")
    db.session.execute(update(Assessment).where(Assessment.response_id == api.id)
                       .values(duration_seconds=0))  # stored before API times were dropped
    db.session.commit()
    page = analyst_client.get(f"/staff/responses/{api.id}").get_data(as_text=True)
    assert '<dd id="time-taken">—</dd>' in page and "0 min" not in page
    assert "<dd>API</dd>" in page
    zh = analyst_client.get(f"/staff/responses/{api.id}?lang=zh").get_data(as_text=True)
    assert "Default wave" not in zh and "默认批次" in zh

    web = services.create_submitted(best_answers(), source="web")
    db.session.execute(update(Assessment).where(Assessment.response_id == web.id)
                       .values(duration_seconds=754))
    db.session.commit()
    page = analyst_client.get(f"/staff/responses/{web.id}?lang=en").get_data(as_text=True)
    assert '<dd id="time-taken">13 min</dd>' in page and "<dd>Web questionnaire</dd>" in page


def test_list_names_the_default_wave_in_the_page_language(
        analyst_client: FlaskClient, submit: Callable[..., Response]) -> None:
    submit()
    zh = analyst_client.get("/staff/responses?lang=zh").get_data(as_text=True)
    assert "Default wave" not in zh and "默认批次" in zh


def test_detail_shows_the_2027_scores_class_and_next_steps(
        analyst_client: FlaskClient, submit: Callable[..., Response]) -> None:
    """Capability, gap split and status per area, the credit-constraint class, the next steps
    the respondent was shown (with the answers behind them), and ignored answers."""
    response = submit(best=False, export_status="no_plans")
    assessment = db.session.scalar(select(Assessment)
                                   .where(Assessment.response_id == response.id))
    assert assessment is not None
    page = analyst_client.get(f"/staff/responses/{response.id}").get_data(as_text=True)
    overseas = page[page.index('id="area-overseas_markets"'):]
    overseas = overseas[:overseas.index("</tr>")]
    assert "Does not apply" in overseas
    financing = page[page.index('id="area-financing"'):]
    financing = financing[:financing.index("</tr>")]
    assert "Scored" in financing and re.search(r"Mostly (external|internal)|Mixed", financing)
    credit = assessment.credit_constraint
    assert credit is not None
    labels = {"no_need": "No need for external finance", "unknown": "Not enough answers",
              "not_constrained": "Not credit-constrained",
              "partially_constrained": "Partially credit-constrained",
              "fully_constrained": "Fully credit-constrained"}
    assert f'<dd id="credit-class">{labels[credit]}</dd>' in page
    q = load_questionnaire()
    shown = [step for rec in assessment.result["recommendations"]
             for step in rec["next_steps"]]
    assert shown, "all-worst answers call for next steps"
    texts = {(r.id, s.id): s.text.en for r in q.recommendations for s in r.steps}
    first = next(r for r in assessment.result["recommendations"] if r["next_steps"])
    step = first["next_steps"][0]
    assert texts[(first["id"], step["id"])] in html.unescape(page)
    if step["because"]:
        assert f"because of {', '.join(step['because'])}" in page
