"""Staff side of the directory: admins edit (CSRF, audited), analysts read; contact requests
seen and exported on audited pages and never in the anonymous exports; per-programme numbers
and T0 → T1 change with small groups hidden."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog, Programme, ProgrammeMatch, Response
from survey.services import programmes as programme_services
from survey.services import responses as services
from tests.helpers import best_answers, count, post, worst_answers

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "programmes.csv"
NAME, PHONE, EMAIL = "Zhang Contactname", "+86 139 1234 5678", "zhang@contact.example"


@pytest.fixture
def directory(app: Flask) -> dict[str, int]:
    programme_services.import_programmes(
        programme_services.parse_csv(EXAMPLES.read_text(encoding="utf-8")), None)
    return {p.code: p.id for p in db.session.scalars(select(Programme))}


def _form(**change: Any) -> dict[str, Any]:
    return {"code": "new-programme", "active": "y", "provider_kind": "public_body",
            "provider_en": "A district office — example", "provider_zh": "某区政府部门——示例",
            "title_en": "Example scheme", "title_zh": "示例项目",
            "description_en": "Example entry.", "description_zh": "示例条目。",
            "recommendations": ["financial_support"], "areas": ["financing"],
            "eligibility": '{"question": "fin_loan_outcome", "in": ["refused"]}',
            "link": "https://example.org/x", "contact": "", "valid_from": "", "valid_to": "",
            **change}


def test_admin_creates_and_edits_with_audit(admin_client: FlaskClient) -> None:
    assert admin_client.get("/staff/programmes/new").status_code == 200
    bad = post(admin_client, "/staff/programmes/new", _form(eligibility='{"question": "x"}'),
               "/staff/programmes/new")
    assert bad.status_code == 400 and count(Programme) == 0
    ok = post(admin_client, "/staff/programmes/new", _form(), "/staff/programmes/new")
    assert ok.status_code == 302
    programme = db.session.scalars(select(Programme)).one()
    assert programme.eligibility == {"question": "fin_loan_outcome", "in": ["refused"]}
    edit = f"/staff/programmes/{programme.id}"
    assert "fin_loan_outcome" in admin_client.get(edit).text
    post(admin_client, edit, _form(title_en="Renamed example"), edit)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).title_en == "Renamed example"
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-2:] == ["programme.create", "programme.update"]
    audit_page = admin_client.get("/staff/audit?action=programme")
    assert audit_page.status_code == 200 and "new-programme" in audit_page.text
    no_csrf = admin_client.post("/staff/programmes/new", data=_form(code="other"))
    assert no_csrf.status_code == 400 and count(Programme) == 1


def test_analysts_read_but_do_not_edit(analyst_client: FlaskClient,
                                       directory: dict[str, int]) -> None:
    page = analyst_client.get("/staff/programmes")
    assert page.status_code == 200 and "Example: cloud starter" in page.text
    assert analyst_client.get("/staff/programmes/new").status_code == 403
    pid = directory["example-ip-abroad"]
    assert analyst_client.get(f"/staff/programmes/{pid}").status_code == 403
    exported = analyst_client.get("/staff/programmes.csv")
    assert exported.status_code == 200 and b"example-ip-abroad" in exported.data


def _asked(directory: dict[str, int]) -> Response:
    firm = services.create_submitted(worst_answers(**{
        "export_status": "exports_direct", "ovs_channels_12m": ["marketplace"],
        "ovs_logistics_obstacle": "major"}), source="web")
    pid = directory["example-logistics-clinic"]
    programme_services.record_matches(firm.id, [pid])
    programme_services.request_contact(firm.id, pid, programme_services.ContactDetails(
        NAME, PHONE, EMAIL))
    return firm


def test_contact_requests_are_seen_and_exported_on_audited_pages(
        analyst_client: FlaskClient, directory: dict[str, int]) -> None:
    _asked(directory)
    page = analyst_client.get("/staff/contact-requests")
    assert NAME in page.text and PHONE in page.text
    data = analyst_client.get("/staff/contact-requests.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows[0]["name"] == NAME and rows[0]["programme"] == "example-logistics-clinic"
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "contact_requests.view" in actions and "contact_requests.export" in actions


def test_contact_requests_and_firm_id_never_in_anonymous_exports(
        admin_client: FlaskClient, directory: dict[str, int]) -> None:
    firm = _asked(directory)
    with db.session.begin_nested():
        db.session.get(Response, firm.id).firm_id = "f" * 32
    db.session.commit()
    csv_text = admin_client.get("/staff/export.csv").get_data().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(csv_text)))
    assert len(csv_text.splitlines()) >= 2
    for secret in (NAME, PHONE, EMAIL, "f" * 32):
        assert secret not in csv_text
    assert not [c for c in header if any(w in c for w in ("contact", "firm_id", "previous",
                                                          "phone", "email"))]
    xlsx = admin_client.get("/staff/export.xlsx").get_data()
    for secret in (NAME, PHONE, EMAIL):
        assert secret.encode() not in xlsx


def test_programme_numbers_hide_small_groups(app: Flask, analyst_client: FlaskClient,
                                             directory: dict[str, int]) -> None:
    app.config["PRIVACY_MIN_GROUP"] = 3
    pid = directory["example-logistics-clinic"]
    firms = [_asked(directory) for _ in range(2)]
    page = analyst_client.get("/staff/programmes")
    assert "Hidden: fewer than 3 firms" in page.text
    third = services.create_submitted(worst_answers(), source="web")
    programme_services.record_matches(third.id, [pid])
    assert count(ProgrammeMatch) == 3 and len(firms) == 2
    page = analyst_client.get("/staff/programmes")
    assert "67%" in page.text  # 2 of 3 asked, with its interval


def _pair(t0: dict[str, Any], t1: dict[str, Any]) -> tuple[Response, Response]:
    before = services.create_submitted(t0, source="web")
    after = services.create_submitted(t1, source="web")
    with db.session.begin_nested():
        db.session.get(Response, after.id).previous_id = before.id
    db.session.commit()
    return before, after


def test_follow_ups_show_change_by_segment_as_association(
        app: Flask, analyst_client: FlaskClient, directory: dict[str, int]) -> None:
    app.config["PRIVACY_MIN_GROUP"] = 3
    pid = directory["example-logistics-clinic"]
    for _ in range(3):
        before, _after = _pair(worst_answers(), best_answers())
        programme_services.request_contact(before.id, pid, programme_services.ContactDetails(
            NAME, PHONE, None))
    for _ in range(3):
        _pair(worst_answers(), worst_answers())
    page = analyst_client.get("/staff/follow-ups?by=region")
    assert page.status_code == 200
    assert "Association, not effect." in page.text
    table = page.text[page.text.index('class="follow-up-table"'):]
    assert "+0.0" in table and table.count(">hidden<") == 0
    assert "n = 3" in table and "n = 6" in table
    # One pair fewer in a column: that column's cells are hidden, and so is what would give
    # them away.
    app.config["PRIVACY_MIN_GROUP"] = 4
    table = analyst_client.get("/staff/follow-ups?by=region").text
    assert ">hidden<" in table[table.index('class="follow-up-table"'):]


def test_programme_numbers_cannot_be_differenced_across_filters(
        app: Flask, analyst_client: FlaskClient, directory: dict[str, int]) -> None:
    """West (12 firms shown the programme) minus west-and-exporting (10) would give away the
    2 west non-exporters' numbers: the filtered view hides them."""
    app.config["PRIVACY_MIN_GROUP"] = 5
    pid = directory["example-logistics-clinic"]
    for exporting in [True] * 10 + [False] * 2:
        firm = services.create_submitted(worst_answers(**(
            {"export_status": "exports_direct"} if exporting
            else {"export_status": "no_plans"})), source="web")
        programme_services.record_matches(firm.id, [pid])
    from survey.queries import programmes as queries
    from survey.queries.filters import Filters

    everyone = queries.programme_guard(Filters(), 5)
    assert everyone.hides(queries.programme_cell(pid)) == frozenset()
    exporters = queries.programme_guard(Filters(export="exports_direct"), 5)
    assert "matched" in exporters.hides(queries.programme_cell(pid))
    page = analyst_client.get("/staff/programmes?export=exports_direct")
    assert "Hidden" in page.text
