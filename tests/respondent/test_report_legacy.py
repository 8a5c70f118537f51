"""A report of method 2026.1, stored before method 2027.1, still renders as it was scored."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from survey.core.questionnaire import load_questionnaire
from survey.models import Response
from tests.helpers import plain, varied_answers


def _stored_2026(answers: dict[str, Any]) -> str:
    """A response scored by method 2026.1 and stored as that code stored it: the result JSON
    without any field method 2027.1 added."""
    from survey.core.tokens import new_token
    from survey.database import write_transaction
    from survey.models import utcnow
    from survey.services.responses import build_assessment

    old = load_questionnaire("2026.1")
    now = utcnow()
    with write_transaction() as s:
        response = Response(token=new_token(), status="submitted", questionnaire_version="2026.1",
                            language="en", answers=answers, source="web", created_at=now,
                            updated_at=now, submitted_at=now)
        s.add(response)
        assessment = build_assessment(response, old, now)
        result = dict(assessment.result)
        for key in ("indicators", "ignored"):
            result.pop(key, None)
        result["areas"] = {aid: {k: v for k, v in area.items()
                                 if k in ("score", "level", "coverage", "environment",
                                          "environment_coverage")}
                           for aid, area in result["areas"].items()}
        result["recommendations"] = [{k: v for k, v in r.items() if k != "next_steps"}
                                     for r in result["recommendations"]]
        assessment.result = result
        s.add(assessment)
    return response.token


def test_a_stored_2026_assessment_still_renders_as_before(
        app: object, client: FlaskClient) -> None:
    old = load_questionnaire("2026.1")
    token = _stored_2026(varied_answers(questionnaire=old))
    page = client.get(f"/report/{token}")
    assert page.status_code == 200
    text = plain(page.text)
    assert "questionnaire 2026.1 · method 2026.1" in text
    assert "Readiness and environment by area" in text and "Your readiness" in text
    assert "Capability" not in text and "Where the gap lies" not in text
    assert "short of credit" not in text and "Because you answered" not in text
    first = old.recommendations[0]
    shown = [r for r in old.recommendations if r.next_steps[0].en in text]
    assert shown, "the 2026.1 next steps are shown from the 2026.1 questionnaire"
    assert first.title.en in text
    for area in old.areas:
        assert area.title.en in text
    csv_text = client.get(f"/report/{token}/my-data.csv").data.decode("utf-8-sig")
    assert "overall_score," in csv_text and "_capability" not in csv_text
    data = json.loads(client.get(f"/report/{token}/my-data.json").data)
    assert data["questionnaire_version"] == "2026.1"
    assert data["answers_as_read"][0]["question"] == old.questions[
        data["answers_as_read"][0]["question_id"]].text.en
