"""A streaming .xlsx writer for tables: rows go straight into the zipped sheet (pure, stdlib).

An export's workbook is one wide table (some 520 columns) of up to a million rows, written in
order and never revisited. A general-purpose writer (XlsxWriter, even in its constant-memory
mode) spends about 7 µs on a cell — an hour and more for a million rows — passing each through
checks and formats the exports never use. This writes each row as one piece of SpreadsheetML:
numbers as numbers, text as inline strings (no shared-string table, so memory stays flat), a
bold header row, optionally the first row and column frozen.

What Excel needs of the text is kept: XML's special characters escaped, control characters
(which XML 1.0 cannot carry) written as Excel's `_xHHHH_` escapes (and a literal `_xHHHH_`
protected, so it reads back as itself), leading or trailing spaces preserved, and a cell cut
at Excel's 32,767 characters. A value is never a formula: there is no way to write one here.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import quoteattr

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED = re.compile(r"(_x[0-9A-Fa-f]{4}_)")


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    """A string as the content of an inline string's <t>."""
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    if _SPECIAL.search(value) is not None:
        value = _ESCAPED.sub(r"_x005F\1", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def _cell(ref: str, value: Any, style: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{ref}: a workbook cannot hold {value!r}")
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = value if isinstance(value, str) else str(value)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(text)}</t></is></c>'


class Workbook:
    """Sheets written one after another into `path`; `close` adds the workbook's parts.

    Rows are sequences of None/"" (an empty cell), bool, int, float or str (anything else is
    written as its str)."""

    def __init__(self, path: str, compresslevel: int = 1) -> None:
        # Level 1: the XML of a million rows is gigabytes, and deflating it harder cost more
        # time than it saved in size.
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[str] = []

    def add_sheet(self, name: str, head: Sequence[str], body: Iterable[Sequence[Any]],
                  freeze: bool = False) -> int:
        """Write a sheet: a bold header row, then `body`; returns the body's rows."""
        if not name:
            raise ValueError("a sheet needs a name")
        if len(head) > MAX_COLUMNS:
            raise ValueError(f"a sheet holds at most {MAX_COLUMNS} columns")
        self._sheets.append(name[:31])
        part = f"xl/worksheets/sheet{len(self._sheets)}.xml"
        with self._zip.open(part, "w", force_zip64=True) as raw:
            return _write_sheet(raw, head, body, freeze)

    def close(self) -> None:
        z = self._zip
        sheets = range(1, len(self._sheets) + 1)
        z.writestr("[Content_Types].xml", _HEAD + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="'
                      'application/vnd.openxmlformats-officedocument.spreadsheetml.'
                      'worksheet+xml"/>' for i in sheets)
            + "</Types>"))
        z.writestr("_rels/.rels", _HEAD + (
            f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", _HEAD + (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
            "</bookViews><sheets>"
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in zip(sheets, self._sheets, strict=True))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", _HEAD + (
            f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in sheets)
            + f'<Relationship Id="rId{len(self._sheets) + 1}" Type="{_REL}/styles" '
              'Target="styles.xml"/></Relationships>'))
        z.writestr("xl/styles.xml", _HEAD + (
            f'<styleSheet xmlns="{_MAIN}">'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"))
        z.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_FLUSH_AT = 256 * 1024


def _write_sheet(raw: IO[bytes], head: Sequence[str], body: Iterable[Sequence[Any]],
                 freeze: bool) -> int:
    letters = [column_letters(i) for i in range(len(head))]
    view = ('<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" '
            'state="frozen"/><selection pane="bottomRight"/>') if freeze else ""
    out = [_HEAD, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
           f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>',
           '<sheetData><row r="1">',
           *(c for i, h in enumerate(head) if (c := _cell(f"{letters[i]}1", h, ' s="1"'))),
           "</row>"]
    size = 0
    n = 0
    limit = MAX_TEXT
    for n, row in enumerate(body, start=1):
        if n >= MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS - 1} rows under its header")
        r = str(n + 1)
        parts = [f'<row r="{r}">']
        # The common cells inline (a million rows of 520 columns pass through here): printable
        # text with nothing to escape or preserve, and integers. Anything else, through
        # `_cell`.
        for i, v in enumerate(row):
            t = type(v)
            if t is str:
                if not v:
                    continue
                if (len(v) <= limit and v.isprintable() and v[0] != " " and v[-1] != " "
                        and "&" not in v and "<" not in v and ">" not in v and "_x" not in v):
                    parts.append(f'<c r="{letters[i]}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
                    continue
            elif t is int:
                parts.append(f'<c r="{letters[i]}{r}"><v>{v}</v></c>')
                continue
            elif v is None:
                continue
            if (c := _cell(letters[i] + r, v, "")) is not None:
                parts.append(c)
        parts.append("</row>")
        piece = "".join(parts)
        out.append(piece)
        size += len(piece)
        if size >= _FLUSH_AT:
            raw.write("".join(out).encode("utf-8"))
            out.clear()
            size = 0
    out.append("</sheetData></worksheet>")
    raw.write("".join(out).encode("utf-8"))
    return n
