"""What the SME does with its own data from the report: downloads and deletion."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Assessment, Response
from tests.helpers import csrf_from
from tests.journey import Respondent, submitted


def test_download_own_data(respondent: Respondent) -> None:
    token = submitted(respondent)
    j = respondent.client.get(f"/report/{token}/my-data.json")
    data = json.loads(j.data)
    assert data["answers"]["industry"] and data["assessment"]["overall"]["score"] == 100.0
    c = respondent.client.get(f"/report/{token}/my-data.csv")
    assert c.data.startswith("\ufeff".encode())
    assert b"overall_score,100.0" in c.data


def test_delete_removes_everything(respondent: Respondent) -> None:
    token = submitted(respondent)
    page = respondent.client.get(f"/report/{token}/delete")
    assert "Delete your answers for good?" in page.text
    r = respondent.client.post(f"/report/{token}/delete",
                               data={"csrf_token": csrf_from(page.text)})
    assert r.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
    assert respondent.client.get(f"/report/{token}").status_code == 404


def test_delete_without_csrf_keeps_data(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.post(f"/report/{token}/delete")
    assert r.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_own_data_downloads_carry_the_words_read(respondent: Respondent) -> None:
    token = submitted(respondent)
    data = json.loads(respondent.client.get(f"/report/{token}/my-data.json").data)
    first = data["answers_as_read"][0]
    assert first["question_id"] == "industry" and first["question"].startswith("What is")
    assert first["answer"] and first["answer"] != data["answers"]["industry"]
    csv_text = respondent.client.get(f"/report/{token}/my-data.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "field,value,question,answer"


def test_the_csv_carries_the_2027_fields(respondent: Respondent) -> None:
    token = submitted(respondent)
    csv_text = respondent.client.get(f"/report/{token}/my-data.csv").data.decode("utf-8-sig")
    for field in ("financing_capability,", "overseas_markets_status,scored",
                  "digital_technology_gap_split,", "credit_constraint,"):
        assert field in csv_text, field


def test_the_csv_names_its_charset_once(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}/my-data.csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
