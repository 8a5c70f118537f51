"""The pre-aggregated tables: what the staff pages and the API read instead of every assessment.

Each is a sum over the assessments (or responses), kept in step in the transaction of every
write to them (survey.services.cells, survey.services.starts) and rebuildable from them
(`flask cells rebuild`), so a reader's cost follows the number of cells, not of firms. Like the
models, they describe data only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Float, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.core import cells
from survey.extensions import Model

_DIMENSION_TYPES: dict[str, Any] = {
    "wave_id": Integer, "month": String(7), "industry": String(40), "size_class": String(10),
    "region": String(12), "export_status": String(24), "questionnaire_version": String(20),
    "method_version": String(20), "is_demo": Boolean,
}



def _cells_table(grain: str) -> Table:
    name = cells.table_name(grain)
    dims = cells.GRAINS[grain]
    return Table(
        name, Model.metadata,
        Column("id", Integer, primary_key=True),
        *(Column(d, _DIMENSION_TYPES[d], nullable=False) for d in dims),
        *(Column(m.name, BigInteger if m.kind == "count" else Float, nullable=False)
          for m in cells.MEASURES),
        UniqueConstraint(*dims, name=f"uq_{name}_key"),
    )


CELL_TABLES: dict[str, Table] = {grain: _cells_table(grain) for grain in cells.GRAINS}
"""The assessments pre-aggregated at each grain (survey.core.cells): kept in step by
survey.services.cells in the transaction of every write to `assessments`, read by the
dashboard, the brief and the statistics API. A key column holds `cells.NO_WAVE` / `NO_VALUE`
where the assessment has none."""

SCORE_COUNTS = Table(
    "score_counts", Model.metadata,
    Column("method_version", String(20), primary_key=True),
    Column("industry", String(40), primary_key=True),
    Column("size_class", String(10), primary_key=True),
    Column("metric", String(24), primary_key=True),
    Column("score", Float, primary_key=True),
    Column("n", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
"""How many real assessments of each method, industry and size class hold each value of each
score (survey.queries.score_counts): the peer benchmark's ranks and medians read these few
thousand rows instead of sorting the peer group; on SQLite a WITHOUT ROWID table, so a group's
rows lie together in key order. Kept in step with the cells, by the same writes; `industry` /
`size_class` hold `cells.NO_VALUE` where the assessment has none."""


class ResponseStart(Model):
    """Web responses by the UTC day they began, demo or not, and status: what the dashboard's
    drop-out among starters counts, pre-aggregated so a page view reads a few hundred rows
    instead of every response. Kept in step by survey.services.starts in the transaction of
    every write that makes, submits or deletes a response; a key with no responses has no row.
    """

    __tablename__ = "response_starts"
    started_on: Mapped[dt.date] = mapped_column(primary_key=True)
    is_demo: Mapped[bool] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int]
