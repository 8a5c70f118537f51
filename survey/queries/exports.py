"""Row-level exports of assessments: CSV streamed in constant memory, Excel via XlsxWriter.

One row per assessment: the internal id, the wave and the month (dates coarsened to the month),
the profile, per area the score, capability, environment, status and gap split, the credit-
constraint class, needs and priorities, then every answer under its question id (the questions
of every questionnaire version, current first). Columns a row's method did not have (2026.1:
status, gap split, credit-constraint class) are empty. Never the respondent's token, address
or user agent; free text only when the caller asks (the view allows it to admins and audits
it).

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import xlsxwriter
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from survey.core.profile import REGIONS, SIZE_CLASSES
from survey.core.questionnaire import Question, available_versions, load_questionnaire
from survey.core.questionnaire.schema import AREAS, CREDIT_CLASSES, RECOMMENDATIONS, Option
from survey.core.results import AREA_STATUSES, GAP_SPLITS
from survey.core.scoring import PRIORITIES_2027
from survey.core.spreadsheet import safe_cell
from survey.extensions import db
from survey.models import Assessment, Response, Wave
from survey.queries.filters import Filters

BATCH = 1000
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1  # one row is the header
MULTI_SEPARATOR = ";"
_FLUSH_AT = 64 * 1024

A = Assessment
PROFILE = ("industry", "employees", "revenue", "revenue_band", "assets_band", "size_class",
           "province", "region", "ownership", "export_status")
AREA_COLUMNS: tuple[str, ...] = ("score", "capability", "env", "status", "gap")
FIXED: tuple[str, ...] = (
    "response_id", "wave", "month", "is_demo", "questionnaire_version", "method_version",
    "language", "source", "duration_seconds", *PROFILE, "overall_score", "overall_level",
    *(f"{area}_{kind}" for area in AREAS for kind in AREA_COLUMNS),
    "credit_constraint",
    *(f"need_{rec}" for rec in RECOMMENDATIONS),
    *(f"priority_{rec}" for rec in RECOMMENDATIONS),
)
CODE_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "size_class": ("size", SIZE_CLASSES), "region": ("region", REGIONS),
    **{f"{area}_status": ("area_status", AREA_STATUSES) for area in AREAS},
    **{f"{area}_gap": ("gap", GAP_SPLITS) for area in AREAS},
    "credit_constraint": ("credit", CREDIT_CLASSES),
    **{f"priority_{rec}": ("priority", PRIORITIES_2027) for rec in RECOMMENDATIONS},
}
"""The derived columns that hold codes: their label family (survey.web.labels) and codes."""
_SOURCES: dict[str, Any] = {
    "response_id": Response.id, "wave": Wave.name, "language": Response.language,
    "source": Response.source,
}


def neutralise(value: str) -> str:
    """Text a spreadsheet would evaluate becomes inert text (OWASP CSV injection advice)."""
    return str(safe_cell(value))


def _versions() -> list[str]:
    """Every questionnaire version, the current one first."""
    current = load_questionnaire().version
    return [current, *(v for v in available_versions() if v != current)]


def all_questions() -> list[Question]:
    """Questions of every questionnaire version, current first, each id once."""
    seen: dict[str, Question] = {}
    for version in _versions():
        for qid, question in load_questionnaire(version).questions.items():
            seen.setdefault(qid, question)
    return list(seen.values())


def question_versions() -> dict[str, list[tuple[str, Question]]]:
    """Each question id with every version that asks it (current first) and its form there:
    an id may carry other options in another version (2026.1's export statuses)."""
    out: dict[str, list[tuple[str, Question]]] = {}
    for version in _versions():
        for qid, question in load_questionnaire(version).questions.items():
            out.setdefault(qid, []).append((version, question))
    return out


def answer_columns(include_free_text: bool) -> list[str]:
    return [q.id for q in all_questions()
            if q.id not in FIXED and (include_free_text or q.type != "text")]


def has_free_text() -> bool:
    return any(q.type == "text" for q in all_questions())


def header(include_free_text: bool) -> list[str]:
    return [*FIXED, *answer_columns(include_free_text)]


def _statement(filters: Filters) -> Select[Any]:
    cols: list[Any] = [_SOURCES.get(name, getattr(A, name, None)) for name in FIXED]
    assert all(c is not None for c in cols), "every fixed column has a source"
    stmt = (select(*cols, Response.answers)
            .join(Response, Response.id == A.response_id)
            .outerjoin(Wave, Wave.id == A.wave_id)
            .order_by(A.id))
    return filters.apply(stmt)


def count(filters: Filters) -> int:
    return db.session.scalar(filters.apply(select(func.count()).select_from(A))) or 0


def _answer_cell(value: Any) -> Any:
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return value


def rows(filters: Filters, include_free_text: bool, batch: int | None = None
         ) -> Iterator[list[Any]]:
    """Export rows in id order, fetched `batch` at a time; never the whole result at once."""
    answer_ids = answer_columns(include_free_text)
    demo, employees = FIXED.index("is_demo"), FIXED.index("employees")
    stmt = _statement(filters).execution_options(yield_per=batch or BATCH)
    result = db.session.execute(stmt)
    try:
        for row in result:
            fixed = list(row[:-1])
            fixed[demo] = 1 if fixed[demo] else 0
            # 2027.1 asks a head count, stored as text beside 2026.1's band codes: a number.
            if isinstance(fixed[employees], str) and fixed[employees].isdigit():
                fixed[employees] = int(fixed[employees])
            answers = row[-1] or {}
            yield fixed + [_answer_cell(answers.get(qid)) for qid in answer_ids]
    finally:
        result.close()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, str):
        return neutralise(value)
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


# --- codebook ---------------------------------------------------------------------------

CODEBOOK_HEADER = (
    "column", "section", "type", "area", "root_cause", "weight", "recommendations",
    "full_credit", "text", "option_value", "option_label", "option_points", "option_kind",
    "exclusive", "versions",
)
CodeLabels = Mapping[str, Mapping[str, Any]]
"""Labels of the derived code lists, by family ("credit" → {"no_need": "…"}); the staff view
passes survey.web.labels' (this layer cannot import the web's)."""


def _fixed_descriptions() -> dict[str, str]:
    d = {
        "response_id": _("Internal id of the response (not the respondent's private token)."),
        "wave": _("Survey wave holding the submission date."),
        "month": _("Month of submission (YYYY-MM), in the survey's time zone."),
        "is_demo": _("1 for synthetic demo data, 0 for real responses."),
        "questionnaire_version": _("Questionnaire version answered."),
        "method_version": _("Scoring method version of the scores."),
        "language": _("Language the questionnaire was answered in."),
        "source": _("How the response arrived (web, api, demo)."),
        "duration_seconds": _("Seconds from the first page to submission."),
        "size_class": _("Size class derived by the national SME size standard from industry, "
                        "employees, revenue and, where the standard needs them, total assets."),
        "region": _("Region derived from the province."),
        "overall_score": _("Overall score 0–100: the mean of the area scores that apply "
                           "(method 2026.1: of all three)."),
        "overall_level": _("Maturity level of the overall score."),
        "credit_constraint": _("Credit-constraint class (World Bank Enterprise Surveys), from "
                               "method 2027.1; empty for earlier assessments."),
    }
    for area in AREAS:
        d[f"{area}_score"] = _("Score 0–100 of area %(area)s: method 2027.1 over its applicable "
                               "internal and external questions, 2026.1 over internal "
                               "questions only; empty when too few were answered or the area "
                               "does not apply.", area=area)
        d[f"{area}_capability"] = _("Capability 0–100 of area %(area)s (internal questions).",
                                    area=area)
        d[f"{area}_env"] = _("Environment score 0–100 of area %(area)s (external questions).",
                             area=area)
        d[f"{area}_status"] = _("Status of area %(area)s: scored, insufficient (too few "
                                "answers) or not_applicable (none of its questions applies); "
                                "from method 2027.1.", area=area)
        d[f"{area}_gap"] = _("Where the gap of area %(area)s comes from: mostly_external, "
                             "mixed or mostly_internal; empty when not scored or without a "
                             "gap; from method 2027.1.", area=area)
    for rec in RECOMMENDATIONS:
        d[f"need_{rec}"] = _("Need 0–100 for recommendation %(rec)s.", rec=rec)
        d[f"priority_{rec}"] = _("Priority (high, medium, low, unknown; not_applicable from "
                                 "method 2027.1) for recommendation %(rec)s.", rec=rec)
    return d


def _option_row(base: list[Any], o: Option, lang: str, versions: list[str]) -> list[Any]:
    return [*base, o.value, o.label.get(lang), o.points if o.points is not None else "",
            o.kind or "", 1 if o.exclusive else "", " ".join(versions)]


def codebook_rows(lang: str, labels: CodeLabels | None = None) -> Iterator[list[Any]]:
    """One row per derived column (and per code of those holding codes), per question, and
    per option, in the staff's language; `versions` says which questionnaire versions have
    the question or option (a question asked with other options in another version lists
    the options of every version)."""
    descriptions = _fixed_descriptions()
    labels = labels or {}
    asked = question_versions()
    for name in FIXED:
        if name in asked:
            continue
        head: list[Any] = [name, "", "derived", "", "", "", "", "", descriptions.get(name, "")]
        family, codes = CODE_LISTS.get(name, ("", ()))
        if not codes:
            yield [*head, "", "", "", "", "", ""]
        for code in codes:
            label = labels.get(family, {}).get(code)
            yield [*head, code, "" if label is None else str(label), "", "", "", ""]
    for forms in asked.values():
        q = forms[0][1]
        base: list[Any] = [
            q.id, q.section, q.type, q.area or "", q.root_cause or "",
            q.weight if q.scored else "", MULTI_SEPARATOR.join(q.recommendations),
            q.full_credit if q.full_credit is not None else "", q.text.get(lang)]
        options: dict[str, tuple[Option, list[str]]] = {}
        for version, form in forms:
            for o in form.options:
                options.setdefault(o.value, (o, []))[1].append(version)
        if not options:
            yield [*base, "", "", "", "", "", " ".join(v for v, _ in forms)]
        for option, versions in options.values():
            yield _option_row(base, option, lang, versions)


# --- Excel ------------------------------------------------------------------------------

WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                    "strings_to_urls": False, "strings_to_numbers": False}


def _write_sheet(ws: Any, head: Sequence[str], body: Iterable[Sequence[Any]], bold: Any) -> int:
    ws.write_row(0, 0, head, bold)
    n = 0
    for r, row in enumerate(body, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_number(r, c, int(value))
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
        n = r
    return n


def write_xlsx(path: str, head: Sequence[str], body: Iterable[Sequence[Any]], lang: str,
               labels: CodeLabels | None = None) -> int:
    """Write the workbook (rows in order: constant-memory mode); returns the data rows."""
    wb = xlsxwriter.Workbook(path, {**WORKBOOK_OPTIONS, "tmpdir": os.path.dirname(path)})
    try:
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("assessments")
        ws.freeze_panes(1, 1)
        n = _write_sheet(ws, head, body, bold)
        _write_sheet(wb.add_worksheet("codebook"), CODEBOOK_HEADER,
                     codebook_rows(lang, labels), bold)
    finally:
        wb.close()
    return n


def xlsx_tempfile(head: Sequence[str], body: Iterable[Sequence[Any]], lang: str,
                  labels: CodeLabels | None = None) -> str:
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
