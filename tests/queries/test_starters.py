"""Drop-out among starters read from `response_starts` equals the scan of every response it
replaced, for every kind of filter, after a random mix of writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from flask import Flask

from survey.extensions import db
from survey.queries.filters import Filters
from survey.queries.overview import starters, starters_scan
from survey.services import waves
from tests.services.test_starts import STEPS, random_writes

MONTHS = (None, "2025-11", "2025-12", "2026-01", "2026-02", "0000-01", "9999-12")


def _waves() -> list[int | None]:
    """Waves whose first or last day falls where starts are (one open-ended), and an id that
    names no wave."""
    made = [waves.create_wave(waves.WaveInput(name, start, end), None).id
            for name, start, end in (
                ("December", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
                ("One day", dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
                ("Winter", dt.date(2025, 12, 15), dt.date(2026, 1, 20)),
                ("From February", dt.date(2026, 2, 1), None))]
    return [None, *made, max(made) + 1000]


def _filters(waves: list[int | None]) -> list[Filters]:
    out = [Filters(wave=w, month_from=a, month_to=b, demo=d)
           for w in waves
           for a, b in itertools.product(MONTHS, MONTHS)
           for d in ("exclude", "include", "only")
           if w is None or (a, b) in ((None, None), ("2025-12", "2026-01"))]
    segments = [Filters(region="east"), Filters(industry="manufacturing", demo="include"),
                Filters(size="micro", wave=waves[1]), Filters(export="no_plans")]
    return out + segments


@pytest.mark.parametrize("seed", [1, 2])
def test_starters_equal_the_scan_for_every_filter(app: Flask, seed: int) -> None:
    waves = _waves()
    rng = random.Random(seed)
    random_writes(rng, 30)
    # Whatever the random mix left (deletes and purges can take every submitted response), a
    # draft submitted and a new one begun, so both kinds are there to count.
    for step in ("start", "submit", "start"):
        STEPS[step](rng)
    db.session.rollback()
    counted = 0
    for filters in _filters(waves):
        for min_group in (1, 5):
            got, scanned = starters(filters, min_group), starters_scan(filters, min_group)
            assert got == scanned, filters
            counted += got.drafts + got.submitted
    assert counted > 0  # the mix started something the filters see
    everyone = starters(Filters(demo="include"), 1)
    assert everyone.drafts > 0 and everyone.submitted > 0
