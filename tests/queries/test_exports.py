"""survey.queries.exports: inert formulas, typed cells, batches, the header and the codebook."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from survey.core.questionnaire import load_questionnaire
from survey.queries import exports
from survey.queries.filters import Filters
from survey.services import responses as services
from tests.helpers import best_answers, worst_answers


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+86 138 0000 0000", "'+86 138 0000 0000"), ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""),
])
def test_formula_looking_text_is_neutralised(text: str, expected: str) -> None:
    assert exports.neutralise(text) == expected


def test_csv_has_bom_crlf_and_numbers_stay_numbers() -> None:
    data = b"".join(exports.csv_chunks(["a", "b", "c", "d", "e"],
                                       [[-5, 2.5, "=cmd|' /C calc'!A0", None, True]]))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == "-5,2.5,'=cmd|' /C calc'!A0,,1"
    assert "\r\n" in text


def test_csv_streams_in_chunks() -> None:
    chunks = list(exports.csv_chunks(["x"], ([f"row {i:06d}"] for i in range(20_000))))
    assert len(chunks) > 2
    assert max(len(c) for c in chunks) < 2 * 64 * 1024


def test_header_has_ids_and_no_secrets() -> None:
    head = exports.header(include_free_text=False)
    q = load_questionnaire()
    assert len(head) == len(set(head))
    assert {"response_id", "wave", "month", "is_demo", "overall_score",
            "need_financial_support", "priority_digital_talent"} <= set(head)
    assert set(q.questions) <= set(head) | {qid for qid, qq in q.questions.items()
                                            if qq.type == "text"}
    for secret in ("token", "ip", "user_agent", "submitted_at", "local_date", "created_at"):
        assert secret not in head


def test_rows_come_in_batches_and_all_arrive(app: Flask) -> None:
    made = [services.create_submitted(best_answers() if i % 2 == 0 else worst_answers())
            for i in range(5)]
    out = list(exports.rows(Filters(), include_free_text=False, batch=2))
    head = exports.header(False)
    assert [r[0] for r in out] == [m.id for m in made]
    assert all(len(r) == len(head) for r in out)
    first = dict(zip(head, out[0], strict=True))
    assert first["month"] == made[0].assessment.month
    assert first["is_demo"] == 0
    best = best_answers()  # a multiple choice it routes out has no answer
    multi = next(qid for qid, q in load_questionnaire().questions.items()
                 if q.type == "multi" and len(best.get(qid, [])) > 1)
    assert first[multi] == ";".join(best[multi])


def test_workbook_has_typed_cells_and_a_codebook(tmp_path: Path) -> None:
    head = ["response_id", "wave", "overall_score"]
    path = tmp_path / "x.xlsx"
    n = exports.write_xlsx(str(path), head, [[1, "=HYPERLINK(\"http://x\")", 55.5]], "zh")
    assert n == 1
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        codebook = z.read("xl/worksheets/sheet2.xml").decode()
    assert "xl/worksheets/sheet2.xml" in names
    assert "<f>" not in sheet  # the formula-looking text is a string, never a formula
    assert "HYPERLINK" in sheet and "<v>55.5</v>" in sheet
    q = load_questionnaire()
    assert q.questions["fin_finance_obstacle"].text.zh in codebook


def test_codebook_lists_every_question_and_option() -> None:
    q = load_questionnaire()
    rows = list(exports.codebook_rows("en"))
    assert {r[0] for r in rows} >= set(q.questions)
    labels = {(r[0], r[9]): r[10] for r in rows if r[9]}
    opt = q.questions["fin_finance_obstacle"].options[0]
    assert labels[("fin_finance_obstacle", opt.value)] == opt.label.en
    data = b"".join(exports.csv_chunks(exports.CODEBOOK_HEADER, rows))
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == list(exports.CODEBOOK_HEADER)


AREAS = ("financing", "digital_technology", "overseas_markets")


def test_the_export_has_the_2027_columns_and_answers(app: Flask) -> None:
    """Per area capability, status and gap split; the credit-constraint class; the 2027.1
    revenue and asset bands; and 2027.1's answers under their question ids, as before."""
    domestic = services.create_submitted(best_answers(export_status="no_plans",
                                                      industry="construction"))
    exporter = services.create_submitted(worst_answers(export_status="exports_direct"))
    head = exports.header(False)
    for area in AREAS:
        assert {f"{area}_{kind}" for kind in ("score", "capability", "env", "status",
                                              "gap")} <= set(head)
    assert {"credit_constraint", "revenue_band", "assets_band"} <= set(head)
    out = [dict(zip(head, r, strict=True)) for r in exports.rows(Filters(), False)]
    first, second = out
    assert first["response_id"] == domestic.id and second["response_id"] == exporter.id
    assert first["overseas_markets_status"] == "not_applicable"
    assert first["overseas_markets_score"] is None and first["overseas_markets_gap"] is None
    assert first["priority_cross_border_ecommerce"] == "not_applicable"
    assert first["financing_status"] == "scored" and first["financing_capability"] == 100.0
    assert second["overseas_markets_status"] == "scored"
    assert second["financing_gap"] in ("mostly_external", "mixed", "mostly_internal")
    stored = exporter.assessment
    assert stored is not None and second["credit_constraint"] == stored.credit_constraint
    assert first["assets_band"] == domestic.answers["assets_band"]  # construction: asked
    assert second["assets_band"] is None
    answers = exporter.answers
    for qid in ("scheme_cloud_voucher", "ovs_logistics_obstacle", "infra_5g_cost", "employees"):
        assert second[qid] == answers[qid], qid
    assert second["dig_core_systems"] == ";".join(answers["dig_core_systems"])
    assert first["ovs_logistics_obstacle"] is None  # not asked of a firm with no plans


def test_the_codebook_lists_the_new_code_lists_and_every_versions_options() -> None:
    labels = {"en": {"credit": {"fully_constrained": "Fully credit-constrained"},
                     "area_status": {"not_applicable": "Does not apply"}}}
    rows = list(exports.codebook_rows("en", labels))
    versions = exports.CODEBOOK_HEADER.index("versions")
    assert rows[0][versions] == "" and len(rows[0]) == len(exports.CODEBOOK_HEADER)
    codes = {}
    for r in rows:
        codes.setdefault(r[0], []).append(r)
    credit = {r[9]: r[10] for r in codes["credit_constraint"]}
    assert set(credit) == {"no_need", "not_constrained", "partially_constrained",
                           "fully_constrained", "unknown"}
    assert credit["fully_constrained"] == "Fully credit-constrained"
    assert "World Bank" in codes["credit_constraint"][0][8]
    status = {r[9]: r[10] for r in codes["overseas_markets_status"]}
    assert set(status) == {"scored", "insufficient", "not_applicable"}
    assert status["not_applicable"] == "Does not apply"
    assert {r[9] for r in codes["financing_gap"]} == {"mostly_external", "mixed",
                                                      "mostly_internal"}
    assert "not_applicable" in {r[9] for r in codes["priority_cross_border_ecommerce"]}
    assert {r[9] for r in codes["size_class"]} == {"micro", "small", "medium", "large"}
    export = {r[9]: r[14] for r in codes["export_status"]}
    assert export["exports_direct"] == "2027.1" and export["exporting"] == "2026.1"
    assert export["considering"] == "2027.1 2026.1" and export["none"] == "2026.1"
    assert {r[9] for r in codes["revenue_band"]} >= {"rev_0_50", "rev_undisclosed"}
    employees = codes["employees"]  # a head count in 2027.1, a band in 2026.1
    assert employees[0][2] == "number" and all(r[14] == "2026.1" for r in employees if r[9])


@given(st.text(max_size=6))
def test_the_fast_path_for_plain_text_neutralises_exactly_like_the_rule(text: str) -> None:
    """A cell starting with a letter or digit skips the formula check: never a formula."""
    assert exports._csv_cell(text) == exports.neutralise(text)
