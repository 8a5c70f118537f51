"""A respondent driving the questionnaire through the Flask test client.

`Respondent` is what the `respondent` fixture returns; the helpers it uses live in
tests/helpers.py.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from survey.core.questionnaire import load_questionnaire
from tests.helpers import best_answers, csrf_from, form_data_for


class Respondent:
    """Drives the questionnaire through the test client as a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.q = load_questionnaire()

    def start(self) -> None:
        page = self.client.get("/")
        r = self.client.post("/start", data={"consent": "y", "csrf_token": csrf_from(page.text)})
        assert r.status_code == 302, r.text

    def post_section(self, section_id: str, data: dict[str, Any], action: str = "next") -> Any:
        page = self.client.get(f"/survey/{section_id}")
        assert page.status_code == 200, page.status_code
        body = {**data, "action": action, "csrf_token": csrf_from(page.text)}
        return self.client.post(f"/survey/{section_id}", data=body)

    def fill_all(self, given: dict[str, Any] | None = None) -> list[str]:
        """Answer page after page as the server leads (pages that do not apply are skipped),
        up to the review; the ids of the pages answered."""
        given = given or best_answers()
        section_id = self.q.sections[0].id
        answered = []
        while section_id != "review":
            section = self.q.sections[self.q.section_index(section_id)]
            r = self.post_section(section.id, form_data_for(list(section.questions), given))
            assert r.status_code == 302, r.text[:2000]
            answered.append(section.id)
            section_id = r.location.rstrip("/").rsplit("/", 1)[-1]
        return answered

    def submit(self) -> Any:
        page = self.client.get("/")
        return self.client.post("/survey/submit", data={"csrf_token": csrf_from(page.text)})

    def token(self) -> str:
        with self.client.session_transaction() as s:
            return str(s["response_token"])


def submitted(respondent: Respondent) -> str:
    """The report's token (not the draft's: submitting gives the report a fresh one)."""
    respondent.start()
    respondent.fill_all()
    respondent.submit()
    return respondent.token()
