"""Region and size class derived from the profile, and how they fit the questionnaire."""

from __future__ import annotations

import itertools

import pytest

from survey.core.profile import (
    _THRESHOLDS,
    EMPLOYEES_FLOOR,
    PROVINCE_REGION,
    REGIONS,
    REVENUE_FLOOR_M,
    SIZE_CLASSES,
    derived_profile,
    region_of,
    size_class,
)
from survey.core.questionnaire import load_questionnaire

Q = load_questionnaire("2026.1")


def values(qid: str) -> list[str]:
    return [o.value for o in Q.question(qid).options if not o.is_skip]


def test_every_province_option_has_a_region_and_nothing_else_does() -> None:
    assert set(values("province")) == set(PROVINCE_REGION)
    assert len(PROVINCE_REGION) == 31   # mainland provinces, regions and municipalities
    counts = {r: sum(1 for v in PROVINCE_REGION.values() if v == r) for r in REGIONS}
    assert counts == {"east": 10, "central": 6, "west": 12, "northeast": 3}


@pytest.mark.parametrize(("province", "region"), [
    ("guangdong", "east"), ("hainan", "east"), ("henan", "central"), ("shanxi", "central"),
    ("shaanxi", "west"), ("inner_mongolia", "west"), ("guangxi", "west"),
    ("heilongjiang", "northeast"), ("atlantis", None), (None, None), ("", None),
])
def test_region_of(province: str | None, region: str | None) -> None:
    assert region_of(province) == region


def test_bands_match_the_questionnaire() -> None:
    assert values("employees") == list(EMPLOYEES_FLOOR)
    assert values("revenue") == list(REVENUE_FLOOR_M)
    assert set(_THRESHOLDS) <= set(values("industry"))


@pytest.mark.parametrize(("industry", "employees", "revenue", "expected"), [
    # industry (the default): small ≥ 20 people and RMB 3 m, medium ≥ 300 and 20 m,
    # large ≥ 1,000 and 400 m — both conditions at once
    ("manufacturing", "e1_9", "r400m_plus", "micro"),
    ("manufacturing", "e20_99", "r1_3m", "micro"),
    ("manufacturing", "e20_99", "r3_20m", "small"),
    ("manufacturing", "e300_999", "r20_50m", "medium"),
    ("manufacturing", "e1000_plus", "r200_400m", "medium"),
    ("manufacturing", "e1000_plus", "r400m_plus", "large"),
    ("other", "e20_99", "r3_20m", "small"),
    # software and IT: small ≥ 10 and 1 m, medium ≥ 100 and 10 m, large ≥ 300 and 100 m
    ("software_it", "e10_19", "r1_3m", "small"),
    ("software_it", "e100_299", "r20_50m", "medium"),
    ("software_it", "e300_999", "r200_400m", "large"),
    # hotels and restaurants: large ≥ 300 and 100 m
    ("accommodation_catering", "e300_999", "r50_200m", "medium"),
    ("accommodation_catering", "e300_999", "r200_400m", "large"),
    (None, "e20_99", "r3_20m", "small"),
    ("manufacturing", None, "r3_20m", None),
    ("manufacturing", "e20_99", "lots", None),
])
def test_size_class(industry: str | None, employees: str | None, revenue: str | None,
                    expected: str | None) -> None:
    assert size_class(industry, employees, revenue) == expected


def test_a_bigger_firm_is_never_in_a_smaller_class() -> None:
    rank = {c: i for i, c in enumerate(SIZE_CLASSES)}
    emps, revs = list(EMPLOYEES_FLOOR), list(REVENUE_FLOOR_M)
    for industry in values("industry"):
        for (e1, e2), (r1, r2) in itertools.product(
                itertools.combinations_with_replacement(emps, 2),
                itertools.combinations_with_replacement(revs, 2)):
            small, big = size_class(industry, e1, r1), size_class(industry, e2, r2)
            assert small is not None and big is not None
            assert rank[small] <= rank[big], (industry, e1, r1, e2, r2)


def test_derived_profile() -> None:
    answers = {"industry": "software_it", "employees": "e10_19", "revenue": "r1_3m",
               "province": "sichuan", "ownership": "private", "export_status": "exporting",
               "years_operating": 7}
    assert derived_profile(answers) == {
        "industry": "software_it", "employees": "e10_19", "revenue": "r1_3m",
        "size_class": "small", "province": "sichuan", "region": "west",
        "ownership": "private", "export_status": "exporting",
    }
    assert derived_profile({"industry": ["x"], "province": 3}) == dict.fromkeys(
        ["industry", "employees", "revenue", "size_class", "province", "region", "ownership",
         "export_status"])


def test_profile_questions_are_the_ones_derived_profile_reads() -> None:
    for qid in ("industry", "employees", "revenue", "province", "ownership", "export_status"):
        assert Q.question(qid).type == "single" and not Q.question(qid).scored
