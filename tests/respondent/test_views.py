"""The SME's journey through the test client: start, pages, resume, review, submit."""

from __future__ import annotations

import re
import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.extensions import db
from survey.models import Assessment, Response
from tests.helpers import best_answers, count, csrf_from, form_data_for
from tests.journey import Respondent


def is_checked(html: str, name: str, value: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*>', html)
    assert tag, f"no input {name}={value}"
    return re.search(r"\schecked\b", tag.group(0)) is not None


def is_selected(html: str, name: str, value: str) -> bool:
    select_tag = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select_tag, f"no select {name}"
    option = re.search(rf'<option value="{re.escape(value)}"[^>]*>', select_tag.group(0))
    assert option, f"no option {name}={value}"
    return " selected" in option.group(0)


def stored() -> Response:
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response is not None
    return response


def test_start_page_explains_and_asks_consent(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "10–15 minutes" in page.text
    assert 'id="privacy"' in page.text and "Notice version" in page.text
    r = client.post("/start", data={"csrf_token": csrf_from(page.text)})
    assert r.status_code == 400
    assert "Please tick the box" in r.text
    assert count(Response) == 0


def test_start_stores_consent_version_and_language(respondent: Respondent) -> None:
    respondent.start()
    response = stored()
    assert response.consent_version and response.language == "en"
    assert response.questionnaire_version == "2027.1"
    assert len(response.token) >= 43  # 32 random bytes, base64url


def test_next_requires_answers_and_keeps_the_given_ones(respondent: Respondent) -> None:
    respondent.start()
    first = respondent.q.sections[0]
    given = form_data_for(list(first.questions), best_answers())
    given["industry"] = ""  # the select's "Choose…"
    given["years_operating"] = "-3"
    r = respondent.post_section(first.id, given)
    assert r.status_code == 422
    assert "This question is required." in r.text
    assert "Enter a number of at least 0." in r.text
    assert is_selected(r.text, "province", given["province"])
    assert is_selected(r.text, "industry", "")
    assert is_checked(r.text, "export_status", given["export_status"])
    assert 'value="-3"' in r.text
    assert respondent.client.get("/survey/review").status_code == 200


def test_missing_csrf_token_rerenders_with_answers(respondent: Respondent) -> None:
    respondent.start()
    first = respondent.q.sections[0]
    data = {**form_data_for(list(first.questions), best_answers()), "action": "next"}
    r = respondent.client.post(f"/survey/{first.id}", data=data)
    assert r.status_code == 400
    assert "Your answers are still here" in r.text
    assert 'value="' + str(data["years_operating"]) + '"' in r.text
    assert stored().answers == {}


def test_back_keeps_answers_without_requiring_them(respondent: Respondent) -> None:
    respondent.start()
    s0, s1 = respondent.q.sections[0], respondent.q.sections[1]
    respondent.fill_all()
    r = respondent.post_section(s1.id, {"fin_finance_obstacle": "minor"}, action="back")
    assert r.status_code == 302 and r.location.endswith(f"/survey/{s0.id}")
    page = respondent.client.get(f"/survey/{s1.id}")
    assert is_checked(page.text, "fin_finance_obstacle", "minor")
    assert not is_checked(page.text, "fin_finance_obstacle", "none")
    answers = stored().answers
    assert answers["fin_finance_obstacle"] == "minor"
    assert "fin_applied" not in answers and "fin_loan_outcome" not in answers


def test_full_journey_submits_once_and_shows_report(respondent: Respondent) -> None:
    respondent.start()
    assert respondent.fill_all() == [s.id for s in respondent.q.sections]
    r = respondent.submit()
    token = respondent.token()  # the report's fresh token
    assert r.status_code == 302 and r.location.endswith(f"/report/{token}")
    assert respondent.client.get(r.location).status_code == 200
    again = respondent.submit()  # a retried request, after the report was shown
    assert again.status_code == 302 and again.location.endswith(f"/report/{token}")
    assert count(Assessment) == 1
    report = respondent.client.get(f"/report/{token}")
    assert report.status_code == 200
    assert "Your digital readiness report" in report.text
    assert "<svg" in report.text and "Score and environment by area" in report.text


def test_resume_link_in_a_new_session_returns_to_the_page(
    app: Flask, respondent: Respondent
) -> None:
    respondent.start()
    s0, s1 = respondent.q.sections[0], respondent.q.sections[1]
    respondent.post_section(s0.id, form_data_for(list(s0.questions), best_answers()))
    token = respondent.token()
    page = respondent.client.get(f"/survey/{s1.id}")
    assert f"/r/{token}" in page.text  # the link
    assert '<img class="qr" src="data:image/png;base64,' in page.text  # its QR code
    other = app.test_client()
    r = other.get(f"/r/{token}")
    assert r.status_code == 302 and r.location.endswith(f"/survey/{s1.id}")
    page = other.get(r.location)
    assert page.status_code == 200
    assert other.get("/r/not-a-real-token").status_code == 404


def test_submit_requires_every_section(respondent: Respondent) -> None:
    respondent.start()
    r = respondent.submit()
    assert r.status_code == 302 and "/survey/" in r.location
    assert count(Assessment) == 0


def test_concurrent_submits_store_one_assessment(app: Flask, respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all()
    token = respondent.token()
    from survey.services import responses as services

    errors: list[BaseException] = []
    report_tokens: list[str] = []

    def submit() -> None:
        try:
            with app.app_context():
                report_tokens.append(services.submit(token)[1])
        except services.NoDraft:
            pass  # lost the race: the winner stored it, under the report's new token
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(report_tokens) == 1
    db.session.expire_all()
    assert count(Assessment) == 1


def test_the_report_gets_a_fresh_token_and_the_resume_link_dies(
        respondent: Respondent) -> None:
    """Whoever saw the resume link (on screen, as a QR code, in a chat) cannot read the
    report: submitting moves the answers to a new private token."""
    respondent.start()
    respondent.fill_all()
    draft = respondent.token()
    r = respondent.submit()
    report = respondent.token()
    assert report != draft and r.location.endswith(f"/report/{report}")
    assert respondent.client.get(f"/report/{report}").status_code == 200
    stranger = respondent.client.application.test_client()
    assert stranger.get(f"/r/{draft}").status_code == 404
    assert stranger.get(f"/report/{draft}").status_code == 404
    again = respondent.submit()  # a second click after the first one's answer
    assert again.status_code == 302 and again.location.endswith(f"/report/{report}")


def test_unknown_section_and_no_session(client: FlaskClient) -> None:
    r = client.get("/survey/profile")
    assert r.status_code == 302 and r.location.endswith("/")


def test_enter_in_a_field_means_next(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get("/survey/profile").text
    form = page[page.index('class="js-survey-form"'):]
    first_button = re.search(r"<button[^>]*>", form)
    assert first_button and 'value="next"' in first_button.group(0)


def test_save_with_a_malformed_number_shows_it(respondent: Respondent) -> None:
    respondent.start()
    r = respondent.post_section("profile", {"years_operating": "3.5"}, action="save")
    assert r.status_code == 422 and "Enter a whole number." in r.text
    r = respondent.post_section("profile", {"years_operating": "many"}, action="back")
    assert r.status_code == 422 and "Enter the number in digits, for example 35." in r.text
    r = respondent.post_section("profile", {"years_operating": "年"}, action="save")
    assert r.status_code == 422 and "Enter the number in digits, for example 35." in r.text


def test_language_switch_after_a_failed_post_goes_to_a_page_that_exists(
    client: FlaskClient,
) -> None:
    page = client.get("/")
    r = client.post("/start", data={"csrf_token": csrf_from(page.text)})
    assert r.status_code == 400
    links = re.findall(r'href="([^"]*lang=zh[^"]*)"', r.text)
    assert links and all(client.get(link.replace("&amp;", "&")).status_code == 200
                         for link in links)


def test_switching_language_on_a_page_keeps_its_answers(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get("/survey/profile")
    r = respondent.client.post("/survey/profile", data={
        "industry": "software_it", "action": "stay", "lang": "zh",
        "csrf_token": csrf_from(page.text)})
    assert r.status_code == 302 and r.location.endswith("/survey/profile?lang=zh")
    again = respondent.client.get(r.location)
    assert 'lang="zh-Hans"' in again.text and is_selected(again.text, "industry", "software_it")


def test_a_resume_link_asks_before_replacing_another_draft(app: object,
                                                          respondent: Respondent) -> None:
    """Someone's link opened in a browser that has its own unfinished answers: the GET only
    asks; the switch needs the confirmation form (CSRF-checked)."""
    from survey.services import responses as services

    respondent.start()
    mine = respondent.token()
    theirs = services.start_response("en", "2026-11").token
    page = respondent.client.get(f"/r/{theirs}")
    assert page.status_code == 200 and "Open other answers?" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert respondent.token() == mine
    refused = respondent.client.post(f"/r/{theirs}", data={})
    assert refused.status_code == 400 and respondent.token() == mine
    switched = respondent.client.post(f"/r/{theirs}",
                                      data={"csrf_token": csrf_from(page.text)})
    assert switched.status_code == 302 and respondent.token() == theirs
    assert respondent.client.get(f"/r/{theirs}").status_code == 302  # its own draft: no question


def test_the_start_page_is_private_and_carries_no_report_link(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all()
    assert respondent.submit().status_code == 302
    token = respondent.token()
    page = respondent.client.get("/")
    assert page.headers["Cache-Control"] == "no-store"
    assert token not in page.text and "See your report" in page.text
    assert respondent.client.get("/survey/review").location.endswith(f"/report/{token}")


def test_the_visitor_keeps_the_link_to_their_own_answers(app: object,
                                                         respondent: Respondent) -> None:
    """Before a link or a new start leaves a draft behind, its own link is on the page."""
    from survey.services import responses as services

    respondent.start()
    mine = respondent.token()
    assert f"/r/{mine}" in respondent.client.get("/").text
    theirs = services.start_response("en", "2026-11").token
    confirm = respondent.client.get(f"/r/{theirs}").text
    assert f"/r/{mine}" in confirm and '<img class="qr"' in confirm


def test_an_old_resume_link_names_the_automatic_deletion(client: FlaskClient) -> None:
    page = client.get("/r/" + "A" * 43)
    assert page.status_code == 404
    assert "left unfinished for more than 90 days" in page.text


def test_a_submit_whose_answer_was_lost_still_leads_to_the_report(
        app: Flask, respondent: Respondent) -> None:
    """The network drops the answer to Submit (it carried the report's new token): the retry,
    with the draft's old token still in the session, finds this browser's report; another
    browser holding the old token (the resume link's) does not."""
    respondent.start()
    respondent.fill_all()
    with respondent.client.session_transaction() as s:
        before = dict(s)
    page = respondent.client.get("/survey/review")
    assert respondent.submit().status_code == 302
    report = respondent.token()
    with respondent.client.session_transaction() as s:  # the answer never arrived
        s.clear()
        s.update(before)
    retry = respondent.client.post("/survey/submit", data={"csrf_token": csrf_from(page.text)})
    assert retry.status_code == 302 and retry.location.endswith(f"/report/{report}")
    assert respondent.token() == report and count(Assessment) == 1
    stranger = app.test_client()
    with stranger.session_transaction() as s:
        s["response_token"] = before["response_token"]
    assert report not in stranger.get("/").text
    assert stranger.get("/survey/review").location.endswith("/")


def test_a_tidied_link_keeps_its_query_as_it_came(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all()
    respondent.submit()
    token = respondent.token()
    for query in ("endpoint=x", "_method=DELETE", "_external=&_scheme=http", "lang=zh&a=1&a=2"):
        r = respondent.client.get(f"/report/{token})?{query}")
        assert r.status_code == 302, query
        assert r.location.endswith(f"/report/{token}?{query}"), r.location


def test_a_resume_link_asks_before_replacing_this_browsers_report(
        app: object, respondent: Respondent) -> None:
    """After submitting, the session may hold the only copy of the report's fresh token: a
    colleague's resume link shows the report link first and asks."""
    from survey.services import responses as services

    respondent.start()
    respondent.fill_all()
    respondent.submit()
    report = respondent.token()
    theirs = services.start_response("en", "2026-11").token
    page = respondent.client.get(f"/r/{theirs}")
    assert page.status_code == 200 and f"/report/{report}" in page.text
    assert "This browser holds the report of a check it completed." in page.text
    assert respondent.token() == report
    switched = respondent.client.post(f"/r/{theirs}", data={"csrf_token": csrf_from(page.text)})
    assert switched.status_code == 302 and respondent.token() == theirs
