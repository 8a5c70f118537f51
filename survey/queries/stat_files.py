"""The export as a Stata (.dta) or SPSS (.sav) file, with variable and value labels.

The same variables as the CSV (`survey.queries.export_columns`), minus its label and
`_missing` columns: the files carry numeric codes with value labels in the staff member's
language, and a blank answer's reason as a missing value — Stata's extended missing values
`.a` not asked, `.b` not answered, `.c` don't know, `.d` does not apply; SPSS's user-missing
values -1 … -4 (one declared range) with the same labels. Names longer than Stata allows are
shortened the same way in both files (`stat_name`; the codebook lists them).

pyreadstat writes a whole data frame, so the rows are held in memory while the file is
written (about 290 columns): at `STAT_MAX_ROWS` a Stata file peaks at some 125 MB more than the
process held before and takes about 9 s, an SPSS file some 65 MB and 6 s (measured on
questionnaire 2027.1's answers). Beyond it the view offers the CSV, which streams.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pandas and pyreadstat load when a file is written, not with the app
    import pandas as pd
    from pyreadstat.pyclasses import MissingRange

from survey.queries.export_columns import (
    MISSING,
    MISSING_REASONS,
    MULTI_SEPARATOR,
    STAT_MAX_LABEL_SETS,
    CodeLabels,
    LabelsByLanguage,
    Variable,
    is_blank,
    stat_name,
)

STAT_MAX_ROWS = 20_000
STATA_LABEL_MAX = 80
STATA_VERSION = 14
"""Stata 14's format (118): Unicode text, and read by every Stata since."""
FILE_LABEL = "SME Digital Readiness Survey: assessments"
Format = Literal["dta", "sav"]
def spss_missing_range() -> MissingRange:
    """One range for every reason, so "-1 to -4 are missing" holds for every SPSS variable."""
    from pyreadstat.pyclasses import MissingRange

    return MissingRange(lo=float(min(spss for _, spss in MISSING.values())),
                        hi=float(max(spss for _, spss in MISSING.values())))


def _code(v: Variable, value: Any, reason: str | None, fmt: Format) -> Any:
    """A cell's number, or the missing value that says why there is none. Codes stay small
    ints (Python shares those objects), so a column of them costs a pointer a cell."""
    why = reason
    if not is_blank(value):
        code = str(value)
        if code in v.skips:
            why = v.skips[code]
        elif v.kind == "number" or not v.codes:
            return float(value) if isinstance(value, int | float) else None
        else:
            return v.numeric.get(code)
    if why is None:
        return None
    stata, spss = MISSING[why]
    return stata if fmt == "dta" else spss


def _missing_labels(fmt: Format, words: CodeLabels, kinds: Iterable[str]) -> dict[Any, str]:
    out: dict[Any, str] = {}
    for kind in kinds:
        stata, spss = MISSING[kind]
        out[stata if fmt == "dta" else float(spss)] = str(words.get("missing", {}).get(kind, kind))
    return out


class _Columns:
    """The frame's columns, filled row by row, and their labels."""

    def __init__(self, variables: list[Variable], fmt: Format, lang: str,
                 texts: Mapping[str, str], labels: LabelsByLanguage) -> None:
        self.variables, self.fmt, self.lang = variables, fmt, lang
        self.words: CodeLabels = labels.get(lang, {})
        self.data: dict[str, list[Any]] = {}
        self.labels: dict[str, str | None] = {}
        self.values: dict[str, dict[Any, str]] = {}
        self.missing: dict[str, list[str]] = {}
        self.ranges: dict[str, list[int | float | str | MissingRange]] = {}
        for v in variables:
            text = texts.get(v.name, "")
            self._declare(v, stat_name(v.name), v.name if not text else f"{v.name}: {text}")
            if v.kind == "multi":
                for code in v.codes:
                    self._declare(v, stat_name(v.option_column(code)),
                                  f"{v.option_column(code)}: {v.label(code, lang)}", flag=True)

    def _declare(self, v: Variable, name: str, label: str, flag: bool = False) -> None:
        self.data[name] = []
        self.labels[name] = label[:STATA_LABEL_MAX] if self.fmt == "dta" else label
        if v.kind == "string" or (v.kind == "multi" and not flag):
            return
        kinds = [*(MISSING_REASONS if v.question is not None else ()),
                 *(sorted(set(v.skips.values())) if not flag else ())]
        flags = self.words.get("flag", {})
        values: dict[Any, str] = (
            {float(n): str(flags.get(str(n), n)) for n in (0, 1)} if flag
            else {float(v.numeric[c]): v.label(c, self.lang) or c
                  for c in v.codes if c not in v.skips and c in v.numeric})
        values.update(_missing_labels(self.fmt, self.words, kinds))
        if values:
            self.values[name] = values
        if kinds and self.fmt == "dta":
            self.missing[name] = [MISSING[k][0] for k in kinds]
        elif kinds:
            self.ranges[name] = [spss_missing_range()]

    def add(self, values: Mapping[str, Any], reasons: Mapping[str, str]) -> None:
        for v in self.variables:
            value, reason = values.get(v.name), reasons.get(v.name)
            name = stat_name(v.name)
            if v.kind == "string":
                self.data[name].append("" if is_blank(value) else str(value))
            elif v.kind == "multi":
                chosen = value if isinstance(value, list) else []
                self.data[name].append(MULTI_SEPARATOR.join(str(c) for c in chosen))
                for code in v.codes:
                    flag = None if is_blank(value) else int(code in chosen)
                    self.data[stat_name(v.option_column(code))].append(
                        flag if flag is not None else _code(v, None, reason, self.fmt))
            else:
                self.data[name].append(_code(v, value, reason, self.fmt))

    def frame(self) -> pd.DataFrame:
        """The data frame, each column converted in turn and its list freed, so the rows are
        held twice for one column at most."""
        import pandas as pd

        assert len(self.values) < STAT_MAX_LABEL_SETS, "stat_name leaves room for 3 digits"
        numeric = {*self.values, *self.ranges}
        series: dict[str, pd.Series] = {}
        for name in list(self.data):
            cells = self.data.pop(name)
            if name in self.missing:  # Stata: numbers and the letters of missing values
                series[name] = pd.Series([float(c) if isinstance(c, int) else c for c in cells],
                                         dtype=object)
            elif name in numeric or _all_numbers(cells):
                series[name] = pd.Series(cells, dtype=float)
            else:
                series[name] = pd.Series(cells, dtype=object)
        return pd.DataFrame(series, copy=False)


def _all_numbers(cells: list[Any]) -> bool:
    return all(c is None or isinstance(c, int | float) for c in cells)


def write(path: str, fmt: Format, variables: list[Variable],
          records: Iterable[tuple[Mapping[str, Any], Mapping[str, str]]], lang: str,
          texts: Mapping[str, str], labels: LabelsByLanguage) -> int:
    """Write the file at `path`; `texts` are the variable labels by column, `labels` the code
    families' words (the reasons for missing values and the option flags among them). Returns
    the rows written."""
    cols = _Columns(variables, fmt, lang, texts, labels)
    n = 0
    for values, reasons in records:
        cols.add(values, reasons)
        n += 1
    frame = cols.frame()
    import pyreadstat

    if fmt == "dta":
        pyreadstat.write_dta(frame, path, file_label=FILE_LABEL, version=STATA_VERSION,
                             column_labels=cols.labels,
                             variable_value_labels=cols.values,
                             missing_user_values=cols.missing)
    else:
        pyreadstat.write_sav(frame, path, file_label=FILE_LABEL, column_labels=cols.labels,
                             variable_value_labels=cols.values, missing_ranges=cols.ranges)
    return n


def stat_tempfile(fmt: Format, variables: list[Variable],
                  records: Iterable[tuple[Mapping[str, Any], Mapping[str, str]]], lang: str,
                  texts: Mapping[str, str], labels: LabelsByLanguage) -> str:
    """The file in a temporary file; the caller streams it and removes it."""
    fd, path = tempfile.mkstemp(prefix="survey-export-", suffix=f".{fmt}")
    os.close(fd)
    try:
        write(path, fmt, variables, records, lang, texts, labels)
    except BaseException:
        os.unlink(path)
        raise
    return path
