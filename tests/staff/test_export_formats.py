"""Export downloads for analysis tools: labels in both languages, option flags, why a blank is
blank, levels and coverages, demo rows only on request, and Stata and SPSS files read back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.core.questionnaire import load_questionnaire
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, AuditLog, Response, Wave
from survey.queries import stat_files
from survey.queries.export_columns import stat_name
from survey.services import responses as services
from tests.helpers import best_answers, csv_rows, worst_answers

MULTI = "dig_core_systems"
ROUTED = "ovs_logistics_obstacle"  # asked only of firms that export or plan to



def read_stat(client: FlaskClient, url: str, tmp_path: Path, user_missing: bool = True
              ) -> tuple[Any, Any]:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:400]
    fmt = url.split("?")[0].rsplit(".", 1)[1]
    path = tmp_path / f"x.{fmt}"
    path.write_bytes(resp.get_data())
    reader = pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav
    return reader(str(path), user_missing=user_missing)


@pytest.fixture
def firms(app: Any) -> dict[str, Response]:
    """An exporter who answered everything, a domestic firm (routed past the overseas
    questions) who left one multiple choice unanswered, and a demo row."""
    exporter = services.create_submitted(best_answers(export_status="exports_direct",
                                                      province="shanghai"), source="web")
    domestic_answers = worst_answers(export_status="no_plans", province="sichuan")
    del domestic_answers[MULTI]
    domestic = services.create_submitted(domestic_answers, source="web")
    demo = services.create_submitted(best_answers(province="beijing"), source="demo")
    with write_transaction() as s:
        for model in (Assessment, Response):
            key = model.response_id if model is Assessment else model.id
            row = s.scalar(select(model).where(key == demo.id))
            assert row is not None
            row.is_demo = True
    return {"exporter": exporter, "domestic": domestic, "demo": demo}


def by_id(rows: list[dict[str, str]], response: Response) -> dict[str, str]:
    return next(r for r in rows if r["response_id"] == str(response.id))


def test_csv_labels_follow_the_staff_language(analyst_client: FlaskClient,
                                              firms: dict[str, Response]) -> None:
    q = load_questionnaire()
    en = csv_rows(analyst_client.get("/staff/export.csv?lang=en").get_data())
    zh = csv_rows(analyst_client.get("/staff/export.csv?lang=zh").get_data())
    assert [r["response_id"] for r in en] == [r["response_id"] for r in zh]
    exporter_en, exporter_zh = by_id(en, firms["exporter"]), by_id(zh, firms["exporter"])
    assert exporter_en["region"] == exporter_zh["region"] == "east"  # codes never localised
    assert exporter_en["region_label"] == "East" and exporter_zh["region_label"] == "东部"
    industry = q.questions["industry"].option(exporter_en["industry"])
    assert industry is not None
    assert exporter_en["industry_label"] == industry.label.en
    assert exporter_zh["industry_label"] == industry.label.zh
    level = {lv.id: lv.title for lv in q.levels}[exporter_en["overall_level"]]
    assert (exporter_en["overall_level_label"], exporter_zh["overall_level_label"]) == (
        level.en, level.zh)
    assert exporter_en["source_label"] == "Web questionnaire"
    assert (exporter_en["is_demo"], exporter_en["is_demo_label"]) == ("0", "Real response")
    assert exporter_zh["financing_status_label"] != exporter_en["financing_status_label"]
    chosen = firms["exporter"].answers[MULTI]
    labels = [o.label.zh for o in q.questions[MULTI].options if o.value in chosen]
    assert sorted(exporter_zh[f"{MULTI}_label"].split(";")) == sorted(labels)


def test_option_flags_match_the_answers(analyst_client: FlaskClient,
                                        firms: dict[str, Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/export.csv").get_data())
    q = load_questionnaire()
    multis = [qid for qid, qq in q.questions.items() if qq.type == "multi"]
    for response in (firms["exporter"], firms["domestic"]):
        row = by_id(rows, response)
        for qid in multis:
            answer = response.answers.get(qid)
            for option in q.questions[qid].options:
                cell = row[f"{qid}__{option.value}"]
                if answer is None:
                    assert cell == "", (qid, option.value)
                else:
                    assert cell == ("1" if option.value in answer else "0"), (qid, option.value)
            assert row[qid] == ";".join(answer or [])  # the joined column stays


def test_a_routed_question_is_not_asked_and_a_skipped_one_not_answered(
        analyst_client: FlaskClient, firms: dict[str, Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/export.csv").get_data())
    exporter, domestic = by_id(rows, firms["exporter"]), by_id(rows, firms["domestic"])
    assert domestic[ROUTED] == "" and domestic[f"{ROUTED}_missing"] == "not_asked"
    assert exporter[ROUTED] != "" and exporter[f"{ROUTED}_missing"] == ""
    assert domestic[MULTI] == "" and domestic[f"{MULTI}_missing"] == "not_answered"
    assert exporter[f"{MULTI}_missing"] == ""
    assert domestic["assets_band_missing"] == "not_asked"  # routed by the industry


def test_levels_coverages_and_the_wave_id_are_columns(analyst_client: FlaskClient,
                                                      firms: dict[str, Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/export.csv").get_data())
    exporter = by_id(rows, firms["exporter"])
    stored = firms["exporter"].assessment
    assert stored is not None
    area = stored.result["areas"]["financing"]
    assert exporter["financing_level"] == area["level"]
    assert float(exporter["financing_coverage"]) == pytest.approx(area["coverage"])
    assert float(exporter["financing_env_coverage"]) == pytest.approx(
        area["environment_coverage"])
    wave = db.session.get(Wave, stored.wave_id)
    assert wave is not None
    assert exporter["wave_id"] == str(wave.id) and exporter["wave_id_label"] == "Default wave"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "dta", "sav"])
def test_demo_rows_only_when_asked_for(analyst_client: FlaskClient, firms: dict[str, Response],
                                       fmt: str, tmp_path: Path) -> None:
    demo = str(firms["demo"].id).encode()

    def ids(query: str) -> set[int]:
        if fmt in ("dta", "sav"):
            frame, _ = read_stat(analyst_client, f"/staff/export.{fmt}{query}", tmp_path)
            return {int(i) for i in frame["response_id"]}
        data = analyst_client.get(f"/staff/export.{fmt}{query}").get_data()
        if fmt == "csv":
            return {int(r["response_id"]) for r in csv_rows(data)}
        return {firms["demo"].id} if b"<v>" + demo + b"</v>" in _sheet(data) else set()

    assert firms["demo"].id not in ids("")
    assert firms["demo"].id in ids("?demo=include")
    assert firms["demo"].id in ids("?demo=only")


def _sheet(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("fmt", ["dta", "sav"])
def test_stat_files_read_back_with_their_labels(analyst_client: FlaskClient,
                                                firms: dict[str, Response], fmt: str,
                                                tmp_path: Path) -> None:
    frame, meta = read_stat(analyst_client, f"/staff/export.{fmt}?lang=zh", tmp_path)
    q = load_questionnaire()
    rows = {int(r): i for i, r in enumerate(frame["response_id"])}
    exporter, domestic = rows[firms["exporter"].id], rows[firms["domestic"].id]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["industry"].startswith("industry: " + q.questions["industry"].text.zh[:20])
    region = meta.variable_value_labels["region"]
    assert region[frame["region"][exporter]] == "东部"
    industry = q.questions["industry"].option(firms["exporter"].answers["industry"])
    assert industry is not None
    assert meta.variable_value_labels["industry"][frame["industry"][exporter]] == \
        industry.label.zh
    flag = stat_name(f"{MULTI}__{q.questions[MULTI].options[0].value}")
    assert meta.variable_value_labels[flag][1] == "已选"
    chosen = firms["exporter"].answers[MULTI]
    assert frame[flag][exporter] == float(q.questions[MULTI].options[0].value in chosen)
    missing = {"dta": ("a", "b"), "sav": (-1.0, -2.0)}[fmt]
    assert frame[ROUTED][domestic] == missing[0]  # not asked
    assert frame[flag][domestic] == missing[1]  # not answered
    assert meta.variable_value_labels[ROUTED][missing[0]] == "未询问"
    if fmt == "dta":
        assert "a" in meta.missing_user_values[ROUTED]  # the reasons present are listed
    else:
        assert meta.missing_ranges[ROUTED] == [{"lo": -4.0, "hi": -1.0}]
    assert all(len(name) <= 32 for name in meta.column_names)  # Stata's limit
    plain, _ = read_stat(analyst_client, f"/staff/export.{fmt}", tmp_path, user_missing=False)
    assert plain[ROUTED].isna()[domestic]  # statistics skip the missing values


def test_stat_exports_are_audited_and_limited(analyst_client: FlaskClient,
                                              firms: dict[str, Response],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert analyst_client.get("/staff/export.sav").status_code == 200
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-1] == "export.sav"
    monkeypatch.setattr(stat_files, "STAT_MAX_ROWS", 1)
    refused = analyst_client.get("/staff/export.dta")
    assert refused.status_code == 422
    assert "/staff/export.csv" in refused.get_data(as_text=True)
    page = analyst_client.get("/staff/exports").get_data(as_text=True)
    assert "/staff/export.dta" not in page and "at most 1 rows" in page


def test_the_export_page_offers_stata_and_spss(analyst_client: FlaskClient,
                                               firms: dict[str, Response]) -> None:
    page = analyst_client.get("/staff/exports?region=east").get_data(as_text=True)
    assert 'formaction="/staff/export.dta?region=east"' in page
    assert 'formaction="/staff/export.sav?region=east"' in page


def test_the_codebook_gives_every_derived_code_list_in_both_languages(
        analyst_client: FlaskClient, firms: dict[str, Response]) -> None:
    rows = csv_rows(analyst_client.get("/staff/codebook.csv?lang=en").get_data())
    codes: dict[str, dict[str, dict[str, str]]] = {}
    for r in rows:
        if r["option_value"]:
            codes.setdefault(r["column"], {})[r["option_value"]] = r
    for column in ("is_demo", "size_class", "region", "overall_level", "financing_level", "source",
                   "language", "wave_id", "credit_constraint", "priority_digital_talent",
                   "financing_status", "financing_gap", f"{ROUTED}_missing"):
        assert codes.get(column), column
        for code, row in codes[column].items():
            assert row["option_label_en"] and row["option_label_zh"], (column, code)
    assert codes["size_class"]["micro"]["option_label_zh"] == "微型"
    assert codes["source"]["web"]["option_label_zh"] != codes["source"]["web"]["option_label_en"]
    assert codes[f"{ROUTED}_missing"]["not_asked"]["numeric_code"] == "SPSS -1, Stata .a"
    assert codes["region"]["east"]["numeric_code"] == "1"
    flags = [r for r in rows if r["column"].startswith(f"{MULTI}__")]
    assert len(flags) == len(load_questionnaire().questions[MULTI].options)

