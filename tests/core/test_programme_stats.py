"""Staff numbers of the directory: shares only over n at least the minimum group; T0 → T1
cells hidden with whatever would give them away; a firm's change per area."""

from __future__ import annotations

from survey.core.programme_stats import Counts, change_table, programme_numbers
from survey.core.progress import changes
from survey.core.questionnaire import load_questionnaire
from survey.core.scoring import assess
from survey.core.stats import Moments
from survey.core.suppression import MARGIN
from tests.helpers import best_answers, worst_answers


def test_programme_numbers_hide_small_groups() -> None:
    assert programme_numbers(None, 10).matched == 0
    assert programme_numbers(Counts(9, 1, 0, 0), 10).hidden
    shown = programme_numbers(Counts(20, 5, 12, 7), 10)
    assert shown.asked is not None and shown.asked.value == 0.25
    assert shown.asked.interval is not None and shown.asked.interval.low < 0.25
    assert shown.higher is not None and shown.higher.n == 12
    assert programme_numbers(Counts(20, 5, 9, 7), 10).higher is None


def test_change_table_hides_a_small_cell_and_its_complement() -> None:
    cells = {("small", True): Moments(12, 60.0, 400.0), ("small", False): Moments(3, 3.0, 5.0),
             ("medium", True): Moments(15, 30.0, 100.0),
             ("medium", False): Moments(20, -20.0, 80.0)}
    table = change_table(cells, ["small", "medium"], 10)
    assert table.cell("small", False) is None
    hidden = [k for k, v in table.cells.items() if v is None]
    assert len(hidden) >= 2  # the small cell, and one that would let it be recovered
    total = table.cell(MARGIN, MARGIN)
    assert total is not None and total.n == 50 and total.value is not None
    assert abs(total.value - (60 + 3 + 30 - 20) / 50) < 1e-9
    low = change_table({("x", True): Moments(3, 3.0, 5.0)}, ["x"], 10)
    assert all(v is None for v in low.cells.values())


def test_changes_per_area_and_overall() -> None:
    q = load_questionnaire()
    before = assess(q, worst_answers())
    after = assess(q, best_answers())
    rows = changes(before, after)
    assert rows is not None and [c.metric for c in rows][0] == "overall"
    overall = rows[0]
    assert overall.delta is not None and overall.delta > 0
    assert changes(before, before) and all(c.delta in (0.0, None) for c in changes(before,
                                                                                    before) or [])
