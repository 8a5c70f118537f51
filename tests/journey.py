"""A respondent driving the questionnaire through the Flask test client."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from survey.core.questionnaire import load_questionnaire
from tests.factories import answers, form_data_for


def csrf_token(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert m, "no CSRF token in page"
    return m.group(1)


class Respondent:
    """Drives the questionnaire through the test client as a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.q = load_questionnaire()

    def start(self) -> None:
        page = self.client.get("/")
        r = self.client.post("/start", data={"consent": "y", "csrf_token": csrf_token(page.text)})
        assert r.status_code == 302, r.text

    def post_section(self, section_id: str, data: dict[str, Any], action: str = "next") -> Any:
        page = self.client.get(f"/survey/{section_id}")
        assert page.status_code == 200, page.status_code
        body = {**data, "action": action, "csrf_token": csrf_token(page.text)}
        return self.client.post(f"/survey/{section_id}", data=body)

    def fill_all(self, given: dict[str, Any] | None = None) -> None:
        given = given or answers()
        for s in self.q.sections:
            r = self.post_section(s.id, form_data_for(list(s.questions), given))
            assert r.status_code == 302, r.text[:2000]

    def submit(self) -> Any:
        page = self.client.get("/")
        return self.client.post("/survey/submit", data={"csrf_token": csrf_token(page.text)})

    def token(self) -> str:
        with self.client.session_transaction() as s:
            return str(s["response_token"])
