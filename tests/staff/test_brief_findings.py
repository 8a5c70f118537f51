"""/staff/brief's key findings, chart, printed addresses and population margins, on seeded
rows: each finding stated when the intervals allow it, and declined (with how many more
responses would settle it) when they do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from survey.core import population
from survey.core.questionnaire import load_questionnaire
from tests.helpers import add_rows, row_2027, staff_client
from tests.staff.test_brief import needs


def findings_html(html: str) -> str:
    start = html.index('id="findings-h"')
    return html[start:html.index("</section>", start)]


def test_the_three_findings_are_stated_when_the_data_separate_them(app: Flask) -> None:
    """Financial support high for 36 of 40; micro firms score about 30 against about 50 for
    everyone; the interest subsidy reaches 2 of the 40 firms that know it (10 more were
    refused: 12 decided applications, enough to show), the guarantee 20."""
    rows = []
    for i in range(40):
        micro = i < 20
        subsidy = ("received_useful" if i < 2 else "applied_rejected" if i < 12
                   else "aware_unsure_how")
        answers = {"scheme_guarantee": "received_useful" if i < 20 else "aware_not_eligible",
                   "scheme_interest_subsidy": subsidy}
        rows.append(row_2027(size_class="micro" if micro else "small",
                             score=(28.0 if micro else 68.0) + i % 5, answers=answers,
                             **needs(financial_support=90.0 if i < 36 else 10.0)))
    add_rows(rows)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    found = findings_html(html)
    q = load_questionnaire()
    finance = q.recommendation("financial_support").title.en
    assert f"The largest need.</strong> {finance}: 90% of SMEs with a known priority" in found
    assert "clearly ahead of" in found and "(95% interval 77%–96%, n = 40)" in found
    assert re.search(r"The segment furthest behind.</strong> Size: Micro, with a mean overall "
                     r"score of 30 \(95% interval \d\d–\d\d, n = 20\), below all SMEs at 50", found)
    assert "The scheme that fails to reach firms.</strong> Interest subsidy on a loan" in found
    assert "of the SMEs that had heard of it, 5% received it" in found
    assert "against 50% for Loan guarantee" in found
    assert "100% of the SMEs asked had heard of it." in found
    assert "cannot yet separate" not in found and 'id="findings-note"' not in found
    # The findings come before the tables they summarise.
    assert html.index('id="findings-h"') < html.index('id="sample-h"')


def test_findings_that_the_data_cannot_support_say_so(app: Flask) -> None:
    """Two needs 5 points apart on 40 firms, two regions alike, no scheme answered."""
    rows = [row_2027(score=50.0 + i % 7, region="east" if i % 2 else "west",
                     **needs(financial_support=90.0 if i < 20 else 10.0,
                             digital_talent=90.0 if i < 18 else 10.0))
            for i in range(40)]
    add_rows(rows)
    found = findings_html(staff_client(app).get("/staff/brief").get_data(as_text=True))
    more = re.findall(r"the data cannot yet separate these: about ([\d,]+) more responses "
                      r"needed", found)
    assert len(more) == 2, found  # the needs, and the segment against everyone
    assert int(more[0].replace(",", "")) > 1000
    assert found.count('href="#findings-note"') == 2
    assert "same mix and with the same spread" in found
    assert "Too few SMEs answered on the support schemes" in found


def test_the_chart_draws_each_recommendation_with_its_interval(app: Flask) -> None:
    add_rows([row_2027(**needs(financial_support=90.0 if i < 30 else 10.0)) for i in range(40)])
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    chart = html[html.index('<svg xmlns="http://www.w3.org/2000/svg"'):]
    chart = chart[:chart.index("</svg>")]
    assert "<title id=\"brief-chart-title\">SMEs with a high-priority gap" in chart
    assert "75% (60%–86%)" in chart  # the description reads the numbers out
    assert chart.count('fill="#b3261e"') == 1 + 5  # legend swatch and five bars
    assert "<script" not in html[html.index('id="recs-h"'):html.index('id="method-h"')]


def test_the_brief_names_its_address_and_prints_absolute_links(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu")] * 15)
    html = staff_client(app).get("/staff/brief?region=east").get_data(as_text=True)
    assert re.search(r'This brief, with these filters: <a href="(http://[^"]+/staff/brief\?'
                     r'region=east)" class="url">\1</a>', html)
    assert re.search(r'<a href="http://[^"]+/methodology[^"]*">Full methodology</a>', html)
    css = (Path(app.static_folder or "") / "css" / "dashboard.css").read_text()
    assert '.brief a[href^="http"]:not(.url)::after { content: " (" attr(href) ")";' in css


def test_without_a_margin_the_sample_says_none_is_stored(app: Flask) -> None:
    add_rows([row_2027()] * 15)
    html = staff_client(app).get("/staff/brief").get_data(as_text=True)
    assert "No national SME population margin is stored yet for region, size class, industry" \
        in html
    assert "Population: " not in html


FICTITIOUS = """\
dimension = "size"
source = {en = "FICTITIOUS TEST MARGIN, not real data", zh = "虚构的测试数据，并非真实数据"}
url = "https://example.invalid/fictitious"
[shares]
micro = 0.5
small = 0.3
"""


def test_a_stored_margin_is_set_beside_the_sample(app: Flask, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "size-test.toml").write_text(FICTITIOUS, encoding="utf-8")
    monkeypatch.setattr(population, "DATA_DIR", tmp_path)
    add_rows([row_2027(size_class="micro")] * 15 + [row_2027(size_class="small")] * 15)
    client = staff_client(app)
    html = client.get("/staff/brief").get_data(as_text=True)
    size = html[html.index('id="sample-size-caption"'):]
    size = size[:size.index("</table>")]
    assert re.search(r"Micro</th>\s*<td class=\"num\">50%</td><td class=\"num\">15</td>\s*"
                     r"<td class=\"num\">50%</td>", size)
    assert re.search(r"Other categories</th>.*<td class=\"num\">20%</td>", size, re.S)
    assert ("Population: FICTITIOUS TEST MARGIN, not real data, "
            '<a href="https://example.invalid/fictitious">') in html
    assert "No national SME population margin is stored yet for region, industry" in html
    zh = client.get("/staff/brief?lang=zh").get_data(as_text=True)
    assert "虚构的测试数据，并非真实数据" in zh
