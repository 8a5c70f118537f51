"""The dashboard's scans read from the cells exactly what they read from the assessments, for
every kind of filter and on SQLite and PostgreSQL: the segment, period and band cubes, the
relaxation rule's verdicts, the brief's method mix and the whole /api/v1/stats answer."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask

from survey.core.item_indicators import indicators
from survey.core.questionnaire import load_questionnaire
from survey.queries import cells, cube, disclosure, summary
from survey.queries.base import Group
from survey.queries.brief import method_versions
from survey.queries.filters import Filters
from survey.queries.indicator_sql import cell_parts
from survey.queries.indicators import indicator_table, table_json
from survey.services import demo, responses, waves
from tests.helpers import add_rows, as_source, random_answers, row, synthetic_2027

FILTERS = [
    Filters(),
    Filters(demo="include"),
    Filters(demo="only"),
    Filters(region="east"),
    Filters(industry="manufacturing", size="small"),
    Filters(export="no_plans"),
    Filters(month_from="2025-06", month_to="2026-02"),
    Filters(month_from="2026-01", region="west", demo="include"),
    Filters(size="medium", export="exports_direct", month_to="2025-12"),
    Filters(wave=-1),
    Filters(wave=-1, industry="software_it", demo="include"),
]
"""`wave=-1` stands for the wave the fixture makes."""


@pytest.fixture
def seeded(app: Flask) -> Iterator[int]:
    add_rows(synthetic_2027(500, seed=11))
    add_rows(synthetic_2027(120, seed=12, demo=True))
    add_rows(row(score=s, month=m) for s, m in [(35.0, "2025-03"), (72.5, "2025-04"),
                                                (None, "2025-04"), (100.0, "2026-05")])
    wave = waves.create_wave(waves.WaveInput("Autumn", dt.date(2025, 9, 1),
                                             dt.date(2025, 12, 31)), None)
    yield wave.id


def resolved(filters: Filters, wave: int) -> Filters:
    return replace(filters, wave=wave) if filters.wave == -1 else filters


def close(a: Any, b: Any) -> bool:
    """Equal, floats within a hundredth: the cells sum the same values in another order."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9,
                                                                   abs_tol=0.011)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def flat(group: Group) -> dict[str, Any]:
    return {"n": group.n, "counts": dict(group.counts), "priorities": group.priorities,
            **{f"{m}.{f}": getattr(mo, f) for m, mo in group.metrics.items()
               for f in ("n", "total", "total_sq")}}


def by_key(groups: Any) -> dict[Any, dict[str, Any]]:
    return {g.key: flat(g) for g in groups}


def test_the_current_questionnaire_is_read_from_the_cells(app: Flask) -> None:
    assert cells.usable()


def test_cubes_from_cells_equal_the_scans(seeded: int) -> None:
    """One seeding, every kind of filter (a parametrised test would seed again for each)."""
    for filters in (resolved(f, seeded) for f in FILTERS):
        assert close(by_key(cube.segment_cells(filters).cells),
                     by_key(cube.segment_scan(filters).cells)), filters
        fast = {(t.month, t.wave_id, t.version): flat(t.group)
                for t in cube.time_cells(filters)}
        slow = {(t.month, t.wave_id, t.version): flat(t.group)
                for t in cube.time_scan(filters)}
        assert fast and close(fast, slow), filters
        for r, c in (("digital_technology", "financing"), ("financing_cap", "financing_env")):
            def table(bands: Any, r: str = r, c: str = c) -> dict[tuple[int, int], int]:
                out: dict[tuple[int, int], int] = {}
                for b in bands:
                    if b.bands[r] is not None and b.bands[c] is not None:
                        key = (b.bands[r], b.bands[c])
                        out[key] = out.get(key, 0) + b.count
                return out
            assert table(cube.band_cells(filters)) == table(cube.band_scan(filters)), filters


def test_guard_brief_and_stats_from_cells_equal_the_scans(
        seeded: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for filters in (resolved(f, seeded) for f in FILTERS):
        fast = (disclosure.guard(filters, 10).failing, method_versions(filters),
                summary.summary_stats(filters, 10))
        with monkeypatch.context() as patch:
            patch.setattr(cells, "usable", lambda: False)
            slow = (disclosure.guard(filters, 10).failing, method_versions(filters),
                    summary.summary_stats(filters, 10))
        assert fast[0] == slow[0], filters
        assert fast[1] == slow[1], filters
        assert close(fast[2], slow[2]), filters
        assert fast[2]["n"] > 0 or filters.export or filters.size


def test_a_view_filtered_by_export_status_reads_the_finest_grain(seeded: int) -> None:
    stmt = cells.summed(cells.plain(["n"]), Filters(export="no_plans"))
    assert "FROM assessment_cells " in str(stmt) + " "
    stmt = cells.summed(cells.plain(["n"]), Filters(), ("industry", "size_class", "region"))
    assert "assessment_cells_segment" in str(stmt)


@pytest.fixture
def answered(app: Flask) -> Iterator[None]:
    """Firms with answers to read: web and API submissions and demo rows, in two waves."""
    for i in range(25):
        responses.create_submitted(random_answers(i))
    for _ in demo.seed(80, seed=4, workers=1):
        pass
    add_rows(synthetic_2027(60, seed=13))
    waves.create_wave(waves.WaveInput("Recent", dt.date.today() - dt.timedelta(days=200),
                                      None), None)
    yield


def test_every_indicator_of_the_questionnaire_is_read_from_the_cells(app: Flask) -> None:
    assert cell_parts(indicators(load_questionnaire())) is not None


def test_indicator_tables_from_cells_equal_the_scans(
        answered: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for filters in (Filters(), Filters(demo="include"), Filters(region="east", demo="include"),
                    Filters(size="small", demo="only")):
        for by in ("industry", "size", "region", "export", "wave"):
            fast = table_json(indicator_table(filters, by, 5), "en")
            with monkeypatch.context() as patch:
                patch.setattr(cells, "usable", lambda: False)
                slow = table_json(indicator_table(filters, by, 5), "en")
            assert fast == slow, (filters, by)
            if filters.demo == "include" and not filters.region:
                assert any(row["total"]["n"] for row in fast["indicators"])


def test_past_the_exact_limit_the_median_time_is_estimated_from_the_bins(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    durations = [300 + 37 * i for i in range(41)]  # 300 … 1780 s, median 1040
    add_rows(row(duration_seconds=d) for d in durations)
    as_source("web")
    overview = sys.modules["survey.queries.overview"]  # the package exports a function so named
    assert overview.median_duration(Filters()) == (41, 1040.0, False)
    monkeypatch.setattr(overview, "EXACT_MEDIAN_MAX", 40)
    n, median, estimated = overview.median_duration(Filters())
    assert (n, estimated) == (41, True)
    assert median is not None and abs(median - 1040) <= 0.05 * 1040
    stats = summary.summary_stats(Filters(), 10)
    assert stats["median_duration_estimated"] is True
    assert stats["median_duration_seconds"] == pytest.approx(median, abs=0.1)
