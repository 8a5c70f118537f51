"""How SQL reads one answer a firm gave: the one home of the expressions the item indicators
(survey.queries.indicator_sql) and the cells (survey.queries.cells) both count with.

Answers are JSON in `responses.answers`; SQLAlchemy's JSON indexing renders `JSON_EXTRACT` on
SQLite and `->>` / `->` on PostgreSQL, so one expression serves both. A multi-select answer is
a JSON array of option codes, matched as the quoted code inside the array's text (codes are
plain identifiers, and LIKE's wildcards are escaped). A source "column:<name>" is a column the
assessment stores (the credit-constraint class, an area's gap split).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, cast
from sqlalchemy.sql.elements import ColumnElement

from survey.core.item_indicators import COLUMN_PREFIX
from survey.models import Assessment, Response


def reading(source: str, multi: bool, answers: Any = Response.answers) -> Any:
    """The value a source reads: a stored column, an answer's text (single choice), or a
    multi-select's JSON array as text. `answers` is the column the answers are read from
    (the cells read them as JSONB on PostgreSQL)."""
    if source.startswith(COLUMN_PREFIX):
        return getattr(Assessment, source.removeprefix(COLUMN_PREFIX))
    if multi:
        return cast(answers[source], String)
    return answers[source].as_string()


def listed(value: Any) -> ColumnElement[bool]:
    """A multi-select answered: a JSON array with at least one code in it."""
    return and_(value.startswith("["), value.contains('"'))


def ticked(value: Any, option: str) -> ColumnElement[bool]:
    return value.contains(f'"{option}"', autoescape=True)  # type: ignore[no-any-return]
