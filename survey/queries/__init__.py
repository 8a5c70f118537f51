"""Reads: SQL aggregates over `assessments` for the dashboard, the brief, the API and reports.

Every number is aggregated in the database (GROUP BY, CASE sums, ORDER BY … OFFSET for the
median) and each public function runs a fixed number of statements, however many rows there
are: three "cubes" (by segment, by period, by level band; survey.queries.cube) carry additive
counts and sums from which every chart's numbers are added up in Python. Results are plain
dataclasses and dicts that carry their n; suppression of small groups is
decided here (with survey.core.stats) so no caller can forget it.
"""

from survey.core.questionnaire.schema import METRICS
from survey.queries.base import GroupStats, level_bands
from survey.queries.brief import Brief, brief
from survey.queries.overview import (
    FreqTable,
    Overview,
    level_crosstab,
    overview,
    readiness_environment,
)
from survey.queries.peers import peer_percentiles
from survey.queries.segments import Segments, segments
from survey.queries.summary import PARTS, Dashboard, dashboard, summary_stats
from survey.queries.trends import Trend, by_month, by_wave, wave_choices

__all__ = [
    "METRICS",
    "PARTS",
    "Brief",
    "Dashboard",
    "FreqTable",
    "GroupStats",
    "Overview",
    "Segments",
    "Trend",
    "brief",
    "by_month",
    "by_wave",
    "dashboard",
    "level_bands",
    "level_crosstab",
    "overview",
    "peer_percentiles",
    "readiness_environment",
    "segments",
    "summary_stats",
    "wave_choices",
]
