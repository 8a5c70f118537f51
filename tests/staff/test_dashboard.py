"""/staff/ and /staff/charts/<id>.csv: roles, filters, suppression, demo banner, CSV hygiene."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from bench.seed import insert_drafts
from survey.core.charts import CHART_IDS
from survey.extensions import db
from tests.helpers import add_rows, as_source, csv_rows, row_2027, staff_client, synthetic_2027


@pytest.fixture(params=["analyst", "admin"])
def staff(app: Flask, request: pytest.FixtureRequest) -> FlaskClient:
    return staff_client(app, request.param)


# --- who may see it ----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staff/", "/staff/charts/region.csv", "/staff/brief"])
def test_anonymous_is_sent_to_sign_in(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 302
    assert "/staff/login" in resp.headers["Location"]


def test_a_user_without_a_staff_role_is_refused(app: Flask) -> None:
    client = staff_client(app, "visitor")
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/charts/region.csv").status_code == 403


def test_dashboard_draws_every_chart_for_staff(app: Flask, staff: FlaskClient) -> None:
    add_rows(synthetic_2027(300, seed=2))
    resp = staff.get("/staff/")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    for chart_id in CHART_IDS:
        if chart_id == "trend_waves":  # every row in one wave: a sentence, not a trend
            assert "A trend needs at least two survey waves" in html
        else:
            assert f'<script type="application/json" id="fig-{chart_id}">' in html
            assert f'data-figure="fig-{chart_id}"' in html
        assert f"/staff/charts/{chart_id}.csv" in html
    assert html.count("<details class=\"chart-data\">") == len(CHART_IDS)
    assert re.search(r'<script src="/vendor/plotly-[^"]+\.min\.js"></script>', html)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in scripts), "no inline script"
    assert "cdn" not in html.lower()
    assert 'id="stat-n">300<' in html


# --- filters -----------------------------------------------------------------------------

def test_filters_change_the_numbers_and_live_in_the_url(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu", score=70)] * 12)
    add_rows([row_2027(region="west", province="sichuan", score=30)] * 20)
    client = staff_client(app)
    assert 'id="stat-n">32<' in client.get("/staff/").get_data(as_text=True)
    east = client.get("/staff/?region=east").get_data(as_text=True)
    assert 'id="stat-n">12<' in east
    assert "/staff/charts/distribution.csv?region=east" in east
    rows = csv_rows(client.get("/staff/charts/levels.csv?region=east").data)
    overall = {r["level"]: r for r in rows if r["area"] == "overall"}
    assert overall["established"]["count"] == "12"  # all east firms score 70
    rows = csv_rows(client.get("/staff/charts/levels.csv?region=west").data)
    overall = {r["level"]: r for r in rows if r["area"] == "overall"}
    assert overall["established"]["count"] == "0"


def test_bad_filter_values_are_reported_not_a_500(app: Flask) -> None:
    add_rows([row_2027()] * 12)
    client = staff_client(app)
    resp = client.get("/staff/?region=mars&month_from=2026-13&wave=%27;drop")
    assert resp.status_code == 200
    assert "not understood" in resp.get_data(as_text=True)
    assert client.get("/staff/charts/nope.csv").status_code == 404


# --- demo, empty and small selections ----------------------------------------------------

def test_demo_rows_are_bannered(app: Flask) -> None:
    add_rows([row_2027()] * 20)
    add_rows([row_2027(is_demo=True)] * 3)
    client = staff_client(app)
    html = client.get("/staff/?demo=include").get_data(as_text=True)
    assert "Includes 3 demo assessments — not real data." in html
    for query in ("", "?demo=exclude"):  # real data only unless demo rows are asked for
        real = client.get(f"/staff/{query}").get_data(as_text=True)
        assert "demo assessments" not in real and 'id="stat-n">20<' in real



def test_empty_state(app: Flask) -> None:
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    assert "No assessments match these filters." in html
    assert "plotly" not in html and 'id="stat-n">0<' in html


def test_a_small_selection_shows_no_figures(app: Flask) -> None:
    add_rows([row_2027()] * 7)
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    assert "Fewer than 10 assessments match these filters" in html
    assert "application/json" not in html


# --- chart CSVs --------------------------------------------------------------------------

def _statements_for(client: FlaskClient, url: str) -> int:
    count = 0

    def listener(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return count


def test_dashboard_request_statements_do_not_grow(app: Flask) -> None:
    client = staff_client(app)
    add_rows(synthetic_2027(50, seed=1))
    small = (_statements_for(client, "/staff/"), _statements_for(client, "/staff/brief"),
             _statements_for(client, "/staff/charts/demand_segments.csv"))
    add_rows(synthetic_2027(450, seed=2))
    large = (_statements_for(client, "/staff/"), _statements_for(client, "/staff/brief"),
             _statements_for(client, "/staff/charts/demand_segments.csv"))
    assert small == large


# --- fixes from a fresh-eyes review ------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/staff/?month_from=0000-01", "/staff/?month_to=9999-12", "/staff/brief?month_to=9999-12",
    "/staff/charts/levels.csv?month_from=0000-01", "/staff/responses?month_to=9999-12",
])
def test_months_at_the_ends_of_the_calendar_are_no_500(app: Flask, url: str) -> None:
    add_rows([row_2027()] * 12)
    client = staff_client(app)
    assert client.get(url).status_code == 200
    assert client.get("/api/v1/stats?month_from=0000-01").status_code in (200, 400)


def test_an_unknown_wave_is_reported_not_an_empty_page(app: Flask) -> None:
    add_rows([row_2027()] * 12)
    client = staff_client(app)
    for url in ("/staff/?wave=999", "/staff/brief?wave=999", "/staff/responses?wave=999",
                "/staff/exports?wave=999"):
        html = client.get(url).get_data(as_text=True)
        assert "unknown wave" in html, url
    dashboard = client.get("/staff/?wave=999").get_data(as_text=True)
    assert 'id="stat-n">12<' in dashboard  # the bad value is ignored, like any other
    assert client.get("/staff/export.csv?wave=999").status_code == 400  # never export it


def test_months_the_wrong_way_round_are_explained(app: Flask) -> None:
    add_rows([row_2027()] * 12)
    html = staff_client(app).get("/staff/?month_from=2026-05&month_to=2026-01").get_data(
        as_text=True)
    assert "is before" in html and "2026-01" in html and "2026-05" in html
    assert 'id="stat-n">0<' in html


def test_a_mean_reads_the_same_in_the_table_and_the_caption(app: Flask) -> None:
    """Financing 52.8 was "52 (51–53)" in the table and "53 (52–54)" under the chart."""
    add_rows([row_2027(financing_score=50.0)] * 50)
    add_rows([row_2027(financing_score=55.6)] * 50)
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    table = html[html.index('class="data-table levels-table"'):]
    financing = table[table.index("Financing"):]
    assert re.search(r'<td class="num">53 <span class="ci">\(52–53\)</span>', financing)
    assert "Financing 53 (52–53), n = 100" in html  # the distribution chart's caption


def test_dropout_below_one_percent_is_not_written_as_zero(app: Flask) -> None:
    add_rows([row_2027()] * 1000)
    insert_drafts(db.session, 5)
    db.session.commit()
    as_source("web")
    add_rows([row_2027(duration_seconds=None)] * 500)  # API submissions: neither starters nor timed
    as_source("api")
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    assert 'id="stat-dropout">0.5%<' in html
    assert "5 of 1,005 people" in html and "(95% interval 0.2%–1.2%)" in html
    assert "over 1,000 web responses" in html


def test_demo_and_api_rows_leave_the_median_time_alone(app: Flask) -> None:
    add_rows([row_2027(duration_seconds=600)] * 20)
    as_source("web")
    add_rows([row_2027(is_demo=True, duration_seconds=5)] * 200)
    as_source("demo")
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    assert 'id="stat-median">10.0 min<' in html and "over 20 web responses" in html


def test_the_data_table_has_distinct_headers_and_an_open_marker(app: Flask) -> None:
    add_rows(synthetic_2027(120, seed=3))
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    dist = html[html.index('id="chart-distribution"'):html.index('id="chart-levels"')]
    head = dist[dist.index("<thead>"):dist.index("</thead>")]
    assert "Band from" in head and "Band to" in head and "Score band" not in head
    assert '<summary><span class="summary-text">Show the data table</span></summary>' in html


# --- method 2027.1 ----------------------------------------------------------------------

def test_the_export_filter_offers_2027_statuses_and_keeps_2026_ones_apart(app: Flask) -> None:
    add_rows([row_2027()] * 12)
    html = staff_client(app).get("/staff/?export=exporting").get_data(as_text=True)
    select = html[html.index('<select id="f-export"'):]
    select = select[:select.index("</select>")]
    current = select[:select.index("<optgroup")]
    for code, label in (("exports_direct", "Exports directly"),
                        ("exports_indirect", "Exports through intermediaries"),
                        ("supplies_exporters", "Supplies exporters"),
                        ("stopped", "Stopped exporting"), ("considering", "Considering exports"),
                        ("no_plans", "No export plans")):
        assert f'<option value="{code}">{label}</option>' in current
    legacy = select[select.index("<optgroup"):]
    assert 'label="Only in questionnaire 2026.1"' in legacy
    assert '<option value="exporting" selected>Exporting</option>' in legacy
    assert 'value="none"' in legacy and 'value="planning"' in legacy
    assert "not understood" not in html


def test_the_headline_says_overseas_is_among_the_firms_it_applies_to(app: Flask) -> None:
    add_rows([row_2027(overseas_markets_score=80.0)] * 20)
    add_rows([row_2027(overseas_applies=False)] * 30)
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    table = html[html.index('class="data-table levels-table"'):]
    overseas = table[table.index("Overseas markets"):]
    overseas = overseas[:overseas.index("</tr>")]
    assert "among the 20 SMEs it applies to (of 50)" in overseas
    assert "n = 20" in overseas and "80" in overseas
    financing = table[table.index("Financing"):]
    assert "it applies to" not in financing[:financing.index("</tr>")]


def test_a_score_on_too_few_firms_is_written_hidden_in_the_headline(app: Flask) -> None:
    add_rows([row_2027(overseas_markets_score=80.0)] * 4)
    add_rows([row_2027(overseas_applies=False)] * 30)
    html = staff_client(app).get("/staff/").get_data(as_text=True)
    table = html[html.index('class="data-table levels-table"'):]
    overseas = table[table.index("Overseas markets"):]
    overseas = overseas[:overseas.index("</tr>")]
    assert "hidden (n<10)" in overseas and "n = 4" not in overseas and "of 34" not in overseas


def test_the_credit_chart_and_its_csv(app: Flask) -> None:
    rows = [row_2027(size_class="micro", credit_constraint="fully_constrained")] * 12
    rows += [row_2027(size_class="micro", credit_constraint="no_need")] * 18
    rows += [row_2027(size_class="small", credit_constraint="not_constrained")] * 20
    rows += [row_2027(size_class="large", credit_constraint="partially_constrained")] * 3
    add_rows(rows)
    client = staff_client(app)
    html = client.get("/staff/").get_data(as_text=True)
    assert '<script type="application/json" id="fig-credit_constraint">' in html
    assert "Access to finance: credit-constraint classes" in html
    csv = csv_rows(client.get("/staff/charts/credit_constraint.csv").data)
    assert list(csv[0]) == ["size", "credit_class", "n", "count", "share", "ci_low",
                            "ci_high", "low_precision", "suppressed"]
    by = {(r["size"], r["credit_class"]): r for r in csv}
    assert by[("all", "fully_constrained")]["count"] == "12"
    assert by[("all", "fully_constrained")]["n"] == "53"
    assert by[("micro", "fully_constrained")]["share"] == "0.4"
    for size in ("large", "small"):  # 3, and 20 with it: the total would give 3 away
        hidden = by[(size, "partially_constrained")]
        assert hidden["suppressed"] == "1" and hidden["n"] == hidden["share"] == ""


def test_method_notes_once_heatmaps_scroll_and_month_fields_say_their_format(app: Flask
                                                                           ) -> None:
    """The same three notes stood under every chart; heatmaps overlapped on a phone; month
    fields were bare boxes where a browser has no month picker."""
    add_rows(synthetic_2027(300, seed=2))
    html = staff_client(app).get("/staff/?lang=en").get_data(as_text=True)
    for note in ("Error bars and ranges are 95% intervals", "low precision (n &lt; 30)",
                 "Groups under 10 SMEs are hidden"):
        assert html.count(note) == 1, note
    assert html.count('<section class="card method-notes"') == 1
    assert html.count('<div class="chart-scroll" role="region" tabindex="0"') == 4
    assert len(re.findall(r'data-min-width="\d{3,4}"', html)) == 4
    for name in ("month_from", "month_to"):
        field = re.search(rf'<input type="month"[^>]*name="{name}"[^>]*>', html)
        assert field and 'placeholder="YYYY-MM"' in field.group(0)
        assert r'pattern="\d{4}-(0[1-9]|1[0-2])"' in field.group(0)
