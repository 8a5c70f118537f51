"""Formula injection in exports: every way a cell can start like a formula is neutralised."""

from __future__ import annotations

import pytest

from survey.core.spreadsheet import safe_cell


@pytest.mark.parametrize("text", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
    "＝HYPERLINK(\"http://x\",\"y\")", "＋1", "－1", "＠SUM(A1)",  # full-width
    "﹦1", "﹢1", "﹣1", "﹫1",  # small forms
    " =1", "\u3000＝1",  # after a space or an ideographic space
])
def test_formula_leaders_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Shanghai", "5", "", " ", "＄5", "（1）", "“=”", 5, -5, 1.5,
                                   None])
def test_other_values_are_kept(value: object) -> None:
    assert safe_cell(value) == value
