"""/staff/indicators and its CSV: roles, the navigation link, segments, suppression, CSV."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import add_rows, csv_rows, plain, row_2027, staff_client

URL = "/staff/indicators"
CSV = "/staff/indicators.csv"



def seed() -> None:
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused",
                                "scheme_guarantee": "aware_unsure_how"},
                       region="east", size_class="small")] * 20)
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "granted_full",
                                "scheme_guarantee": "received_useful"},
                       region="west", size_class="micro")] * 20)
    add_rows([row_2027(answers={"fin_applied": "yes", "fin_loan_outcome": "refused"},
                       region="central", size_class="micro")] * 4)


@pytest.fixture(params=["analyst", "admin"])
def staff(app: Flask, request: pytest.FixtureRequest) -> FlaskClient:
    return staff_client(app, request.param)


@pytest.mark.parametrize("url", [URL, CSV])
def test_anonymous_is_sent_to_sign_in(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


@pytest.mark.parametrize("url", [URL, CSV])
def test_a_user_without_a_staff_role_is_refused(app: Flask, url: str) -> None:
    assert staff_client(app, "visitor").get(url).status_code == 403


def test_the_page_shows_shares_with_n_and_interval(app: Flask, staff: FlaskClient) -> None:
    seed()
    html = staff.get(URL).get_data(as_text=True)
    assert f'href="{URL}" aria-current="page"' in html
    text = plain(html)
    assert "Refused a bank loan in the last 12 months" in text
    assert "among firms that applied and have a decision" in text
    assert "n = 44" in text and "n = 24" in text
    assert "Did not apply: did not know how" in text
    assert "hidden (n" not in text


def test_the_page_splits_by_region_and_hides_small_cells(app: Flask,
                                                         staff: FlaskClient) -> None:
    seed()
    text = plain(staff.get(URL, query_string={"by": "region"}).get_data(as_text=True))
    assert "Central" in text and "hidden (n" in text


def test_a_bad_split_is_said_in_words(app: Flask, staff: FlaskClient) -> None:
    text = plain(staff.get(URL, query_string={"by": "colour"}).get_data(as_text=True))
    assert "“colour” was not understood" in text


def test_the_page_in_chinese(app: Flask, staff: FlaskClient) -> None:
    seed()
    text = plain(staff.get(URL, query_string={"lang": "zh"},
                           headers={"Accept-Language": "zh-CN"}).get_data(as_text=True))
    assert "过去12个月贷款申请被拒" in text


def test_an_empty_selection_says_so(app: Flask, staff: FlaskClient) -> None:
    assert "No assessments match" in plain(staff.get(URL).get_data(as_text=True))


def test_csv_has_codes_labels_and_flags(app: Flask, staff: FlaskClient) -> None:
    seed()
    rows = csv_rows(staff.get(CSV, query_string={"by": "region"}).data)
    refused = {r["segment"]: r for r in rows if r["indicator"] == "loan_refused"}
    assert refused["all"]["label"] == "Refused a bank loan in the last 12 months"
    assert (refused["all"]["n"], refused["all"]["count"]) == ("44", "24")
    assert refused["east"]["segment_label"] == "East"
    assert refused["central"]["suppressed"] == "1" and refused["central"]["share"] == ""
    shown = [r for k, r in refused.items() if k in ("east", "west") and r["suppressed"] == "0"]
    assert len(shown) == 1  # the other protects central from "all minus the shown"
    assert shown[0]["share"] in ("1.0", "0.0") and shown[0]["n"] == "20"
    assert float(refused["all"]["ci_low"]) < 0.5454 < float(refused["all"]["ci_high"])
    resp = staff.get(CSV)
    assert resp.mimetype == "text/csv"
    assert "indicators_size.csv" in resp.headers["Content-Disposition"]
