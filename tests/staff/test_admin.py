"""The waves pages and the audit log page."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditLog, StaffUser, Wave
from tests.helpers import post


def test_admin_creates_edits_and_deletes_a_wave(admin_client: FlaskClient,
                                                admin: StaffUser) -> None:
    data = {"name": "2026 H2", "starts_on": "2026-07-01", "ends_on": "2026-12-31"}
    resp = post(admin_client, "/staff/waves/new", data, "/staff/waves/new")
    assert resp.status_code == 302
    wave = db.session.scalar(select(Wave).where(Wave.name == "2026 H2"))
    assert wave is not None
    page = admin_client.get("/staff/waves").get_data(as_text=True)
    assert "2026 H2" in page and "2026-07-01" in page

    edit = {"name": "2026 second half", "starts_on": "2026-07-01", "ends_on": ""}
    resp = post(admin_client, f"/staff/waves/{wave.id}", edit, f"/staff/waves/{wave.id}")
    assert resp.status_code == 302
    db.session.refresh(wave)
    assert (wave.name, wave.ends_on) == ("2026 second half", None)

    resp = post(admin_client, f"/staff/waves/{wave.id}/delete", {}, "/staff/waves")
    assert resp.status_code == 302
    assert db.session.get(Wave, wave.id) is None
    rows = db.session.execute(select(AuditLog.action, AuditLog.actor_id)
                              .where(AuditLog.action.like("wave.%"))
                              .order_by(AuditLog.id)).all()
    assert [tuple(r) for r in rows] == [("wave.create", admin.id), ("wave.update", admin.id),
                                         ("wave.delete", admin.id)]


def test_wave_form_explains_bad_input(admin_client: FlaskClient) -> None:
    before = db.session.scalar(select(func.count()).select_from(Wave))
    bad = {"name": "Backwards", "starts_on": "2026-07-01", "ends_on": "2026-01-01"}
    resp = post(admin_client, "/staff/waves/new", bad, "/staff/waves/new")
    assert resp.status_code == 400
    assert "on or after the start date" in resp.get_data(as_text=True)
    garbled = {"name": "x" * 500, "starts_on": "not a date"}
    resp = post(admin_client, "/staff/waves/new", garbled, "/staff/waves/new")
    assert resp.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Wave)) == before


def test_last_open_wave_cannot_be_deleted_from_the_page(admin_client: FlaskClient) -> None:
    default = db.session.scalar(select(Wave))
    assert default is not None
    ask = admin_client.get(f"/staff/waves/{default.id}/delete").get_data(as_text=True)
    assert "cannot be deleted" in ask and "open-ended" in ask  # said before the button
    assert "will move to the wave" not in ask and 'class="danger"' not in ask
    resp = post(admin_client, f"/staff/waves/{default.id}/delete", {}, "/staff/waves")
    assert resp.status_code == 400
    assert "open-ended" in resp.get_data(as_text=True)
    assert db.session.get(Wave, default.id) is not None


def test_audit_page_lists_entries_with_actor_and_filters(admin_client: FlaskClient) -> None:
    post(admin_client, "/staff/waves/new",
         {"name": "Audit me", "starts_on": "2026-01-01", "ends_on": "2026-02-01"},
         "/staff/waves/new")
    page = admin_client.get("/staff/audit").get_data(as_text=True)
    assert "wave.create" in page and "admin@example.org" in page and "Audit me" in page
    filtered = admin_client.get("/staff/audit?action=staff.").get_data(as_text=True)
    assert "wave.create" not in filtered and "staff.create" in filtered
    assert admin_client.get("/staff/audit?page=abc").status_code == 200
    assert admin_client.get("/staff/audit?page=99999").status_code == 200


def test_audit_page_is_paged(admin_client: FlaskClient) -> None:
    from survey.services import staff

    for i in range(60):
        staff.record(None, "test.entry", f"n:{i}")
    first = admin_client.get("/staff/audit").get_data(as_text=True)
    second = admin_client.get("/staff/audit?page=2").get_data(as_text=True)
    assert "n:59" in first and "n:0<" not in first
    assert 'rel="next"' in first
    assert "n:0<" in second


def test_audit_details_read_as_words_not_python(admin_client: FlaskClient) -> None:
    from survey.services import staff

    wave = db.session.scalar(select(Wave))
    assert wave is not None
    staff.record(None, "export.csv", None, {"format": "csv", "rows": 1234, "free_text": False,
                                            "filters": {"region": "east", "wave": str(wave.id),
                                                        "demo": "exclude"},
                                            "ends_on": None})
    page = admin_client.get("/staff/audit").get_data(as_text=True)
    assert "Free text included:</span> No" in page
    assert "Last day:</span> —" in page
    assert "Region: East; Wave: Default wave; Demo data: Real only" in page
    assert "Rows:</span> 1,234" in page
    assert "None" not in page and "False" not in page and "{&#34;" not in page
    zh = admin_client.get("/staff/audit?lang=zh").get_data(as_text=True)
    assert "地区：" in zh or "地区:" in zh
    assert "Default wave" not in zh and "False" not in zh


def test_waves_show_the_default_wave_translated(admin_client: FlaskClient) -> None:
    zh = admin_client.get("/staff/waves?lang=zh").get_data(as_text=True)
    assert "Default wave" not in zh
    en = admin_client.get("/staff/waves?lang=en").get_data(as_text=True)
    assert "Default wave" in en


def test_audit_count_is_a_proper_plural(admin_client: FlaskClient) -> None:
    page = admin_client.get("/staff/audit?lang=en&action=staff.create").get_data(as_text=True)
    assert "1 entry." in page and "1 entries" not in page  # the admin's own creation
    page = admin_client.get("/staff/audit?lang=en").get_data(as_text=True)
    assert "2 entries." in page  # and the admin's sign-in
