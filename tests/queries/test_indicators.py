"""Item indicators through SQL: the counts equal the pure definition's on hand-made firms,
every number is suppressed on its own n (and what would give it away), and the number of
statements does not grow with the rows."""

from __future__ import annotations

import random
from typing import Any

from flask import Flask
from sqlalchemy import event

from survey.core import item_indicators as ii
from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.queries.filters import Filters
from survey.queries.indicators import TOTAL, IndicatorTable, Row, indicator_table
from tests.helpers import add_rows, row_2027

LOAN_OUTCOMES = ("granted_full", "granted_part", "refused", "pending")


def firm(answers: dict[str, Any], **columns: Any) -> dict[str, Any]:
    return row_2027(answers=answers, **columns)


def row_of(table: IndicatorTable, indicator_id: str) -> Row:
    return next(r for r in table.rows if r.indicator.id == indicator_id)


def cell(r: Row, key: Any) -> Any:
    return next(c for c in r.all_cells() if c.key == key)


def test_loan_refusal_is_among_applicants_with_a_decision(app: Flask) -> None:
    """12 refused, 18 granted, 5 pending, 20 who did not apply: 12 of 30, pending apart, the
    non-applicants in neither."""
    add_rows([firm({"fin_applied": "yes", "fin_loan_outcome": "refused"})] * 12)
    add_rows([firm({"fin_applied": "yes", "fin_loan_outcome": "granted_full"})] * 18)
    add_rows([firm({"fin_applied": "yes", "fin_loan_outcome": "pending"})] * 5)
    add_rows([firm({"fin_applied": "no", "fin_no_apply_reason": "collateral"})] * 20)
    table = indicator_table(Filters(), "size", 10)
    total = row_of(table, "loan_refused").total
    assert total.share is not None
    assert (total.n, total.share.count, total.apart) == (30, 12, 5)
    applied = row_of(table, "loan_applied").total
    assert applied.share is not None and (applied.n, applied.share.count) == (55, 35)
    discouraged = row_of(table, "discouraged").total
    assert discouraged.share is not None and discouraged.share.value == 1.0


def test_multi_select_channels_and_columns(app: Flask) -> None:
    """A channel counts when ticked among others; the credit class and the gap split come
    from the assessment's own columns."""
    add_rows([firm({"ovs_channels_12m": ["marketplace", "own_site"]},
                   credit_constraint="fully_constrained",
                   financing_gap="mostly_external")] * 11)
    add_rows([firm({"ovs_channels_12m": ["offline_only"]}, credit_constraint="no_need",
                   financing_gap="mixed")] * 11)
    add_rows([firm({}, credit_constraint="unknown")] * 4)
    table = indicator_table(Filters(), "size", 10)
    own_site = row_of(table, "channel_own_site").total
    assert own_site.share is not None and (own_site.n, own_site.share.count) == (22, 11)
    b2b = row_of(table, "channel_b2b_platform").total
    assert b2b.share is not None and b2b.share.count == 0
    full = row_of(table, "credit_fully_constrained").total
    assert full.share is not None and (full.n, full.share.count, full.apart) == (22, 11, 4)
    gap = row_of(table, "gap_financing_mostly_external").total
    assert gap.share is not None and (gap.n, gap.share.count) == (22, 11)


def test_sql_counts_equal_the_pure_definition(app: Flask) -> None:
    """Random firms answering the financing, IP, export and scheme questions: every
    indicator's numerator, denominator and apart from SQL equal survey.core's."""
    q = load_questionnaire()
    rnd = random.Random(5)
    scheme_values = [o.value for o in q.questions["scheme_guarantee"].options]
    firms = []
    for _ in range(120):
        answers: dict[str, Any] = {}
        for qid in ("fin_loan_outcome", "fin_collateral_burden", "fin_overdue_share",
                    "dig_ip_infringed", "ovs_payments_obstacle", "scheme_guarantee",
                    "scheme_sinosure", "fin_demand", "fin_no_apply_reason"):
            if rnd.random() < 0.7:
                answers[qid] = rnd.choice([o.value for o in q.questions[qid].options])
        if rnd.random() < 0.6:
            answers["ovs_channels_12m"] = rnd.sample(ii.CHANNELS[:4], rnd.randint(1, 3))
        answers.setdefault("scheme_digital_fund", rnd.choice(scheme_values))
        firms.append(firm(answers, credit_constraint=rnd.choice(
            ("no_need", "fully_constrained", "unknown", None))))
    add_rows(firms)
    expected = ii.count(ii.indicators(q), [(f["answers"], f) for f in firms])
    table = indicator_table(Filters(), "size", 1)
    for r in table.rows:
        total, want = r.total, expected[r.indicator.id]
        assert not total.suppressed, r.indicator.id
        assert total.share is not None
        got = (total.share.count, total.n, total.apart)
        assert got == (want[ii.NUMERATOR], want[ii.DENOMINATOR], want[ii.APART]), r.indicator.id


def test_suppressed_on_its_own_n_and_protected_in_its_row(app: Flask) -> None:
    """40 small and 30 micro firms; 6 micro firms answered the loan outcome. Micro's refusal
    share is hidden (n = 6), and so is another cell of the row, or the total minus small
    would give micro back; the applied share, on 30 micro firms, is shown."""
    add_rows([firm({"fin_applied": "yes", "fin_loan_outcome": "refused"}, size_class="small")]
             * 40)
    add_rows([firm({"fin_applied": "yes", "fin_loan_outcome": "granted_full"},
                   size_class="micro")] * 6)
    add_rows([firm({"fin_applied": "no"}, size_class="micro")] * 24)
    table = indicator_table(Filters(), "size", 10)
    refused = row_of(table, "loan_refused")
    micro = cell(refused, "micro")
    assert micro.suppressed and micro.n is None and micro.share is None
    assert cell(refused, TOTAL).suppressed or cell(refused, "small").suppressed
    applied = cell(row_of(table, "loan_applied"), "micro")
    assert not applied.suppressed and applied.n == 30


def test_demo_rows_follow_the_filter(app: Flask) -> None:
    add_rows([firm({"fin_applied": "yes"})] * 10)
    add_rows([firm({"fin_applied": "yes"}, is_demo=True)] * 15)
    assert row_of(indicator_table(Filters(demo="exclude"), "size", 10),
                  "loan_applied").total.n == 10
    assert row_of(indicator_table(Filters(demo="include"), "size", 10),
                  "loan_applied").total.n == 25


def test_a_fixed_number_of_statements(app: Flask) -> None:
    """As many statements for 30 rows as for 300, with one filter (1 + 2 relaxations)."""
    def statements(n: int) -> int:
        add_rows([firm({"fin_applied": "yes"}, region="east")] * n)
        add_rows([firm({"fin_applied": "no"}, region="west")] * n)
        seen: list[str] = []

        def record(*args: Any) -> None:
            if str(args[2]).lstrip().upper().startswith(("SELECT", "WITH")):
                seen.append(str(args[2]))
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            indicator_table(Filters(region="east"), "industry", 10)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    first = statements(30)
    assert first == statements(270) == 3, first
