"""Row-level exports of assessments: CSV streamed in constant memory, Excel streamed
row by row (survey.core.xlsx).

One row per assessment: the internal id, the wave (name and id) and the month (dates coarsened
to the month), the profile, per area the score, capability, environment, status, gap split,
level and coverages, the credit-constraint class, needs and priorities, then every answer under
its question id (the questions of every questionnaire version, current first). Beside the codes
come labels in the staff member's language, one 0/1 column per option of a multiple choice and
the reason a question's answer is blank (`survey.queries.export_columns` says which). Columns a
row's method did not have (2026.1: status, gap split, credit-constraint class) are empty. Never
the respondent's token, address or user agent; free text only when the caller asks (the view
allows it to admins and audits it).

Rows are read from the database in batches (`yield_per`: a server-side cursor on PostgreSQL,
stepwise fetching on SQLite), so a million-row export holds one batch in memory, not a million.
Text that a spreadsheet would run as a formula (= + - @ tab CR) gets a leading apostrophe in
CSV; numbers are written as numbers, so -5 stays -5.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, func, select

from survey.core import xlsx
from survey.core.spreadsheet import safe_cell
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.queries import export_columns
from survey.queries.codebook import CODEBOOK_HEADER, codebook_rows
from survey.queries.export_columns import (
    FIXED,
    FROM_RESULT,
    MULTI_SEPARATOR,
    LabelsByLanguage,
    Variable,
    answer_columns,
    code_lists,
    csv_header,
    is_blank,
    missing_reasons,
    variables,
)
from survey.queries.filters import Filters

BATCH = 100
"""Rows fetched at a time. Each carries its answers and its scored result as parsed JSON, some
60 KB of Python objects: a batch of 1,000 held ~58 MB at once and took a job's worker from
87 to 158 MB; 100 keeps it near 105 MB and is no slower."""
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1  # one row is the header
_FLUSH_AT = 64 * 1024

A = Assessment
_SOURCES: dict[str, Any] = {
    "response_id": Response.id, "wave": Wave.name, "wave_id": A.wave_id,
    "language": Response.language, "source": Response.source,
}
_FROM_TABLE = tuple(name for name in FIXED if name not in FROM_RESULT)


def neutralise(value: str) -> str:
    """Text a spreadsheet would evaluate becomes inert text (OWASP CSV injection advice)."""
    return str(safe_cell(value))


def has_free_text() -> bool:
    return any(forms[0][1].type == "text"
               for forms in export_columns.question_versions().values())


def header(include_free_text: bool, labels: LabelsByLanguage | None = None) -> list[str]:
    return csv_header(variables(include_free_text, labels))


def _statement(filters: Filters) -> Select[Any]:
    cols: list[Any] = [_SOURCES.get(name, getattr(A, name, None)) for name in _FROM_TABLE]
    assert all(c is not None for c in cols), "every fixed column has a source"
    stmt = (select(*cols, Response.answers, A.result)
            .join(Response, Response.id == A.response_id)
            .outerjoin(Wave, Wave.id == A.wave_id)
            .order_by(A.id))
    return filters.apply(stmt)


def count(filters: Filters) -> int:
    return db.session.scalar(filters.apply(select(func.count()).select_from(A))) or 0


def records(filters: Filters, include_free_text: bool, batch: int | None = None
            ) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Each assessment as (column → value, question → why it is blank), in id order, fetched
    `batch` at a time; never the whole result at once. Multiple choices stay lists here."""
    answer_ids = answer_columns(include_free_text)
    asked = set(export_columns.question_versions())
    stmt = _statement(filters).execution_options(yield_per=batch or BATCH)
    result = db.session.execute(stmt)
    try:
        for row in result:
            values = dict(zip(_FROM_TABLE, row[:-2], strict=True))
            answers, scored = row[-2] or {}, row[-1] or {}
            values["is_demo"] = 1 if values["is_demo"] else 0
            # 2027.1 asks a head count, stored as text beside 2026.1's band codes: a number.
            employees = values["employees"]
            if isinstance(employees, str) and employees.isdigit():
                values["employees"] = int(employees)
            for name, (area, key) in FROM_RESULT.items():
                values[name] = (scored.get("areas") or {}).get(area, {}).get(key)
            for qid in answer_ids:
                value = answers.get(qid)
                values[qid] = str(value).lower() if isinstance(value, bool) else value
            blank = [name for name in (*FIXED, *answer_ids)
                     if name in asked and is_blank(values.get(name))]
            yield values, missing_reasons(values["questionnaire_version"], answers, blank)
    finally:
        result.close()


def _cells(v: Variable, value: Any, reason: str | None, lang: str) -> list[Any]:
    """The CSV cells of one variable: code, label, option flags, reason (as present)."""
    chosen = value if isinstance(value, list) else None
    out: list[Any] = [MULTI_SEPARATOR.join(str(c) for c in chosen) if chosen is not None
                      else value]
    if v.labelled:
        codes = chosen if chosen is not None else ([] if is_blank(value) else [value])
        out.append(MULTI_SEPARATOR.join(v.label(str(c), lang) for c in codes))
    if v.kind == "multi":
        picked = set(chosen or ())
        out.extend(None if is_blank(value) else int(code in picked) for code in v.codes)
    if v.question is not None:
        out.append(reason)
    return out


def rows(filters: Filters, include_free_text: bool, batch: int | None = None, lang: str = "en",
         labels: LabelsByLanguage | None = None) -> Iterator[list[Any]]:
    """The CSV and workbook rows, in the order of `header`, labels in `lang`."""
    cols = variables(include_free_text, labels)
    for values, reasons in records(filters, include_free_text, batch):
        row: list[Any] = []
        for v in cols:
            row.extend(_cells(v, values.get(v.name), reasons.get(v.name), lang))
        yield row


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, str):
        # A letter or digit first (codes, most labels) can never start a formula.
        return value if value[:1].isalnum() else neutralise(value)
    return value


def csv_chunks(head: Sequence[str], body: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel on Chinese Windows reads it right), CRLF, ~64 KB chunks."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(head)
    for row in body:
        writer.writerow([_csv_cell(v) for v in row])
        if buf.tell() >= _FLUSH_AT:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


# --- Excel ------------------------------------------------------------------------------

def write_xlsx(path: str, head: Sequence[str], body: Iterable[Sequence[Any]], lang: str,
               labels: LabelsByLanguage | None = None) -> int:
    """Write the workbook (rows streamed in order, survey.core.xlsx); returns the data rows."""
    with xlsx.Workbook(path) as wb:
        n = wb.add_sheet("assessments", head, body, freeze=True)
        wb.add_sheet("codebook", CODEBOOK_HEADER, codebook_rows(lang, labels))
    return n


def xlsx_tempfile(head: Sequence[str], body: Iterable[Sequence[Any]], lang: str,
                  labels: LabelsByLanguage | None = None) -> str:
    """The workbook in a temporary file; the caller streams it and removes it."""
    fd, path = tempfile.mkstemp(prefix="survey-export-", suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(path, head, body, lang, labels)
    except BaseException:
        os.unlink(path)
        raise
    return path


def remove_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def file_chunks(path: str, size: int = 256 * 1024) -> Iterator[bytes]:
    """Stream a temporary file and delete it, even when the client goes away mid-download."""
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(size):
                yield chunk
    finally:
        remove_quietly(path)


__all__ = ["CODEBOOK_HEADER", "code_lists", "FIXED", "codebook_rows", "header", "rows"]
