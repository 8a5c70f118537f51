"""The streaming workbook writer, read back by a real reader (openpyxl)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core import xlsx


def excel_text(value: Any) -> Any:
    """A cell's text as Excel shows it: openpyxl leaves the `_xHHHH_` escapes that Excel
    decodes."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _write(path: Path, head: list[str], rows: list[list[Any]], freeze: bool = True) -> int:
    with xlsx.Workbook(str(path)) as wb:
        n = wb.add_sheet("assessments", head, rows, freeze=freeze)
        wb.add_sheet("codebook", ["variable", "label"], [["a", "甲"]])
    return n


def test_column_letters() -> None:
    assert [xlsx.column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def test_a_reader_gets_the_values_their_types_and_the_layout(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    rows: list[list[Any]] = [
        [1, "制造业", 55.5, None, True, "", -5],
        [2, "=HYPERLINK(\"http://x\")", 0.1, "a & b < c > d", False, " padded ", 10**12],
        [3, "line\nbreak", 1e-7, "tab\there", None, "_x0041_", 2.5],
    ]
    head = ["id", "industry", "score", "note", "flag", "text", "n"]
    assert _write(path, head, rows) == 3
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["assessments", "codebook"]
    ws = wb["assessments"]
    got = [[excel_text(c.value) for c in row] for row in ws.iter_rows()]
    assert got[0] == head
    assert got[1] == [1, "制造业", 55.5, None, 1, None, -5]
    assert got[2] == [2, "=HYPERLINK(\"http://x\")", 0.1, "a & b < c > d", 0, " padded ",
                      10**12]
    assert got[3] == [3, "line\nbreak", 1e-7, "tab\there", None, "_x0041_", 2.5]
    assert ws["B3"].data_type == "s"  # text that looks like a formula stays text
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "B2"
    assert wb["codebook"]["B2"].value == "甲"
    assert wb["codebook"].freeze_panes is None


def test_every_part_is_well_formed_xml(tmp_path: Path) -> None:
    """Control characters, which XML 1.0 cannot carry, are written as Excel's escapes."""
    path = tmp_path / "x.xlsx"
    _write(path, ["a"], [["<&>"], ["bell\x07here\x00"]])
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<t>bell_x0007_here_x0000_</t>" in sheet


def test_text_is_cut_at_excels_limit(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    _write(path, ["a"], [["x" * (xlsx.MAX_TEXT + 10)]])
    assert len(openpyxl.load_workbook(path)["assessments"]["A2"].value) == xlsx.MAX_TEXT


def test_numbers_a_workbook_cannot_hold_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot hold"):
        _write(tmp_path / "x.xlsx", ["a"], [[float("nan")]])


def test_an_empty_body_leaves_the_header(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    assert _write(path, ["a", "b"], []) == 0
    assert [[c.value for c in r] for r in openpyxl.load_workbook(path)["assessments"]
            .iter_rows()] == [["a", "b"]]


CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=6))
def test_any_table_reads_back_as_written(tmp_path_factory: pytest.TempPathFactory,
                                         rows: list[list[Any]]) -> None:
    path = tmp_path_factory.mktemp("x") / "x.xlsx"
    _write(path, ["a", "b", "c"], rows)
    got = [[excel_text(c.value) for c in r] for r in
           openpyxl.load_workbook(path)["assessments"].iter_rows(min_row=2, max_col=3)]

    def expected(v: Any) -> Any:
        if v is None or v == "":
            return None
        return int(v) if isinstance(v, bool) else v

    want = [[expected(v) for v in row] for row in rows]
    # A reader drops trailing rows with no cells at all.
    while want and all(v is None for v in want[-1]):
        want.pop()
    assert got[:len(want)] == want
