"""survey/queries/peers.py: the report's peer benchmark — its groups and fallbacks, missing
scores, mid-ranks, medians, method versions."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from survey import queries
from survey.extensions import db
from survey.models import Assessment
from tests.helpers import add_rows, row, row_2027


def _assessment(**where: Any) -> Assessment:
    stmt = select(Assessment)
    for key, value in where.items():
        stmt = stmt.where(getattr(Assessment, key) == value)
    found = db.session.scalars(stmt.limit(1)).first()
    assert found is not None
    return found


def test_peer_percentiles_fall_back_and_ignore_demo(app: Flask) -> None:
    add_rows([row_2027(industry="software_it", size_class="micro", score=s)
              for s in range(0, 100, 5)])
    add_rows([row_2027(industry="software_it", size_class="large", score=50.0)] * 5)
    add_rows([row_2027(industry="software_it", size_class="micro", score=99.0, is_demo=True)] * 40)
    me = _assessment(industry="software_it", size_class="micro", overall_score=50.0)
    bench = queries.peer_percentiles(me, min_peers=19)
    # 19 real peers (itself excluded), below 50: 0..45 → 10 → percentile 10/19 = 53
    assert bench is not None and bench["group"] == "industry_size" and bench["n"] == 19
    assert bench["percentiles"]["overall"] == 53
    assert set(bench["percentiles"]) == {"overall", "financing", "digital_technology",
                                         "overseas_markets"}
    fallback = queries.peer_percentiles(me, min_peers=24)
    # industry: 19 + 5 peers; below 50 → 10, equal → 5 → (10 + 2.5) / 24 = 52
    assert fallback is not None and fallback["group"] == "industry" and fallback["n"] == 24
    assert fallback["percentiles"]["overall"] == 52
    assert queries.peer_percentiles(me, min_peers=25) is None


def test_peer_percentiles_with_missing_scores(app: Flask) -> None:
    add_rows([row_2027(industry="construction", score=60.0)] * 25)
    add_rows([row_2027(industry="construction", score=60.0, overseas_markets_score=None,
             overall_score=None)])
    me = _assessment(overseas_markets_score=None)
    bench = queries.peer_percentiles(me, min_peers=20)
    assert bench is not None
    assert bench["percentiles"]["overall"] is None
    assert bench["percentiles"]["financing"] == 50  # tied with everyone: the middle


def test_peer_comparison_needs_enough_peers_with_that_score(app: Flask) -> None:
    """Twenty peers of whom nineteen have no overall score: no overall comparison from one."""
    add_rows([row_2027(industry="retail", score=40.0, overall_score=None)] * 19)
    add_rows([row_2027(industry="retail", score=40.0, overall_score=90.0)])
    add_rows([row_2027(industry="retail", score=70.0)])
    me = _assessment(industry="retail", overall_score=70.0)
    bench = queries.peer_percentiles(me, min_peers=20)
    assert bench is not None and bench["n"] == 20
    assert bench["peers"]["overall"] == 1 and bench["percentiles"]["overall"] is None
    assert bench["medians"]["overall"] is None
    assert bench["peers"]["financing"] == 20 and bench["medians"]["financing"] == 40.0


def test_percentile_is_a_mid_rank_rounded_half_away_from_zero(app: Flask) -> None:
    """20 peers: 2 below the SME's 50, 1 equal, 17 above. Mid-rank: (2 + ½·1)/20 = 12.5 %,
    "at the 13th percentile of 20 similar firms" (round() would have said 12); and with only
    19 of them holding an overall score, the sparse score gets no percentile at all."""
    add_rows([row_2027(industry="education", score=40.0)] * 2)
    add_rows([row_2027(industry="education", score=50.0)])
    add_rows([row_2027(industry="education", score=60.0, overall_score=None)])
    add_rows([row_2027(industry="education", score=60.0)] * 16)
    add_rows([row_2027(industry="education", score=50.0, duration_seconds=1)])
    me = _assessment(industry="education", duration_seconds=1)
    bench = queries.peer_percentiles(me, min_peers=20)
    assert bench is not None and bench["n"] == 20
    assert bench["percentiles"]["financing"] == 13
    assert bench["peers"]["overall"] == 19 and bench["percentiles"]["overall"] is None


def test_peer_medians_and_method_version(app: Flask) -> None:
    add_rows([row_2027(industry="logistics", score=float(s)) for s in (10, 20, 30, 40)])
    # Scored by the other method: never a peer of a 2027.1 assessment.
    add_rows([row(industry="logistics", score=99.0, method_version="2026.1",
                  questionnaire_version="2026.1")] * 10)
    add_rows([row_2027(industry="logistics", score=35.0)])
    me = _assessment(industry="logistics", overall_score=35.0)
    bench = queries.peer_percentiles(me, min_peers=4)
    assert bench is not None and bench["n"] == 4
    assert bench["medians"]["overall"] == 25.0  # even count: the mean of the middle two
    assert bench["percentiles"]["overall"] == 75
    add_rows([row_2027(industry="logistics", score=90.0)])
    odd = queries.peer_percentiles(me, min_peers=4)
    assert odd is not None and odd["medians"]["overall"] == 30.0
