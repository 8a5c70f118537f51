"""survey.queries.exports: inert formulas, typed cells, batches, the header and the codebook."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask

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
    multi = next(qid for qid, q in load_questionnaire().questions.items()
                 if q.type == "multi" and len(best_answers()[qid]) > 1)
    assert first[multi] == ";".join(best_answers()[multi])


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
    assert q.questions["fin_obstacle"].text.zh in codebook


def test_codebook_lists_every_question_and_option() -> None:
    q = load_questionnaire()
    rows = list(exports.codebook_rows("en"))
    assert {r[0] for r in rows} >= set(q.questions)
    labels = {(r[0], r[9]): r[10] for r in rows if r[9]}
    opt = q.questions["fin_obstacle"].options[0]
    assert labels[("fin_obstacle", opt.value)] == opt.label.en
    data = b"".join(exports.csv_chunks(exports.CODEBOOK_HEADER, rows))
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == list(exports.CODEBOOK_HEADER)
