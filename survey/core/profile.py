"""Facts derived from the company profile (pure): region and size class.

The region is never asked: it follows from the province by the National Bureau of Statistics'
four economic regions. The size class follows a simplified reading of the 2011 SME
classification standard (工信部联企业〔2011〕300号), which classes firms by industry, employees
and revenue; our bands are cut at that standard's thresholds so the mapping is exact for
industry and close elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REGIONS: tuple[str, ...] = ("east", "central", "west", "northeast")
SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")

PROVINCE_REGION: dict[str, str] = {
    **dict.fromkeys(
        ["beijing", "tianjin", "hebei", "shanghai", "jiangsu", "zhejiang", "fujian",
         "shandong", "guangdong", "hainan"], "east"),
    **dict.fromkeys(["shanxi", "anhui", "jiangxi", "henan", "hubei", "hunan"], "central"),
    **dict.fromkeys(
        ["inner_mongolia", "guangxi", "chongqing", "sichuan", "guizhou", "yunnan", "tibet",
         "shaanxi", "gansu", "qinghai", "ningxia", "xinjiang"], "west"),
    **dict.fromkeys(["liaoning", "jilin", "heilongjiang"], "northeast"),
}

EMPLOYEES_FLOOR: dict[str, int] = {
    "e1_9": 1, "e10_19": 10, "e20_99": 20, "e100_299": 100, "e300_999": 300, "e1000_plus": 1000,
}
REVENUE_FLOOR_M: dict[str, float] = {
    "r_lt1m": 0, "r1_3m": 1, "r3_20m": 3, "r20_50m": 20, "r50_200m": 50, "r200_400m": 200,
    "r400m_plus": 400,
}

# (employees, revenue in RMB million) a firm must reach, both, to be in the class.
_Thresholds = dict[str, tuple[int, float]]
_INDUSTRIAL: _Thresholds = {"large": (1000, 400), "medium": (300, 20), "small": (20, 3)}
_THRESHOLDS: dict[str, _Thresholds] = {
    "software_it": {"large": (300, 100), "medium": (100, 10), "small": (10, 1)},
    "wholesale_retail": {"large": (300, 200), "medium": (100, 20), "small": (10, 1)},
    "business_services": {"large": (300, 200), "medium": (100, 20), "small": (10, 1)},
    "accommodation_catering": {"large": (300, 100), "medium": (100, 20), "small": (10, 1)},
    "transport_logistics": {"large": (1000, 200), "medium": (300, 20), "small": (20, 1)},
}


def region_of(province: str | None) -> str | None:
    return PROVINCE_REGION.get(province or "")


def size_class(industry: str | None, employees: str | None, revenue: str | None) -> str | None:
    """micro / small / medium / large, or None when employees or revenue is unknown."""
    if employees not in EMPLOYEES_FLOOR or revenue not in REVENUE_FLOOR_M:
        return None
    emp, rev = EMPLOYEES_FLOOR[employees], REVENUE_FLOOR_M[revenue]
    thresholds = _THRESHOLDS.get(industry or "", _INDUSTRIAL)
    for cls in ("large", "medium", "small"):
        min_emp, min_rev = thresholds[cls]
        if emp >= min_emp and rev >= min_rev:
            return cls
    return "micro"


def derived_profile(answers: Mapping[str, Any]) -> dict[str, str | None]:
    """The profile columns stored with an assessment for segmenting aggregates."""

    def pick(key: str) -> str | None:
        v = answers.get(key)
        return v if isinstance(v, str) else None

    return {
        "industry": pick("industry"),
        "employees": pick("employees"),
        "revenue": pick("revenue"),
        "size_class": size_class(pick("industry"), pick("employees"), pick("revenue")),
        "province": pick("province"),
        "region": region_of(pick("province")),
        "ownership": pick("ownership"),
        "export_status": pick("export_status"),
    }
