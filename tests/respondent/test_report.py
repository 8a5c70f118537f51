"""The personal report, its downloads and deletion."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Assessment, Response
from tests.helpers import csrf_from
from tests.journey import Respondent


def submitted(respondent: Respondent) -> str:
    respondent.start()
    respondent.fill_all()
    token = respondent.token()
    respondent.submit()
    return token


def test_report_is_private(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    assert r.headers["Cache-Control"] == "no-store"
    assert "noindex" in r.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in r.text


def test_report_lists_recommendations_in_order_with_next_steps(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    for title in ("digital infrastructure", "cross-border e-commerce"):
        assert title.lower() in r.text.lower()
    assert "Not enough peers yet" in r.text
    assert "Low priority" in r.text  # all-best answers


def test_unknown_report_token_is_a_friendly_404(client: FlaskClient) -> None:
    for token in ("nope", "x" * 43, "%00" * 20, "a%27%20OR%201=1--aaaaaaaaaa", "é" * 30):
        r = client.get(f"/report/{token}")
        assert r.status_code == 404, token
        assert "We could not find that page." in r.text
    assert client.get("/r/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00").status_code == 404


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


def test_report_opens_in_the_language_answered(app: object, client: FlaskClient) -> None:
    from survey.services import responses as services
    from tests.helpers import best_answers

    response = services.create_submitted(best_answers(), language="zh", source="web")
    fresh = client.get(f"/report/{response.token}", headers={"Accept-Language": "en-GB"})
    assert 'lang="zh-Hans"' in fresh.text
    chosen = client.get(f"/report/{response.token}?lang=en")
    assert 'lang="en"' in chosen.text


def test_report_shows_its_own_link_and_qr_code(respondent: Respondent) -> None:
    token = submitted(respondent)
    r = respondent.client.get(f"/report/{token}")
    assert f"/report/{token}</p>" in r.text
    assert r.text.count('class="segno"') == 1


def test_own_data_downloads_carry_the_words_read(respondent: Respondent) -> None:
    token = submitted(respondent)
    data = json.loads(respondent.client.get(f"/report/{token}/my-data.json").data)
    first = data["answers_as_read"][0]
    assert first["question_id"] == "industry" and first["question"].startswith("What is")
    assert first["answer"] and first["answer"] != data["answers"]["industry"]
    csv_text = respondent.client.get(f"/report/{token}/my-data.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "field,value,question,answer"
