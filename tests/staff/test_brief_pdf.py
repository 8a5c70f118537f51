"""/staff/brief.pdf: the brief itself, rendered on the server with the same filters, in both
languages with real text (Chinese in a Chinese face), for staff only, audited like an export."""

from __future__ import annotations

import io

import pypdf
import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditLog
from tests.helpers import add_rows, row_2027, staff_client
from tests.respondent.test_pdf import embedded_fonts, pages_text, save_first_page
from tests.staff.test_brief import needs

TITLES = {"en": "Policy brief: where SMEs stand on financing",
          "zh": "政策简报：中小企业在融资、数字技术应用和海外市场拓展方面的现状"}
FINDINGS = {"en": "Key findings", "zh": "主要发现"}


def seed() -> None:
    add_rows([row_2027(region="east", province="jiangsu", score=40.0 + i % 9,
                       **needs(financial_support=90.0 if i < 30 else 10.0))
              for i in range(40)])
    add_rows([row_2027(region="west", score=60.0 + i % 9) for i in range(20)])


@pytest.mark.slow  # a render takes 1–2 s of wall time on a shared machine
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_brief_pdf_is_the_brief_in_real_text(app: Flask, language: str) -> None:
    seed()
    r = staff_client(app).get(f"/staff/brief.pdf?region=east&lang={language}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"] == 'inline; filename="policy-brief.pdf"'
    assert r.headers["Cache-Control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(r.data))
    text = "\n".join(pages_text(reader))
    flat = "".join(text.split())
    assert "".join(TITLES[language].split()) in flat
    assert "".join(FINDINGS[language].split()) in flat
    assert "/staff/brief?region=east" in flat  # its own address, with the filters
    assert "40" in text
    fonts = embedded_fonts(reader)
    assert fonts and all(f.startswith("Noto-Sans-CJK-SC") for f in fonts), fonts
    assert len(r.data) < 1_500_000
    assert save_first_page(r.data, f"brief-pdf-{language}-page1.png").stat().st_size > 20_000


@pytest.mark.slow
def test_the_brief_pdf_is_audited_with_its_filters(app: Flask) -> None:
    seed()
    assert staff_client(app, "analyst").get("/staff/brief.pdf?region=east").status_code == 200
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "export.brief_pdf")
                             ).one()
    assert row.details is not None
    assert row.details["filters"] == {"region": "east"}
    assert row.details["format"] == "pdf" and row.details["language"] == "en"


def test_the_brief_pdf_is_for_staff_only(app: Flask) -> None:
    assert app.test_client().get("/staff/brief.pdf").status_code == 302
    assert staff_client(app, "visitor").get("/staff/brief.pdf").status_code == 403
    assert db.session.scalar(select(db.func.count()).select_from(AuditLog).where(
        AuditLog.action == "export.brief_pdf")) == 0


def test_the_brief_pdf_is_off_with_the_report_pdf(app: Flask) -> None:
    app.config["REPORT_PDF"] = False
    client = staff_client(app)
    assert client.get("/staff/brief.pdf").status_code == 404
    assert "Download PDF" not in client.get("/staff/brief").get_data(as_text=True)
