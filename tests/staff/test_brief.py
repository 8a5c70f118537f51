"""/staff/brief: who may read it, no demo rows ever, ranking with joint places, what it prints."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from tests.helpers import add_rows, row_2027, staff_client


def needs(**values: float) -> dict[str, float]:
    out = {f"need_{rec}": 20.0 for rec in ("digital_infrastructure", "financial_support",
                                          "ip_protection", "digital_talent",
                                          "cross_border_ecommerce")}
    out.update({f"need_{k}": v for k, v in values.items()})
    return out


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_staff_read_the_brief(app: Flask, role: str) -> None:
    add_rows([row_2027(score=50)] * 40)
    resp = staff_client(app, role).get("/staff/brief")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    assert "Among 40 responding SMEs." in html
    assert "self-selected" in html
    assert "SMEs with a high-priority gap linked to it" in html
    assert "plotly" not in html  # server-rendered: it prints the same everywhere
    assert "<svg class=\"bar\"" in html


def test_anonymous_and_other_roles_are_refused(app: Flask, client: FlaskClient) -> None:
    assert client.get("/staff/brief").status_code == 302
    assert staff_client(app, "visitor").get("/staff/brief").status_code == 403


def test_the_brief_never_includes_demo_rows(app: Flask) -> None:
    add_rows([row_2027(score=30, **needs(financial_support=90))] * 40)
    add_rows([row_2027(score=90, is_demo=True, **needs(digital_talent=90))] * 500)
    client = staff_client(app)
    for query in ("", "?demo=include", "?demo=only"):
        html = client.get("/staff/brief" + query).get_data(as_text=True)
        assert "Among 40 responding SMEs." in html, query
        assert "demo data never included" in html
    html = client.get("/staff/brief").get_data(as_text=True)
    recs = html[html.index('class="data-table recs"'):]
    first = re.search(r'<th scope="row">([^<]+)</th>\s*<td class="num">(\d+)%', recs)
    assert first is not None  # ranked first: the real SMEs' need, 40 of 40
    assert first.group(1) == load_questionnaire().recommendation("financial_support").title.en
    assert first.group(2) == "100"


def test_recommendations_are_ranked_with_joint_places(app: Flask) -> None:
    # 40 SMEs: 30 with a high need for cross-border e-commerce, 12 for IP, 11 for talent
    rows = []
    for i in range(40):
        values = {"cross_border_ecommerce": 90.0 if i < 30 else 10.0,
                  "ip_protection": 90.0 if i < 12 else 10.0,
                  "digital_talent": 90.0 if 20 <= i < 31 else 10.0}
        rows.append(row_2027(**needs(**values)))
    add_rows(rows)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    table = html[html.index('class="data-table recs"'):]
    ranks = re.findall(r'<td class="num">(\d+)( <span class="joint">joint</span>)?</td>\s*'
                       r'<th scope="row">([^<]+)<', table)
    q = load_questionnaire()
    titles = {r.id: r.title.en for r in q.recommendations}
    assert ranks[0] == ("1", "", titles["cross_border_ecommerce"])  # 75 %, clearly ahead
    joint = {title for rank, mark, title in ranks if mark}
    assert titles["ip_protection"] in joint and titles["digital_talent"] in joint
    ip = table[table.index(titles["ip_protection"]):]
    assert re.match(r"[^<]+<span class=\"muted small block sep-more\">the data cannot yet "
                    r"separate it from the next \(about [\d,]+ more responses needed\)</span>",
                    ip)


def test_the_brief_prints_its_filters_date_and_method(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu")] * 15)
    html = staff_client(app).get("/staff/brief?region=east").get_data(as_text=True)
    assert "Filters: Region: East" in html
    assert re.search(r"Prepared \d{4}-\d{2}-\d{2}", html)
    assert f"scoring method {load_questionnaire().method_version}" in html
    assert "Among 15 responding SMEs." in html


def test_a_small_selection_is_withheld(app: Flask) -> None:
    add_rows([row_2027()] * 6)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    assert "the brief is withheld" in html
    assert "data-table recs" not in html


def test_the_brief_offers_no_demo_filter_it_would_ignore(app: Flask) -> None:
    add_rows([row_2027()] * 15)
    client = staff_client(app)
    brief = client.get("/staff/brief?demo=only").get_data(as_text=True)
    assert 'name="demo"' not in brief and "Among 15 responding SMEs." in brief
    assert 'name="demo"' in client.get("/staff/").get_data(as_text=True)


def test_one_respondent_is_not_among_one(app: Flask) -> None:
    add_rows([row_2027()])
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    assert "Based on 1 responding SME." in html and "Among 1 " not in html


def test_the_brief_names_the_default_wave_in_chinese(app: Flask) -> None:
    from survey.models import Wave

    add_rows([row_2027()] * 15)
    wave = db.session.scalar(db.select(Wave))
    assert wave is not None
    html = staff_client(app).get(f"/staff/brief?wave={wave.id}&lang=zh").get_data(as_text=True)
    assert "默认批次" in html and "Default wave" not in html


def test_shares_and_means_use_the_shared_rounding(app: Flask) -> None:
    add_rows([row_2027(financing_score=50.0)] * 50)
    add_rows([row_2027(financing_score=55.6)] * 50)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    areas = html[html.index('id="areas-h"'):]
    assert re.search(r'<td class="num">53 <span class="ci block">52–53</span>', areas)


def test_the_brief_shows_capability_what_applies_and_credit_constraint(app: Flask) -> None:
    rows = [row_2027(size_class="micro", credit_constraint="fully_constrained",
                     need_cross_border_ecommerce=80.0)] * 15
    rows += [row_2027(size_class="small", credit_constraint="no_need",
                      financing_capability=64.0)] * 15
    rows += [row_2027(size_class="small", overseas_applies=False,
                      credit_constraint="not_constrained")] * 10
    rows += [row_2027(size_class="large", credit_constraint="unknown")] * 2
    add_rows(rows)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    areas = html[html.index('id="areas-h"'):html.index('id="credit-h"')]
    assert "Capability (0–100)" in areas
    financing = areas[areas.index('<th scope="row">'):]
    assert "57" in financing[:financing.index("</tr>")]  # (15·50 + 15·64 + 12·50) / 42
    overseas = areas[areas.index("Overseas markets"):]
    assert "among the 32 SMEs it applies to (of 42)" in overseas[:overseas.index("</tr>")]
    credit = html[html.index('id="credit-h"'):html.index('id="recs-h"')]
    assert "No need for external finance" in credit and "Fully credit-constrained" in credit
    assert re.search(r'<th scope="row">All</th>\s*<td class="num">36%', credit)
    assert "hidden (n<10)" in credit  # large (2), with micro protecting it: hidden
    assert "0 SMEs in this selection have none" in credit
    recs = html[html.index('class="data-table recs"'):]
    cross = recs[recs.index("Cross-border e-commerce"):]
    assert "among the 32 SMEs with a known priority (of 42)" in cross[:cross.index("</tr>")]


def test_five_tied_recommendations_are_not_ranked(app: Flask) -> None:
    """Every recommendation high for 20 of 40: the data cannot order them, and the brief says
    so once instead of printing "1 joint" five times."""
    rows = [row_2027(need=90.0 if i < 20 else 10.0) for i in range(40)]
    add_rows(rows)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    table = html[html.index('id="recs-h"'):]
    assert "The data cannot yet separate the recommendations" in table
    assert "The first two have the same share" in table  # no n would separate equal shares
    assert not re.search(r'<td class="num">1 <span class="joint">joint</span></td>', table)


def test_segments_say_when_they_tie_or_are_withheld(app: Flask) -> None:
    """East, central and west, 30 each, half with a high need; north-east 4. The regions tie
    with each other and with the one size and industry (everyone): all "joint", the one
    beyond three counted. North-east is withheld, and one region with it (a total would give
    the 4 away): the list says so rather than skipping them."""
    rows = []
    for region in ("east", "central", "west"):
        rows += [row_2027(region=region, **needs(financial_support=90.0 if i < 15 else 10.0))
                 for i in range(30)]
    rows += [row_2027(region="northeast", **needs(financial_support=90.0))] * 4
    add_rows(rows)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    recs = html[html.index('class="data-table recs"'):]
    title = load_questionnaire().recommendation("financial_support").title.en
    cell = recs[recs.index(title):]
    cell = cell[cell.index('<td class="segments">'):cell.index("</td>", cell.index(
        '<td class="segments">'))]
    assert cell.count('<span class="joint">joint</span>') == 3
    assert "and 1 more segment tied with the last" in cell
    assert "2 segments withheld" in cell


def test_environment_and_capability_carry_n_and_interval(app: Flask) -> None:
    add_rows([row_2027(score=40.0 + i, financing_env=30.0 + i) for i in range(40)])
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    areas = html[html.index('id="areas-h"'):html.index('</table>', html.index('id="areas-h"'))]
    financing = areas[areas.index('<th scope="row">'):]
    row_html = financing[:financing.index("</tr>")]
    cells = re.findall(r'<td class="num">(.*?)</td>', row_html, re.S)
    environment = cells[-2]
    assert "n = 40" in environment and "–" in environment, environment
