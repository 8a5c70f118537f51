"""The directory's rules, shared by the admin form and the CSV: one bad field refuses the row,
and a row read back from its own CSV form is the same programme."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from survey.core.programme_data import COLUMNS, ProgrammeData, ProgrammeDataError
from survey.core.questionnaire import load_questionnaire

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "programmes.csv"
Q = load_questionnaire()


def _rows() -> list[dict[str, str]]:
    with EXAMPLES.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_examples_load_and_round_trip() -> None:
    rows = _rows()
    assert len(rows) >= 5 and list(rows[0]) == list(COLUMNS)
    for row in rows:
        data = ProgrammeData.from_row(row, Q)
        assert ProgrammeData.from_row(data.to_row(), Q) == data
        assert "example" in data.title_en.lower() and "示例" in data.title_zh


@pytest.mark.parametrize(("change", "message"), [
    ({"code": "Bad Code"}, "code"),
    ({"provider_kind": "bank"}, "provider_kind"),
    ({"recommendations": "world_peace"}, "unknown recommendation"),
    ({"recommendations": ""}, "at least one recommendation"),
    ({"eligibility": "{not json"}, "not JSON"),
    ({"eligibility": '{"question": "nope", "in": ["x"]}'}, "unknown question"),
    ({"eligibility": '{"question": "export_status", "in": ["moon"]}'}, "no option moon"),
    ({"link": "", "contact": ""}, "link or contact"),
    ({"link": "javascript:alert(1)"}, "link"),
    ({"valid_from": "2027-01-01", "valid_to": "2026-01-01"}, "before valid_from"),
    ({"title_zh": ""}, "title_zh"),
])
def test_rules(change: dict[str, Any], message: str) -> None:
    row = {**_rows()[0], **change}
    with pytest.raises(ProgrammeDataError, match=message):
        ProgrammeData.from_row(row, Q)
