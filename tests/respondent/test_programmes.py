"""The report's programmes: shown with reasons to the firms that qualify, the contact request
as its own consent (recorded, validated, withdrawable, deleted with the firm's data), and the
follow-up assessment linked to the report it started from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import ContactRequest, Programme, ProgrammeMatch, Response
from survey.services import programmes as programme_services
from survey.services import responses as services
from tests.helpers import count, csrf_from, form_data_for, worst_answers

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "programmes.csv"


@pytest.fixture
def directory(app: Flask) -> dict[str, int]:
    rows = programme_services.parse_csv(EXAMPLES.read_text(encoding="utf-8"))
    programme_services.import_programmes(rows, None)
    return {p.code: p.id for p in db.session.scalars(select(Programme))}


def firm_answers(**overrides: Any) -> dict[str, Any]:
    """A small online exporter with logistics trouble and little digital training."""
    return worst_answers(**{"export_status": "exports_direct",
                            "ovs_channels_12m": ["marketplace"],
                            "ovs_logistics_obstacle": "major", **overrides})


@pytest.fixture
def firm(app: Flask, directory: dict[str, int]) -> Response:
    return services.create_submitted(firm_answers(), language="en", source="web")


def _report(client: FlaskClient, token: str) -> str:
    page = client.get(f"/report/{token}?lang=en")
    assert page.status_code == 200
    return page.text


def test_matched_programmes_show_with_reasons_and_are_counted(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    html = _report(client, firm.token)
    clinic = directory["example-logistics-clinic"]
    assert f'id="programme-{clinic}"' in html
    block = html[html.index(f'id="programme-{clinic}"'):]
    block = block[:block.index("</li>\n")] if "</li>\n" in block else block
    assert "Why it matches your firm" in block
    assert "International logistics" in block or "logistics" in block.lower()
    shown = set(db.session.scalars(select(ProgrammeMatch.programme_id)
                                   .where(ProgrammeMatch.response_id == firm.id)))
    assert clinic in shown
    assert {int(x) for x in re.findall(r'id="programme-(\d+)"', html)} == shown
    _report(client, firm.token)
    assert count(ProgrammeMatch) == len(shown)


def test_programme_not_shown_when_the_answers_exclude_it(
        client: FlaskClient, app: Flask, directory: dict[str, int]) -> None:
    other = services.create_submitted(firm_answers(ovs_logistics_obstacle="none"),
                                      language="en", source="web")
    html = _report(client, other.token)
    assert f'id="programme-{directory["example-logistics-clinic"]}"' not in html


def _contact(client: FlaskClient, token: str, pid: int, **fields: str) -> Any:
    html = _report(client, token)
    data = {f"p{pid}-{k}": v for k, v in fields.items()}
    data[f"p{pid}-csrf_token"] = csrf_from(html)
    return client.post(f"/report/{token}/programmes/{pid}/contact", data=data)


def test_contact_request_is_its_own_consent_and_can_be_withdrawn(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    pid = directory["example-logistics-clinic"]
    no_consent = _contact(client, firm.token, pid, name="Li Wei", phone="138 0000 0000")
    assert no_consent.status_code == 400 and "Tick the box" in no_consent.text
    no_details = _contact(client, firm.token, pid, name="Li Wei", consent="y")
    assert no_details.status_code == 400 and "phone number or an email" in no_details.text
    bad_mail = _contact(client, firm.token, pid, name="Li Wei", email="nope", consent="y")
    assert bad_mail.status_code == 400
    assert count(ContactRequest) == 0

    ok = _contact(client, firm.token, pid, name="Li Wei", phone="+86 138 0000 0000",
                  consent="y")
    assert ok.status_code == 302 and ok.location.endswith(f"#programme-{pid}")
    stored = db.session.scalars(select(ContactRequest)).one()
    assert (stored.response_id, stored.programme_id, stored.name) == (firm.id, pid, "Li Wei")
    assert stored.consent_version == programme_services.CONTACT_CONSENT_VERSION
    assert "Li Wei" not in str(db.session.get(Response, firm.id).answers)
    html = _report(client, firm.token)
    assert "You asked to be contacted about this programme" in html

    withdrawn = client.post(f"/report/{firm.token}/programmes/{pid}/withdraw",
                            data={"csrf_token": csrf_from(html)})
    assert withdrawn.status_code == 302
    db.session.expire_all()
    assert count(ContactRequest) == 0


def test_a_programme_not_shown_cannot_be_asked_about(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    html = _report(client, firm.token)
    hidden = [pid for pid in directory.values() if f'id="programme-{pid}"' not in html]
    assert hidden
    r = client.post(f"/report/{firm.token}/programmes/{hidden[0]}/contact",
                    data={f"p{hidden[0]}-csrf_token": csrf_from(html),
                          f"p{hidden[0]}-name": "X", f"p{hidden[0]}-email": "x@example.org",
                          f"p{hidden[0]}-consent": "y"})
    assert r.status_code == 302 and count(ContactRequest) == 0


def test_deleting_own_data_deletes_the_requests(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    pid = directory["example-logistics-clinic"]
    _contact(client, firm.token, pid, name="Li Wei", email="li@example.org", consent="y")
    assert count(ContactRequest) == 1
    page = client.get(f"/report/{firm.token}/delete")
    client.post(f"/report/{firm.token}/delete", data={"csrf_token": csrf_from(page.text)})
    assert count(ContactRequest) == 0 and count(ProgrammeMatch) == 0


def _follow_up(client: FlaskClient, token: str) -> Response:
    html = _report(client, token)
    r = client.post(f"/report/{token}/follow-up", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 302 and "/survey/" in r.location
    return db.session.scalars(select(Response).where(Response.status == "draft")).one()


def _finish(client: FlaskClient, draft: Response, answers: dict[str, Any]) -> str:
    """Store the follow-up's answers and submit it as its browser would."""
    from survey.core.questionnaire import load_questionnaire

    q = load_questionnaire()
    for section in q.sections:
        page = client.get(f"/survey/{section.id}")
        data = form_data_for(section.questions, answers)
        client.post(f"/survey/{section.id}", data={**data, "csrf_token": csrf_from(page.text),
                                                    "action": "next"})
    review = client.get("/survey/review")
    r = client.post("/survey/submit", data={"csrf_token": csrf_from(review.text)})
    assert r.status_code == 302, r.text
    return r.location.rsplit("/", 1)[-1]


def test_follow_up_links_to_the_earlier_report_and_shows_progress(
        client: FlaskClient, firm: Response) -> None:
    draft = _follow_up(client, firm.token)
    firm = db.session.get(Response, firm.id)  # create_submitted hands back a detached copy
    assert firm is not None
    assert firm.firm_id and draft.firm_id == firm.firm_id and draft.previous_id == firm.id
    assert draft.answers.get("industry") == firm.answers["industry"]
    assert firm.firm_id not in _report(client, firm.token)
    # A second press resumes the same draft.
    assert _follow_up(client, firm.token).id == draft.id

    token = _finish(client, draft, firm_answers(dig_training_share="p50_plus",
                                                dig_staff_skills="p75_plus"))
    html = _report(client, token)
    assert "Your progress since" in html and "progress-table" in html
    assert firm.firm_id not in html


def test_later_assessment_stands_alone_when_the_earlier_is_deleted(
        client: FlaskClient, firm: Response) -> None:
    draft = _follow_up(client, firm.token)
    token = _finish(client, draft, firm_answers())
    earlier = firm.token
    page = client.get(f"/report/{earlier}/delete")
    client.post(f"/report/{earlier}/delete", data={"csrf_token": csrf_from(page.text)})
    db.session.expire_all()
    later = db.session.scalars(select(Response).where(Response.token == token)).one()
    assert later.previous_id is None and later.assessment is not None
    html = _report(client, token)
    assert "Your progress since" not in html


def test_own_data_download_lists_the_requests(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    pid = directory["example-logistics-clinic"]
    _contact(client, firm.token, pid, name="Li Wei", email="li@example.org", consent="y")
    data = client.get(f"/report/{firm.token}/my-data.json").get_json()
    assert data["contact_requests"][0]["programme"] == "example-logistics-clinic"
    assert data["contact_requests"][0]["email"] == "li@example.org"


def test_a_closing_programme_says_until_when_and_a_closed_one_is_gone(
        client: FlaskClient, firm: Response, directory: dict[str, int]) -> None:
    import datetime as dt

    from survey.database import write_transaction

    pid = directory["example-logistics-clinic"]
    today = services.local_now().date()
    with write_transaction() as s:
        s.get(Programme, pid).valid_to = today
    assert f"open until {today.isoformat()}" in _report(client, firm.token)
    with write_transaction() as s:
        s.get(Programme, pid).valid_to = today - dt.timedelta(days=1)
    assert f'id="programme-{pid}"' not in _report(client, firm.token)


def test_a_condition_on_questions_the_firm_was_never_asked_is_not_tried(
        client: FlaskClient, app: Flask, directory: dict[str, int]) -> None:
    """A `not` on an answer the firm's questionnaire never had would hold on no evidence."""
    from survey.database import write_transaction

    with write_transaction() as s:
        s.add(Programme(code="not-asked", provider_kind="chamber", provider_en="x",
                        provider_zh="x", title_en="Never asked", title_zh="x",
                        description_en="x", description_zh="x",
                        recommendations=["financial_support"], areas=[],
                        eligibility={"not": {"question": "no_such_question", "in": ["a"]}},
                        contact="x"))
    firm = services.create_submitted(firm_answers(), language="en", source="web")
    assert "Never asked" not in _report(client, firm.token)
