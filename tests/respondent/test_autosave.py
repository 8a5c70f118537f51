"""The background save of a questionnaire page (`POST /survey/<section>/draft`): what it stores,
what it refuses, and how it meets a button press and another save."""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Assessment, Response
from survey.services import responses as services
from tests.helpers import best_answers, count, csrf_from, form_data_for
from tests.journey import Respondent


class Page:
    """A questionnaire page as the browser received it: its CSRF token and what the autosave
    script reads from the status element."""

    def __init__(self, respondent: Respondent, section_id: str) -> None:
        r = respondent.client.get(f"/survey/{section_id}")
        assert r.status_code == 200, r.status_code
        self.html = r.text
        self.csrf = csrf_from(r.text)
        tag = re.search(r'<p class="autosave-status[^>]*>', r.text)
        assert tag, "no autosave status element"
        self.attrs = {k: html_lib.unescape(v)
                      for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', tag.group(0))}


def pairs(data: dict[str, Any]) -> list[list[str]]:
    out: list[list[str]] = []
    for name, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            out.append([name, str(v)])
    return out


def post_draft(respondent: Respondent, section_id: str, fields: dict[str, Any],
               revision: str | None = None, csrf: str | None = None,
               body: Any = None) -> Any:
    token = csrf if csrf is not None else Page(respondent, section_id).csrf
    payload = body if body is not None else json.dumps(
        {"fields": pairs(fields), "revision": revision})
    return respondent.client.post(f"/survey/{section_id}/draft", data=payload,
                                  headers={"X-CSRFToken": token,
                                           "Content-Type": "application/json"})


def stored() -> Response:
    db.session.rollback()  # end this session's read snapshot: other sessions have written
    response = db.session.scalar(select(Response))
    assert response is not None
    return response


def test_saves_valid_answers_without_requiring_any_or_moving_on(respondent: Respondent) -> None:
    respondent.start()
    r = post_draft(respondent, "profile", {"industry": "retail", "employees": "２０人"})
    assert r.status_code == 200, r.text
    assert r.json["saved"] is True and r.json["not_saved"] == []
    assert sorted(r.json["stored"]) == ["employees", "industry"]
    response = stored()
    assert response.answers == {"industry": "retail", "employees": 20}
    assert response.current_section == "profile"
    assert r.headers["Cache-Control"] == "no-store"

    # A later page saved in the background does not move the respondent there either.
    r = post_draft(respondent, "financing", {"fin_applied": "no"})
    assert r.status_code == 200
    response = stored()
    assert response.current_section == "profile"
    assert response.answers["fin_applied"] == "no"
    assert respondent.client.get("/r/" + response.token).location.endswith("/survey/profile")


def test_second_save_replaces_the_page_and_stores_each_answer_once(
        respondent: Respondent) -> None:
    respondent.start()
    first = post_draft(respondent, "profile", {"industry": "retail",
                                               "firm_recognition": ["high_tech"]})
    second = post_draft(respondent, "profile",
                        {"industry": "manufacturing",
                         "firm_recognition": ["tech_sme", "high_tech"]},
                        revision=first.json["revision"])
    assert second.status_code == 200, second.text
    assert count(Response) == 1
    response = stored()
    assert response.answers == {"industry": "manufacturing",
                                "firm_recognition": ["high_tech", "tech_sme"]}
    assert second.json["revision"] != first.json["revision"]
    twice = post_draft(respondent, "profile", {"firm_recognition": ["high_tech", "high_tech"]})
    assert [item["question"] for item in twice.json["not_saved"]] == ["firm_recognition"]
    assert stored().answers["firm_recognition"] == ["high_tech", "tech_sme"]  # the last valid
    # A field left empty withdraws its answer, as the Save button would.
    post_draft(respondent, "profile", {"industry": ""})
    assert stored().answers == {}


def test_answers_that_do_not_apply_are_not_stored(respondent: Respondent) -> None:
    respondent.start()
    r = post_draft(respondent, "financing", {"fin_applied": "no",
                                             "fin_loan_outcome": "granted_full",
                                             "fin_no_apply_reason": "enough_funds"})
    assert r.status_code == 200
    assert r.json["ignored"] == ["fin_loan_outcome"]
    assert stored().answers == {"fin_applied": "no", "fin_no_apply_reason": "enough_funds"}


def test_invalid_answers_are_listed_and_the_valid_ones_kept(respondent: Respondent) -> None:
    respondent.start()
    post_draft(respondent, "profile", {"years_operating": "12"})
    r = post_draft(respondent, "profile", {"industry": "retail", "years_operating": "-3",
                                           "employees": "many"})
    assert r.status_code == 200
    not_saved = {item["question"]: item for item in r.json["not_saved"]}
    assert set(not_saved) == {"years_operating", "employees"}
    assert not_saved["years_operating"]["messages"] == ["Enter a number of at least 0."]
    assert not_saved["years_operating"]["label"].startswith("Question ")
    assert r.json["stored"] == ["industry"]
    # The bad value is not stored, and never erases the last valid one (the page keeps what
    # was typed, and says it was not saved).
    assert stored().answers == {"industry": "retail", "years_operating": 12}


def test_messages_follow_the_page_language(zh_client: Any) -> None:
    respondent = Respondent(zh_client)
    respondent.start()
    r = post_draft(respondent, "profile", {"years_operating": "-3"})
    label = r.json["not_saved"][0]["label"]
    assert re.search(r"[\u4e00-\u9fff]", label), label


@pytest.mark.parametrize("csrf", ["", "not-a-token"])
def test_bad_csrf_token_is_a_json_400_and_stores_nothing(respondent: Respondent,
                                                         csrf: str) -> None:
    respondent.start()
    r = post_draft(respondent, "profile", {"industry": "retail"}, csrf=csrf)
    assert r.status_code == 400
    assert r.json["saved"] is False and r.json["reason"] == "csrf"
    assert "kept on this device" in r.json["message"]
    assert stored().answers == {}


def test_expired_form_is_a_json_400_and_stores_nothing(respondent: Respondent,
                                                      app: Flask) -> None:
    respondent.start()
    csrf = Page(respondent, "profile").csrf
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token issued so far has now expired
    r = post_draft(respondent, "profile", {"industry": "retail"}, csrf=csrf)
    assert r.status_code == 400 and r.json["reason"] == "csrf"
    assert stored().answers == {}


@pytest.mark.parametrize("body", [
    "{not json", "", "[]", "null", '{"fields": "industry=retail"}',
    '{"fields": [["industry"]]}', '{"fields": [["industry", 3]]}',
    '{"fields": [], "revision": 5}', '{"fields": [["industry", "\\ud800"]]}',
    "[" * 100_000, b"\xff\xfe".decode("latin-1"),
])
def test_malformed_bodies_are_a_json_400(respondent: Respondent, body: str) -> None:
    respondent.start()
    r = post_draft(respondent, "profile", {}, body=body)
    assert r.status_code == 400, body
    assert r.is_json and r.json["reason"] == "malformed"
    assert stored().answers == {}


def test_unknown_section_and_missing_draft_are_json_400s(respondent: Respondent,
                                                          app: Flask) -> None:
    respondent.start()
    csrf = Page(respondent, "profile").csrf
    r = post_draft(respondent, "no-such-page", {"industry": "retail"}, csrf=csrf)
    assert r.status_code == 400 and r.json["reason"] == "unknown_section"

    stranger = app.test_client()
    page = stranger.get("/")
    r = stranger.post("/survey/profile/draft", data=json.dumps({"fields": []}),
                      headers={"X-CSRFToken": csrf_from(page.text),
                               "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["reason"] == "no_draft"


def test_a_submitted_draft_is_not_changed(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all()
    csrf = Page(respondent, "profile").csrf
    respondent.submit()
    before = stored().answers
    r = post_draft(respondent, "profile", {"industry": "retail"}, csrf=csrf)
    assert r.status_code == 409 and r.json["reason"] == "submitted"
    assert stored().answers == before


def test_a_save_in_flight_when_a_button_is_pressed_cannot_undo_it(
        respondent: Respondent) -> None:
    """The script's last save may reach the server after the button's post; its revision is
    then out of date and it stores nothing, even when the button put back the answer the
    page had before (A → B → A)."""
    respondent.start()
    page = Page(respondent, "profile")
    base = post_draft(respondent, "profile", {"industry": "retail"}, csrf=page.csrf,
                      revision=page.attrs["revision"])
    assert base.status_code == 200
    given = form_data_for(respondent.q.sections[0].questions, best_answers(industry="retail"))
    assert respondent.post_section("profile", given).status_code == 302
    late = post_draft(respondent, "profile", {"industry": "manufacturing"}, csrf=page.csrf,
                      revision=base.json["revision"])
    assert late.status_code == 409 and late.json["reason"] == "stale"
    response = stored()
    assert response.answers["industry"] == "retail"
    assert response.current_section == "financing"
    assert late.json["revision"] == Page(respondent, "profile").attrs["revision"]


def test_the_page_carries_what_the_script_needs_and_no_token(respondent: Respondent) -> None:
    respondent.start()
    page = Page(respondent, "profile")
    token = respondent.token()
    assert page.attrs["url"] == "/survey/profile/draft"
    assert page.attrs["key"].endswith(":profile") and token not in page.attrs["key"]
    assert page.attrs["revision"] == services.revision(stored())
    assert "unsaved" not in page.attrs
    assert re.search(r'<script src="/static/min/js/autosave\.js[^"]*" defer></script>', page.html)
    assert 'aria-live="polite"' in page.html
    assert "Your answers are saved as you go." in page.html
    assert "<noscript>With JavaScript turned off, your answers are saved each time you press" \
        in page.html
    # A page shown again with problems has answers the server does not hold yet.
    shown = respondent.post_section("profile", {"years_operating": "-3"})
    assert shown.status_code == 422 and 'data-unsaved="true"' in shown.text


def test_page_fingerprint_changes_only_with_that_page(respondent: Respondent) -> None:
    respondent.start()
    before = Page(respondent, "profile").attrs["page"]
    post_draft(respondent, "financing", {"fin_applied": "no"})
    assert Page(respondent, "profile").attrs["page"] == before
    r = post_draft(respondent, "profile", {"industry": "retail"})
    assert r.json["page"] != before
    assert Page(respondent, "profile").attrs["page"] == r.json["page"]


def test_a_background_save_keeps_other_pages_and_submit_drops_what_no_longer_applies(
        respondent: Respondent) -> None:
    """One tap on "no export plans" must not erase the overseas page: a background save
    leaves other pages alone, and only the submitted record drops answers that do not apply."""
    respondent.start()
    respondent.fill_all()
    overseas = {q.id for q in respondent.q.sections[-1].questions}
    assert overseas & set(stored().answers)
    given = form_data_for(respondent.q.sections[0].questions, best_answers())
    post_draft(respondent, "profile", {**given, "export_status": "no_plans"})
    assert overseas & set(stored().answers)
    post_draft(respondent, "profile", given)
    assert overseas & set(stored().answers)

    post_draft(respondent, "profile", {**given, "export_status": "no_plans"})
    assert respondent.submit().status_code == 302
    response = stored()
    assert not overseas & set(response.answers)
    assert count(Assessment) == 1
