"""The credit-constraint chart: shares of each class, for every SME and by size class (pure).

The input is survey.queries.credit.CreditConstraint (read by attribute): a total and one group
per size class, each hidden or with its n and a share per class. Shares are among SMEs with a
class (method 2027.1), which the chart's note says, with how many of the selection have none.
"""

from __future__ import annotations

from typing import Any

from survey.core.charts.figures import (
    TOTAL_ID,
    Labels,
    Names,
    bar,
    figure,
    fmt_int,
    fmt_share,
    hidden_text,
    layout,
    name,
    wrap,
)
from survey.core.charts.palette import ALL_COLOUR, NOT_STATED_COLOUR, SIZE_COLOURS
from survey.core.charts.tables import (
    SHARE_AXIS,
    Chart,
    Column,
    Table,
    axis_layout,
    empty_chart,
    n_label,
    notes,
    share_cols,
    share_values,
)
from survey.core.questionnaire.schema import CREDIT_CLASSES


def credit_constraint(credit: Any, labels: Labels, names: Names, k: int) -> Chart:
    title = labels["title.credit_constraint"]
    cols = (Column("size", labels["axis.size"], "key:size"),
            Column("credit_class", labels["col.credit_class"], "key:credit"),
            *share_cols(labels))
    total = credit.total
    if total.hidden or not total.n:
        chart = empty_chart("credit_constraint", title, total.n, labels, k, cols, total.hidden)
        if total.hidden:
            return chart
        return Chart(chart.id, title, total.n, None, labels["empty_credit"], chart.table)
    groups = [(TOTAL_ID, total), *((g.key, g) for g in credit.by_size)]
    cats = [wrap(name(names, "credit", cls, labels), 16) for cls in CREDIT_CLASSES]
    data, rows = [], []
    for key, g in groups:
        group_name = name(names, "size", key, labels)
        shares = [None if g.hidden else g.shares.get(cls) for cls in CREDIT_CLASSES]
        label = (f"{group_name}: {hidden_text(labels, k)}" if g.hidden
                 else f"{group_name} ({n_label(labels, g.n)})")
        data.append(bar(label, cats, [s.value if s else None for s in shares],
                        [s.interval if s else None for s in shares],
                        [bool(s and s.low_precision) for s in shares], _group_colour(key),
                        scale=100, texts=[fmt_share(s) if s else "" for s in shares]))
        rows += [{"size": key if key is not None else "", "credit_class": cls,
                  **share_values(s, g.hidden)} for cls, s in zip(CREDIT_CLASSES, shares,
                                                                 strict=True)]
    items = [f"{name(names, 'credit', cls, labels)} {fmt_share(total.shares[cls])}"
             for cls in CREDIT_CLASSES]
    lay = layout(title, total.n, labels, barmode="group", height=420,
                 xaxis=axis_layout(labels["col.credit_class"]),
                 yaxis=axis_layout(labels["axis.share"], **SHARE_AXIS))
    credit_note = str(labels["note_credit"] % {"none": fmt_int(credit.unclassified)})
    return Chart("credit_constraint", title, total.n, figure(data, lay),
                 labels["summary.credit_constraint"] % {"n": fmt_int(total.n),
                                                        "items": "; ".join(items)},
                 Table(cols, tuple(rows)),
                 (credit_note,), method_notes=notes(labels, k, "note_intervals",
                                                    "note_low_precision", "note_hidden"))


def _group_colour(key: str | None) -> str:
    """Everyone, or a size class in its own colour (the same on every chart)."""
    if key == TOTAL_ID:
        return ALL_COLOUR
    return SIZE_COLOURS.get(key or "", NOT_STATED_COLOUR)
