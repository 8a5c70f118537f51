"""What the pre-aggregated cells of the assessments hold: their key and their measures.

A cell is every assessment sharing one value of each filter dimension (wave, month, industry,
size class, region, export status, questionnaire and method version, demo). Its measures are
additive — counts, sums, sums of squares — so any filtered view of the dashboard, the brief
and `/api/v1/stats` is a GROUP BY over cells instead of over assessments, and its cost follows
the number of cells (bounded by the product of the dimensions' values) rather than the number
of firms. Means and their intervals need n, Σx and Σx² only (survey.core.stats.Moments).

The names are the ones the aggregate queries label their columns with, so a row summed from
cells reads exactly like a row aggregated from assessments. Bands and thresholds are fixed
here: the current questionnaire's levels start at 0, 20, 40, 60 and 80; a questionnaire whose
levels differ is answered from the assessments themselves (survey.queries.cells.usable) until
a migration adds its columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from survey.core.item_indicators import APART, COLUMN_PREFIX, DENOMINATOR, NUMERATOR, Indicator
from survey.core.needs import KNOWN_PRIORITIES, PRIORITIES_2027
from survey.core.questionnaire.schema import AREAS, CREDIT_CLASSES, METRICS, RECOMMENDATIONS

DIMENSIONS: tuple[str, ...] = (
    "wave_id", "month", "industry", "size_class", "region", "export_status",
    "questionnaire_version", "method_version", "is_demo",
)
"""The key of a cell: the assessment columns every staff filter and breakdown reads."""

GRAINS: dict[str, tuple[str, ...]] = {
    "period": ("wave_id", "month", "questionnaire_version", "method_version", "is_demo"),
    "segment": ("industry", "size_class", "region", "questionnaire_version", "method_version",
                "is_demo"),
    "place_period": ("wave_id", "month", "industry", "size_class", "region", "is_demo"),
    "all": DIMENSIONS,
}
"""The same measures kept at several grains, smallest first. Cells at every dimension
multiply with the months a survey runs (24 months × 8 industries × 4 sizes × 4 regions × 6
export statuses … is tens of thousands); a view reads the smallest grain that holds every
dimension it groups or filters by, so the dashboard without filters sums a few hundred cells,
not tens of thousands, whatever the number of firms."""


def table_name(grain: str) -> str:
    return "assessment_cells" if grain == "all" else f"assessment_cells_{grain}"


def grain_for(needed: set[str] | frozenset[str]) -> str:
    """The smallest grain keyed by every dimension in `needed`."""
    for grain, dims in GRAINS.items():
        if needed <= set(dims):
            return grain
    raise ValueError(f"no grain holds {sorted(needed)}")

NO_WAVE = 0
"""The wave key of assessments in no wave (a unique key cannot hold NULL: NULLs never
conflict, so every such assessment would get a cell of its own)."""
NO_VALUE = ""
"""The key of a text dimension the assessment has no value for."""

THRESHOLDS: tuple[float, ...] = tuple(float(t) for t in range(10, 100, 10))
"""Scores counted "at or above": the histogram's edges, which include every level's bound."""
BANDS: tuple[float, ...] = (0.0, 20.0, 40.0, 60.0, 80.0)
"""The lower bounds of the level bands the two-way tables count in."""

CAPABILITY_METRICS: tuple[str, ...] = tuple(f"{a}_cap" for a in AREAS)
ENV_METRICS: tuple[str, ...] = tuple(f"{a}_env" for a in AREAS)
ALL_METRICS: tuple[str, ...] = (*METRICS, *CAPABILITY_METRICS, *ENV_METRICS)
"""Every mean the aggregates carry: the scores, and each area's capability and environment."""

CROSSTABS: tuple[tuple[str, str], ...] = (
    ("digital_technology", "financing"), *((f"{a}_cap", f"{a}_env") for a in AREAS))
"""The two-way tables the dashboard shows: one area's level against another's, and each
area's capability against its environment."""


def ge_key(metric: str, threshold: float) -> str:
    return f"{metric}__ge_{str(float(threshold)).replace('.', '_')}"


def credit_key(cls: str) -> str:
    """The count of SMEs in one credit-constraint class (rows of method 2026.1 have none)."""
    return f"credit__{cls}"


def applies_key(area: str) -> str:
    return f"{area}__applies"


def priority_count_key(rec: str, priority: str) -> str:
    return f"{rec}__{priority}"


def known_priority_key(rec: str) -> str:
    """Firms with a known priority (KNOWN_PRIORITIES) for `rec`: the n of its priority shares,
    which the relaxation rule checks in every cell of a view."""
    return f"{rec}__known"


CREDIT_ANY = "credit__any"
"""Firms in any credit-constraint class: the n of the credit table."""


def crosstab_key(row: str, col: str, i: int, j: int) -> str:
    """Firms in band i of `row` and band j of `col` (both scored)."""
    return f"xt__{row}__{col}__{i}_{j}"


def both_scored_key(row: str, col: str) -> str:
    """Firms with both scores of a two-way table: its n, kept as a measure of its own so the
    relaxation rule reads one column per table rather than its 25 band cells."""
    return f"xt__{row}__{col}__both"


OBSTACLE = ("major", "very_severe", "none", "minor", "moderate", "dont_know")
GAP_SPLIT = ("mostly_external", "mixed", "mostly_internal")
SCHEME = ("aware_not_needed", "aware_not_eligible", "aware_unsure_how", "applied_rejected",
          "applied_pending", "received_not_useful", "received_useful", "not_aware")
SCHEMES = ("guarantee", "interest_subsidy", "bank_tax", "digital_fund", "cloud_voucher",
           "rd_deduction", "ip_pledge", "training_subsidy", "sinosure", "trade_fair",
           "cbec_zone")

ANSWERS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "column:credit_constraint": (False, (
        "no_need", "not_constrained", "partially_constrained", "fully_constrained",
        "unknown")),
    "fin_demand": (False, ("working_capital", "investment", "both", "no_own_funds",
                           "dont_know")),
    "fin_applied": (False, ("yes", "no")),
    "fin_loan_outcome": (False, ("refused", "granted_full", "granted_part", "pending")),
    "fin_no_apply_reason": (False, (
        "procedures", "interest_costs", "collateral", "size_term", "expected_refusal",
        "informal_payments", "enough_funds", "other")),
    "fin_collateral_burden": (False, (
        "provided_easily", "provided_hard", "could_not_provide", "none", "dont_know")),
    "fin_finance_obstacle": (False, OBSTACLE),
    "fin_overdue_share": (False, ("p10_30", "p30_50", "gt50", "none", "lt10", "dont_know")),
    "dig_ip_infringed": (False, ("once", "repeatedly", "no")),
    "dig_ip_confidence": (False, ("slightly", "not_at_all", "very", "fairly", "dont_know")),
    "ovs_logistics_obstacle": (False, OBSTACLE),
    "ovs_warehousing_obstacle": (False, OBSTACLE),
    "ovs_payments_obstacle": (False, OBSTACLE),
    "ovs_channels_12m": (True, (
        "marketplace", "social_commerce", "b2b_platform", "own_site", "offline_only")),
    "column:financing_gap": (False, GAP_SPLIT),
    "column:digital_technology_gap": (False, GAP_SPLIT),
    "column:overseas_markets_gap": (False, GAP_SPLIT),
    **{f"scheme_{s}": (False, SCHEME) for s in SCHEMES},
}
"""The answers the item indicators of questionnaire 2027.1 count (survey.core.item_indicators):
per source (a question, or "column:<name>" for a stored column), whether it is a multi-select
and the options counted. A single choice's options exclude each other, so any set of them is a
sum of their counts; a multi-select is counted per option ticked and as answered at all. A
questionnaire whose indicators read anything else is answered from the assessments
(survey.queries.cells.answers_usable) until a migration adds it here."""


DURATION_EDGES: tuple[float, ...] = tuple(round(60 * 1.1 ** k, 1) for k in range(59))
"""Time-to-complete bins, in seconds: under a minute, then 10 % wider each, to about 4 h 15 min,
then everything longer. Past EXACT_MEDIAN_MAX web responses the dashboard's median time is
estimated from these (survey.core.stats.median_from_bins) instead of sorting every duration."""
EXACT_MEDIAN_MAX = 20_000
"""Up to this many timed web responses in a view, its median time is read exactly."""
WEB_TIMED = "web_timed"
"""Web responses with a time to complete: the n of the median."""


def duration_key(k: int) -> str:
    """Web responses timed in bin k: under DURATION_EDGES[0] for k = 0, [edge k−1, edge k) after,
    at or over the last edge for k = len(DURATION_EDGES)."""
    return f"dur__{k}"


DURATION_KEYS: tuple[str, ...] = tuple(duration_key(k) for k in range(len(DURATION_EDGES) + 1))


def answer_key(source: str, option: str | None = None) -> str:
    """Firms that chose `option` for `source` (ticked it, for a multi-select); without an
    option, firms that answered the multi-select at all."""
    name = source.replace(":", "_")
    return f"a__{name}" if option is None else f"a__{name}__{option}"


def indicator_parts(ind: Indicator) -> dict[str, tuple[str, ...]] | None:
    """The measures whose sum is each part (numerator, denominator, apart) of an item
    indicator, or None when the cells do not count what it reads. A multi-select's numerator
    must be one option: firms ticking any of several are not a sum of per-option counts."""
    found = ANSWERS.get(ind.source)
    if found is None or found[0] != ind.multi:
        return None
    options = set(found[1])
    if ind.multi:
        if len(ind.numerator) != 1 or not set(ind.numerator) <= options:
            return None
        return {NUMERATOR: (answer_key(ind.source, ind.numerator[0]),),
                DENOMINATOR: (answer_key(ind.source),), APART: ()}
    if not set(ind.numerator) | set(ind.denominator) | set(ind.apart) <= options:
        return None
    return {part: tuple(answer_key(ind.source, o) for o in chosen)
            for part, chosen in ((NUMERATOR, ind.numerator), (DENOMINATOR, ind.denominator),
                                 (APART, ind.apart))}


@dataclass(frozen=True)
class Measure:
    """One additive column of a cell. `kind` is "count" (an integer) or "sum" (a real)."""

    name: str
    kind: str


def _measures() -> Iterator[Measure]:
    yield Measure("n", "count")
    yield Measure("n_demo", "count")
    for m in ALL_METRICS:
        yield Measure(f"{m}__n", "count")
        yield Measure(f"{m}__s", "sum")
        yield Measure(f"{m}__ss", "sum")
    for m in METRICS:
        for t in THRESHOLDS:
            yield Measure(ge_key(m, t), "count")
    for rec in RECOMMENDATIONS:
        for p in PRIORITIES_2027:
            yield Measure(priority_count_key(rec, p), "count")
        yield Measure(known_priority_key(rec), "count")
    for area in AREAS:
        yield Measure(applies_key(area), "count")
    for cls in CREDIT_CLASSES:
        yield Measure(credit_key(cls), "count")
    yield Measure(CREDIT_ANY, "count")
    for row, col in CROSSTABS:
        for i in range(len(BANDS)):
            for j in range(len(BANDS)):
                yield Measure(crosstab_key(row, col, i, j), "count")
        yield Measure(both_scored_key(row, col), "count")
    yield Measure(WEB_TIMED, "count")
    for key in DURATION_KEYS:
        yield Measure(key, "count")
    for source, (multi, options) in ANSWERS.items():
        if multi:
            yield Measure(answer_key(source), "count")
        for option in options:
            yield Measure(answer_key(source, option), "count")


MEASURES: tuple[Measure, ...] = tuple(_measures())
MEASURE_NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)


# --- One assessment's measures, in Python -------------------------------------------------

NOT_APPLICABLE = "not_applicable"
WEB = "web"
"""The one source whose timing means something (survey.queries.cells.WEB reads this)."""


def _metric_value(row: Mapping[str, Any], metric: str) -> float | None:
    """What survey.queries.base.metric_column reads: an area's numbers only where the area
    applies (its status is not `not_applicable`)."""
    if metric == "overall":
        return _number(row.get("overall_score"))
    area, column = metric, "score"
    for suffix, name in (("_cap", "capability"), ("_env", "env")):
        if metric.endswith(suffix):
            area, column = metric.removesuffix(suffix), name
    if row.get(f"{area}_status") == NOT_APPLICABLE:
        return None
    return _number(row.get(f"{area}_{column}"))


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _band(value: float | None) -> int | None:
    if value is None:
        return None
    return max(i for i, lo in enumerate(BANDS) if value >= lo) if value >= BANDS[0] else None


def _answer(row: Mapping[str, Any], answers: Mapping[str, Any], source: str) -> Any:
    if source.startswith(COLUMN_PREFIX):
        return row.get(source.removeprefix(COLUMN_PREFIX))
    return answers.get(source)


def row_measures(row: Mapping[str, Any], answers: Mapping[str, Any],
                 source: str) -> dict[str, float]:
    """Every measure of one assessment on its own: its contribution to its cell.

    The same definitions as the SQL of survey.queries.cells, evaluated on the values a submit
    has in hand, so adding one firm is a plain upsert of these numbers (no SELECT over the row
    and no JSON read back). Tests hold the two to each other: after any mix of writes the cells
    equal the SQL's recomputation (tests/services/test_cells.py)."""
    out = dict.fromkeys(MEASURE_NAMES, 0.0)
    out["n"] = 1
    out["n_demo"] = 1 if row.get("is_demo") else 0
    values = {m: _metric_value(row, m) for m in ALL_METRICS}
    for m, v in values.items():
        if v is not None:
            out[f"{m}__n"] = 1
            out[f"{m}__s"] = v
            out[f"{m}__ss"] = v * v
    for m in METRICS:
        v = values[m]
        for t in THRESHOLDS:
            out[ge_key(m, t)] = 1 if v is not None and v >= t else 0
    for rec in RECOMMENDATIONS:
        priority = row.get(f"priority_{rec}")
        if priority in PRIORITIES_2027:
            out[priority_count_key(rec, priority)] = 1
            out[known_priority_key(rec)] = 1 if priority in KNOWN_PRIORITIES else 0
    for area in AREAS:
        out[applies_key(area)] = 0 if row.get(f"{area}_status") == NOT_APPLICABLE else 1
    credit = row.get("credit_constraint")
    if credit in CREDIT_CLASSES:
        out[credit_key(credit)] = 1
        out[CREDIT_ANY] = 1
    for r, c in CROSSTABS:
        i, j = _band(values[r]), _band(values[c])
        if i is not None and j is not None:
            out[crosstab_key(r, c, i, j)] = 1
        if values[r] is not None and values[c] is not None:
            out[both_scored_key(r, c)] = 1
    duration = row.get("duration_seconds")
    if source == WEB and duration is not None:
        out[WEB_TIMED] = 1
        out[DURATION_KEYS[sum(1 for e in DURATION_EDGES if duration >= e)]] = 1
    for src, (multi, options) in ANSWERS.items():
        value = _answer(row, answers, src)
        if multi:
            if isinstance(value, list) and any(isinstance(x, str) for x in value):
                out[answer_key(src)] = 1
                for option in options:
                    if option in value:
                        out[answer_key(src, option)] = 1
        elif isinstance(value, str) and value in options:
            out[answer_key(src, value)] = 1
    return out


def row_key(row: Mapping[str, Any], grain: str) -> dict[str, Any]:
    """The key of an assessment's cell at a grain, placeholders for missing values."""
    out: dict[str, Any] = {}
    for d in GRAINS[grain]:
        value = row.get(d)
        if d == "wave_id":
            out[d] = NO_WAVE if value is None else value
        elif d == "is_demo":
            out[d] = bool(value)
        else:
            out[d] = NO_VALUE if value is None else value
    return out
