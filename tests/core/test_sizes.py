"""The SME size standard (工信部联企业〔2011〕300号) as data, and the size class it gives.

The expected rules are written out here from the standard's table (shared/REFERENCES.md), apart
from the data file, so a typo in either one fails a test.
"""

from __future__ import annotations

import copy
import itertools
import math
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.core.sizes import (
    DATA_DIR,
    SIZE_CLASSES,
    SizeStandardError,
    load_size_standard,
    parse_size_standard,
    size_class,
)

STANDARD = load_size_standard()

# The spec's band cuts, in 万元.
REVENUE_CUTS = [0, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 6000, 10000, 20000, 30000,
                40000, 80000, 100000, 200000]
ASSETS_CUTS = [0, 100, 300, 2000, 5000, 8000, 10000, 80000, 120000]

# rule -> class -> {criterion: bound}; large = "SME if under", medium and small "≥ … and ≥ …".
RULES: dict[str, dict[str, dict[str, int]]] = {
    "agriculture": {"large": {"revenue": 20000}, "medium": {"revenue": 500},
                    "small": {"revenue": 50}},
    "industry": {"large": {"staff": 1000, "revenue": 40000},
                 "medium": {"staff": 300, "revenue": 2000},
                 "small": {"staff": 20, "revenue": 300}},
    "construction": {"large": {"revenue": 80000, "assets": 80000},
                     "medium": {"revenue": 6000, "assets": 5000},
                     "small": {"revenue": 300, "assets": 300}},
    "wholesale": {"large": {"staff": 200, "revenue": 40000},
                  "medium": {"staff": 20, "revenue": 5000},
                  "small": {"staff": 5, "revenue": 1000}},
    "retail": {"large": {"staff": 300, "revenue": 20000},
               "medium": {"staff": 50, "revenue": 500},
               "small": {"staff": 10, "revenue": 100}},
    "transport": {"large": {"staff": 1000, "revenue": 30000},
                  "medium": {"staff": 300, "revenue": 3000},
                  "small": {"staff": 20, "revenue": 200}},
    "warehousing": {"large": {"staff": 200, "revenue": 30000},
                    "medium": {"staff": 100, "revenue": 1000},
                    "small": {"staff": 20, "revenue": 100}},
    "postal": {"large": {"staff": 1000, "revenue": 30000},
               "medium": {"staff": 300, "revenue": 2000},
               "small": {"staff": 20, "revenue": 100}},
    "accommodation_catering": {"large": {"staff": 300, "revenue": 10000},
                               "medium": {"staff": 100, "revenue": 2000},
                               "small": {"staff": 10, "revenue": 100}},
    "information_transmission": {"large": {"staff": 2000, "revenue": 100000},
                                 "medium": {"staff": 100, "revenue": 1000},
                                 "small": {"staff": 10, "revenue": 100}},
    "software_it": {"large": {"staff": 300, "revenue": 10000},
                    "medium": {"staff": 100, "revenue": 1000},
                    "small": {"staff": 10, "revenue": 50}},
    "real_estate_development": {"large": {"revenue": 200000, "assets": 10000},
                                "medium": {"revenue": 1000, "assets": 5000},
                                "small": {"revenue": 100, "assets": 2000}},
    "property_management": {"large": {"staff": 1000, "revenue": 5000},
                            "medium": {"staff": 300, "revenue": 1000},
                            "small": {"staff": 100, "revenue": 500}},
    "leasing_business_services": {"large": {"staff": 300, "assets": 120000},
                                  "medium": {"staff": 100, "assets": 8000},
                                  "small": {"staff": 10, "assets": 100}},
    "other": {"large": {"staff": 300}, "medium": {"staff": 100}, "small": {"staff": 10}},
}

# The spec's industry option values and the rule each one uses.
INDUSTRY_RULE: dict[str, str] = {
    "agriculture": "agriculture", "manufacturing": "industry", "mining_utilities": "industry",
    "construction": "construction", "wholesale": "wholesale", "retail": "retail",
    "transport": "transport", "warehousing": "warehousing", "postal_express": "postal",
    "accommodation": "accommodation_catering", "catering": "accommodation_catering",
    "information_transmission": "information_transmission", "software_it": "software_it",
    "real_estate_development": "real_estate_development",
    "property_management": "property_management",
    "leasing_business_services": "leasing_business_services", "research_technical": "other",
    "education": "other", "health_social": "other", "culture_sports": "other",
    "resident_services": "other", "other": "other",
}
# One industry per rule, to run each rule through the public classifier.
RULE_INDUSTRY = {rule: industry for industry, rule in reversed(INDUSTRY_RULE.items())}
BELOW = {"large": "medium", "medium": "small", "small": "micro"}
RANK = {c: i for i, c in enumerate(SIZE_CLASSES)}


def band(cuts: list[int], prefix: str, value: float) -> str:
    """The id of the band holding `value` (万元)."""
    i = max(j for j, c in enumerate(cuts) if c <= value)
    upper = cuts[i + 1] if i + 1 < len(cuts) else "plus"
    return f"{prefix}_{cuts[i]}_{upper}"


def classify(rule: str, values: dict[str, float]) -> str | None:
    """The class of exact figures by the public API; a criterion not given is undisclosed."""
    staff = values.get("staff")
    revenue = band(REVENUE_CUTS, "rev", values["revenue"]) if "revenue" in values \
        else "rev_undisclosed"
    assets = band(ASSETS_CUTS, "ast", values["assets"]) if "assets" in values \
        else "ast_undisclosed"
    return size_class(RULE_INDUSTRY[rule], int(staff) if staff is not None else None,
                      revenue, assets)


def threshold_cases() -> list[Any]:
    """Per rule, class and criterion: every bound met → the class; one criterion just below
    (one person fewer, the band under the threshold) → the class below."""
    cases = []
    for rule, classes in RULES.items():
        for cls, bounds in classes.items():
            cases.append(pytest.param(rule, dict(bounds), cls, id=f"{rule}-{cls}-at"))
            for c in bounds:
                below = {**bounds, c: bounds[c] - 1}
                cases.append(pytest.param(rule, below, BELOW[cls],
                                          id=f"{rule}-{cls}-{c}-below"))
    return cases


@pytest.mark.parametrize(("rule", "values", "expected"), threshold_cases())
def test_both_sides_of_every_threshold(rule: str, values: dict[str, float],
                                       expected: str) -> None:
    assert classify(rule, values) == expected


def test_the_data_file_holds_the_standard_table() -> None:
    assert {r: {cls: dict(b) for cls, b in rule.bounds.items()}
            for r, rule in STANDARD.rules.items()} == RULES
    assert {r: set(rule.criteria) for r, rule in STANDARD.rules.items()} == {
        r: set(classes["small"]) for r, classes in RULES.items()}
    assert STANDARD.source["reference"] == "工信部联企业〔2011〕300号"
    assert STANDARD.source["date"].isoformat() == "2011-06-18"


def test_bands_are_the_spec_bands() -> None:
    for name, cuts, prefix in (("revenue", REVENUE_CUTS, "rev"), ("assets", ASSETS_CUTS, "ast")):
        ids = [b.id for b in STANDARD.bands[name]]
        assert ids == [band(cuts, prefix, c) for c in cuts]
        assert STANDARD.undisclosed[name] == f"{prefix}_undisclosed"
    assert STANDARD.questions == {"staff": "employees", "revenue": "revenue_band",
                                  "assets": "assets_band"}


def test_bands_are_cut_at_every_threshold_so_known_answers_always_decide() -> None:
    for rule in STANDARD.rules.values():
        for c in set(rule.criteria) & {"revenue", "assets"}:
            assert set(rule.thresholds(c)) <= {b.lower for b in STANDARD.bands[c]}, (rule.id, c)
    staff = sorted({0, 1} | {b["staff"] + d for r in RULES.values() for b in r.values()
                             if "staff" in b for d in (-1, 0)})
    for industry in INDUSTRY_RULE:
        for e, r, a in itertools.product(staff, STANDARD.bands["revenue"],
                                         STANDARD.bands["assets"]):
            assert size_class(industry, e, r.id, a.id) is not None, (industry, e, r.id, a.id)


def test_every_industry_value_maps_to_its_rule() -> None:
    assert dict(STANDARD.industries) == INDUSTRY_RULE
    assert set(INDUSTRY_RULE.values()) == set(RULES)


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), [
    # "或": a firm is an SME when under ANY upper bound, so large needs every one reached.
    ("manufacturing", 5000, "rev_30000_40000", None, "medium"),
    ("manufacturing", 999, "rev_200000_plus", None, "medium"),
    ("manufacturing", 1000, "rev_40000_80000", None, "large"),
    ("construction", None, "rev_200000_plus", "ast_10000_80000", "medium"),
    ("construction", None, "rev_80000_100000", "ast_80000_120000", "large"),
    ("real_estate_development", None, "rev_100000_200000", "ast_120000_plus", "medium"),
    ("leasing_business_services", 5000, None, "ast_80000_120000", "medium"),
    ("wholesale", 199, "rev_200000_plus", None, "medium"),
    # "且" below the top: a large head count does not lift a small revenue.
    ("manufacturing", 5000, "rev_300_500", None, "small"),
    ("manufacturing", 5000, "rev_200_300", None, "micro"),
    ("software_it", 3, "rev_200000_plus", None, "micro"),
])
def test_the_or_of_the_large_bound(industry: str, employees: int | None, revenue: str | None,
                                   assets: str | None, expected: str) -> None:
    assert size_class(industry, employees, revenue, assets) == expected


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), [
    # an undisclosed, missing or unknown band is [0, ∞): a class only if every value agrees
    ("manufacturing", 8, "rev_undisclosed", None, "micro"),
    ("manufacturing", 8, None, None, "micro"),
    ("manufacturing", 1500, "rev_undisclosed", None, None),
    ("manufacturing", 1500, "not-a-band", None, None),
    ("manufacturing", None, "rev_200_300", None, "micro"),
    ("manufacturing", None, "rev_300_500", None, None),
    ("agriculture", None, "rev_500_1000", None, "medium"),       # revenue only: staff unused
    ("agriculture", 5000, "rev_undisclosed", None, None),
    ("other", 150, "rev_undisclosed", "ast_undisclosed", "medium"),  # staff only
    ("other", None, "rev_200000_plus", None, None),
    ("construction", 3000, "rev_200_300", "ast_undisclosed", "micro"),
    ("construction", 3000, "rev_10000_20000", "ast_undisclosed", None),
    ("construction", 3000, "rev_10000_20000", "ast_5000_8000", "medium"),
    ("real_estate_development", None, "rev_500_1000", "ast_0_100", "micro"),
    ("leasing_business_services", 9, None, None, "micro"),
    # an unknown industry may be any sector: a class only when every rule agrees
    (None, 5, "rev_0_50", "ast_0_100", "micro"),
    ("no_such_industry", 5, "rev_0_50", None, "micro"),
    (None, 500, "rev_undisclosed", None, None),
    # a head count that is not one is unknown
    ("other", -1, None, None, None),
    ("other", math.nan, None, None, None),
    ("other", True, None, None, None),
    ("other", 150.0, None, None, "medium"),
])
def test_unknown_answers(industry: str | None, employees: float | None, revenue: str | None,
                         assets: str | None, expected: str | None) -> None:
    assert size_class(industry, employees, revenue, assets) == expected


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), [
    # 150-person consultancy (leasing and business services: staff and assets). Without its
    # assets it cannot be classed: medium if assets ≥ 8000万 (RMB 80 m), small from 100万 to
    # 8000万, micro under 100万. 2026.1 called it "small" whatever its assets.
    ("leasing_business_services", 150, "rev_3000_5000", "ast_undisclosed", None),
    ("leasing_business_services", 150, "rev_3000_5000", "ast_8000_10000", "medium"),
    ("leasing_business_services", 150, "rev_3000_5000", "ast_2000_5000", "small"),
    ("leasing_business_services", 150, "rev_3000_5000", "ast_0_100", "micro"),
    # 400-person education firm: unlisted sector, staff ≥ 300 → large, not an SME at all
    # (2026.1 read it with the industrial row: medium).
    ("education", 400, "rev_2000_3000", None, "large"),
    ("education", 400, "rev_undisclosed", None, "large"),
    # 30-person wholesaler with RMB 60 m (6000万): staff ≥ 20 and revenue ≥ 5000万 → medium
    ("wholesale", 30, "rev_6000_10000", None, "medium"),
    # 150-person software firm with RMB 5 m (500万): medium needs 1000万 → small
    ("software_it", 150, "rev_500_1000", None, "small"),
    # 12-person restaurant: small from 100万 revenue, micro under it; without revenue, None
    ("catering", 12, "rev_200_300", None, "small"),
    ("catering", 12, "rev_50_100", None, "micro"),
    ("catering", 12, "rev_undisclosed", None, None),
])
def test_realistic_firms(industry: str, employees: int, revenue: str, assets: str | None,
                         expected: str | None) -> None:
    assert size_class(industry, employees, revenue, assets) == expected


# --- properties ------------------------------------------------------------------------------

REV_IDS = [b.id for b in STANDARD.bands["revenue"]] + ["rev_undisclosed"]
AST_IDS = [b.id for b in STANDARD.bands["assets"]] + ["ast_undisclosed"]
firms = st.tuples(st.sampled_from([*INDUSTRY_RULE, None]),
                  st.one_of(st.none(), st.integers(0, 5000)),
                  st.integers(0, len(REV_IDS) - 2), st.integers(0, len(AST_IDS) - 2))


@given(firm=firms, more_staff=st.integers(0, 5000), more_rev=st.integers(0, len(REV_IDS) - 2),
       more_ast=st.integers(0, len(AST_IDS) - 2))
def test_a_bigger_firm_is_never_in_a_smaller_class(firm: tuple[Any, ...], more_staff: int,
                                                   more_rev: int, more_ast: int) -> None:
    industry, staff, rev, ast = firm
    before = size_class(industry, staff, REV_IDS[rev], AST_IDS[ast])
    after = size_class(industry, None if staff is None else staff + more_staff,
                       REV_IDS[min(rev + more_rev, len(REV_IDS) - 2)],
                       AST_IDS[min(ast + more_ast, len(AST_IDS) - 2)])
    if before is not None and after is not None:
        assert RANK[before] <= RANK[after]


@given(firm=firms, hide=st.sets(st.sampled_from(["staff", "revenue", "assets"])))
def test_a_class_given_on_less_information_holds_for_every_fuller_answer(
        firm: tuple[Any, ...], hide: set[str]) -> None:
    industry, staff, rev, ast = firm
    partial = size_class(industry, None if "staff" in hide else staff,
                         "rev_undisclosed" if "revenue" in hide else REV_IDS[rev],
                         "ast_undisclosed" if "assets" in hide else AST_IDS[ast])
    if partial is not None:
        assert size_class(industry, staff, REV_IDS[rev], AST_IDS[ast]) == partial


# --- the file's own checks -------------------------------------------------------------------

def raw() -> dict[str, Any]:
    with (DATA_DIR / "size-standard-2011.toml").open("rb") as fh:
        return tomllib.load(fh)


def rule(data: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rid)


def test_the_shipped_file_passes_its_checks() -> None:
    assert parse_size_standard(raw()).rules.keys() == RULES.keys()


def _threshold_off_the_cuts(d: dict[str, Any]) -> None:
    rule(d, "industry")["small"]["revenue"] = 350


def _band_gap(d: dict[str, Any]) -> None:
    del d["criteria"]["revenue"]["bands"][3]


def _band_misnamed(d: dict[str, Any]) -> None:
    d["criteria"]["assets"]["bands"][0]["id"] = "ast_0_99"


def _band_id_twice(d: dict[str, Any]) -> None:
    d["criteria"]["assets"]["undisclosed"] = "rev_undisclosed"


def _rule_id_twice(d: dict[str, Any]) -> None:
    d["rules"].append(copy.deepcopy(rule(d, "other")))


def _bounds_fall(d: dict[str, Any]) -> None:
    rule(d, "retail")["medium"]["staff"] = 500


def _criteria_mismatch(d: dict[str, Any]) -> None:
    rule(d, "other")["medium"] = {"staff": 100, "revenue": 1000}


def _industry_to_no_rule(d: dict[str, Any]) -> None:
    d["industries"]["education"] = "education"


def _rule_unused(d: dict[str, Any]) -> None:
    d["industries"]["postal_express"] = "transport"


def _no_date(d: dict[str, Any]) -> None:
    del d["source"]["date"]


@pytest.mark.parametrize(("break_it", "message"), [
    (_threshold_off_the_cuts, "revenue threshold 350 is not a band boundary"),
    (_band_gap, "leaves a gap or an overlap"),
    (_band_misnamed, "should be named ast_0_100"),
    (_band_id_twice, "id rev_undisclosed is used twice"),
    (_rule_id_twice, "rule other: id used twice"),
    (_bounds_fall, "rule retail: staff bounds fall from large to small"),
    (_criteria_mismatch, "`medium` must give a positive integer bound for exactly ['staff']"),
    (_industry_to_no_rule, "industry education: no rule 'education'"),
    (_rule_unused, "rules no industry uses: ['postal']"),
    (_no_date, "`source` needs a `reference` and a `date`"),
])
def test_a_broken_file_is_refused(break_it: Any, message: str) -> None:
    data = raw()
    break_it(data)
    with pytest.raises(SizeStandardError) as err:
        parse_size_standard(data, source="broken.toml")
    assert any(message in p for p in err.value.problems), err.value.problems
    assert "broken.toml" in str(err.value)
