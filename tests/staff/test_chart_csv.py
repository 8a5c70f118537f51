"""/staff/charts/<id>.csv: every chart's data table, demo rows, suppression flags, CSV hygiene."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from survey.core.charts import CHART_IDS
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Wave
from tests.helpers import add_rows, csv_rows, row_2027, staff_client, synthetic_2027


def test_chart_csvs_and_the_api_leave_demo_rows_out_unless_asked(app: Flask) -> None:
    """The dashboard's CSVs and /api/v1/stats count what the dashboard and the brief count."""
    add_rows([row_2027(score=30)] * 20)
    add_rows([row_2027(score=90, is_demo=True)] * 30)
    client = staff_client(app)

    def established(query: str) -> str:
        rows = csv_rows(client.get(f"/staff/charts/levels.csv{query}").data)
        return next(r["count"] for r in rows
                    if r["area"] == "overall" and r["level"] == "leading")

    assert established("") == established("?demo=exclude") == "0"
    assert established("?demo=include") == established("?demo=only") == "30"
    stats = {q: client.get(f"/api/v1/stats{q}").get_json() for q in ("", "?demo=include")}
    assert stats[""]["n"] == 20 and stats["?demo=include"]["n"] == 50

def test_chart_csv_blanks_and_flags_suppressed_cells(app: Flask) -> None:
    add_rows([row_2027(region="east", province="jiangsu")] * 40)
    add_rows([row_2027(region="west", province="sichuan")] * 12)
    add_rows([row_2027(region="central", province="hubei")] * 4)
    client = staff_client(app)
    resp = client.get("/staff/charts/region.csv")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="region.csv"' in resp.headers["Content-Disposition"]
    rows = csv_rows(resp.data)
    assert list(rows[0]) == ["region", "metric", "n", "mean", "ci_low", "ci_high",
                             "low_precision", "suppressed"]
    by_region = {(r["region"], r["metric"]): r for r in rows}
    for region in ("central", "west"):  # 4 is small; 12 would give it away from the total
        hidden = by_region[(region, "overall")]
        assert hidden["suppressed"] == "1"
        assert hidden["n"] == hidden["mean"] == hidden["ci_low"] == ""
    assert by_region[("east", "overall")]["n"] == "40"
    assert by_region[("east", "overall")]["suppressed"] == "0"


def test_chart_csv_secondary_suppression_in_a_two_way_table(app: Flask) -> None:
    for industry, size, n in [("manufacturing", "small", 30), ("manufacturing", "medium", 12),
                              ("manufacturing", "large", 40), ("construction", "small", 25),
                              ("construction", "medium", 4), ("construction", "large", 20)]:
        add_rows([row_2027(industry=industry, size_class=size)] * n)
    rows = csv_rows(staff_client(app).get("/staff/charts/industry_size.csv").data)
    hidden = {(r["industry"], r["size"]) for r in rows if r["suppressed"] == "1"}
    assert hidden == {("construction", "medium"), ("construction", "large"),
                      ("manufacturing", "medium"), ("manufacturing", "large")}
    margins = {(r["industry"], r["size"]): r["n"] for r in rows if "all" in (r["industry"],
                                                                           r["size"])}
    assert margins[("construction", "all")] == "49" and margins[("all", "all")] == "131"


def test_chart_csv_neutralises_formula_looking_text(app: Flask) -> None:
    with write_transaction() as s:
        s.add(Wave(name="=HYPERLINK(\"http://evil\")", starts_on=dt.date(2020, 1, 1)))
    add_rows([row_2027(industry="=1+2", wave_id=None)] * 15)
    client = staff_client(app)
    grid = csv_rows(client.get("/staff/charts/industry_size.csv").data)
    assert "'=1+2" in {r["industry"] for r in grid}
    waves = [w for w in db.session.scalars(db.select(Wave)) if w.name.startswith("=")]
    add_rows([row_2027(wave_id=waves[0].id)] * 12)
    trend = csv_rows(client.get("/staff/charts/trend_waves.csv").data)
    assert "'=HYPERLINK(\"http://evil\")" in {r["period"] for r in trend}
    assert all(not r["period"].startswith("=") for r in trend)


def test_every_chart_csv_answers(app: Flask) -> None:
    add_rows(synthetic_2027(120, seed=5))
    client = staff_client(app)
    for chart_id in CHART_IDS:
        resp = client.get(f"/staff/charts/{chart_id}.csv?region=east")
        assert resp.status_code == 200, chart_id
        rows = csv_rows(resp.data)
        assert rows and "suppressed" in rows[0], chart_id


# --- the whole request stays a fixed number of statements --------------------------------

def test_hidden_cells_together_are_a_group_in_the_csv(app: Flask) -> None:
    """Other × Medium and × Large (1 firm each) hidden, but the Other total minus the shown
    cells used to give the pair away; whatever the CSV shows now, the difference is ≥ 10."""
    add_rows([row_2027(industry="other", size_class="micro")] * 48)
    add_rows([row_2027(industry="other", size_class="small")] * 28)
    add_rows([row_2027(industry="other", size_class="medium", score=60.0)])
    add_rows([row_2027(industry="other", size_class="large", score=64.8)])
    for industry in ("manufacturing", "construction"):
        for size, n in (("micro", 50), ("small", 40), ("medium", 30), ("large", 20)):
            add_rows([row_2027(industry=industry, size_class=size)] * n)
    rows = csv_rows(staff_client(app).get("/staff/charts/industry_size.csv").data)
    n = {(r["industry"], r["size"]): r["n"] for r in rows}
    for industry in ("other", "manufacturing", "construction", "all"):
        total = n[(industry, "all")]
        if total:
            shown = sum(int(n[(industry, s)] or 0) for s in ("micro", "small", "medium", "large"))
            assert not 0 < int(total) - shown < 10, industry
    for size in ("micro", "small", "medium", "large", "all"):
        total = n[("all", size)]
        if total:
            shown = sum(int(n[(i, size)] or 0) for i in ("other", "manufacturing",
                                                          "construction"))
            assert not 0 < int(total) - shown < 10, size


