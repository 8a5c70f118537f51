"""Facts derived from the company profile (pure): region and size class.

The region is never asked: it follows from the province by the National Bureau of Statistics'
four economic regions. The size class follows China's SME size standard (工信部联企业〔2011〕300号),
whose rules are data (`survey/core/sizes.py` and `questionnaire/data/size-standard-2011.toml`).

Two generations of answers are classed:
- 2027.1 asks the head count as a number, revenue in bands cut at every threshold of the
  standard and, where the standard needs it, total assets: `sizes.size_class` decides exactly,
  or says None when an undisclosed figure leaves more than one class possible.
- 2026.1 asked coarser bands (`employees` e1_9 …, `revenue` r_lt1m …) and fewer industries.
  Stored answers must rescan as they were scored, so `size_class` below keeps that method's
  class wherever the standard allows it and corrects it only where the standard contradicts it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from survey.core.sizes import SIZE_CLASSES as SIZE_CLASSES
from survey.core.sizes import Interval, load_size_standard
from survey.core.sizes import size_class as standard_size_class

REGIONS: tuple[str, ...] = ("east", "central", "west", "northeast")

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

ProfileValue = str | int | float | None

# --- Questionnaire 2026.1 -------------------------------------------------------------------

EMPLOYEES_FLOOR: dict[str, int] = {
    "e1_9": 1, "e10_19": 10, "e20_99": 20, "e100_299": 100, "e300_999": 300, "e1000_plus": 1000,
}
REVENUE_FLOOR_M: dict[str, float] = {
    "r_lt1m": 0, "r1_3m": 1, "r3_20m": 3, "r20_50m": 20, "r50_200m": 50, "r200_400m": 200,
    "r400m_plus": 400,
}


def _intervals(floors: Mapping[str, float], scale: float) -> dict[str, Interval]:
    keys = list(floors)
    return {k: (floors[k] * scale,
                floors[keys[i + 1]] * scale if i + 1 < len(keys) else None)
            for i, k in enumerate(keys)}


EMPLOYEES_2026: dict[str, Interval] = _intervals(EMPLOYEES_FLOOR, 1)
REVENUE_2026: dict[str, Interval] = _intervals(REVENUE_FLOOR_M, 100)   # RMB million -> 万元

# The standard's rules each 2026.1 industry option may stand for. Some options merged rows of
# the standard; "other" was where mining and utilities, telecoms, real estate and property
# management firms had to go. An unknown industry may be any rule.
INDUSTRY_RULES_2026: dict[str, tuple[str, ...]] = {
    "manufacturing": ("industry",),
    "wholesale_retail": ("wholesale", "retail"),
    "software_it": ("software_it",),
    "science_tech_services": ("other",),
    "transport_logistics": ("transport", "warehousing", "postal"),
    "construction": ("construction",),
    "accommodation_catering": ("accommodation_catering",),
    "business_services": ("leasing_business_services",),
    "agriculture": ("agriculture",),
    "culture_education_health": ("other",),
    "other": ("industry", "information_transmission", "real_estate_development",
              "property_management", "other"),
}

# The 2026.1 approximation: (employees, revenue in RMB million) a firm must reach, both, to be
# in the class, read at the band's floor; any industry not listed used the industrial row.
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


def _approximation_2026(industry: str | None, employees: str, revenue: str) -> str:
    emp, rev = EMPLOYEES_FLOOR[employees], REVENUE_FLOOR_M[revenue]
    thresholds = _THRESHOLDS.get(industry or "", _INDUSTRIAL)
    for cls in ("large", "medium", "small"):
        min_emp, min_rev = thresholds[cls]
        if emp >= min_emp and rev >= min_rev:
            return cls
    return "micro"


def size_class(industry: str | None, employees: str | None, revenue: str | None) -> str | None:
    """The size class of 2026.1 answers: the 2026.1 class, corrected where the standard rules
    it out.

    The classes the standard allows for every firm in the bands are computed with the 2011
    rules. When that is one class, it is the answer (this fixes, e.g., the staff-only rule of
    research, education, health and culture firms, which 2026.1 read with the industrial
    row, and agriculture's revenue-only rule). Otherwise the 2026.1 class is kept when it is
    one of them, and moved to the nearest one (the lower on a tie) when it is not: a
    300-person builder with RMB 20–50 m revenue is no longer medium, which needs RMB 60 m.
    A band left unanswered is [0, ∞): a class only when the standard needs no more.

    What the 2026.1 answers cannot decide, so the kept class is a best guess:
    - assets were never asked: construction (revenue and assets) and business services (staff
      and assets) are decided only below revenue RMB 3 m or 10 staff (micro);
    - merged options: wholesale_retail is two rows with different bounds, transport_logistics
      three (transport, warehousing, postal), and "other" held mining and utilities, telecoms,
      real estate and property management beside the unlisted sectors;
    - bands straddling a threshold: revenue under RMB 1 m (software and agriculture small at
      RMB 0.5 m), RMB 3–20 m (agriculture medium at 5 m, software medium at 10 m) and RMB
      50–200 m (software and accommodation/catering large at RMB 100 m); 20–99 and 100–299
      people (retail medium at 50, wholesale and warehousing large at 200).
    Manufacturing and the staff-only sectors are always decided: the bands were cut there.
    """
    intervals = {"staff": EMPLOYEES_2026.get(employees or "", (0, None)),
                 "revenue": REVENUE_2026.get(revenue or "", (0, None))}
    standard = load_size_standard()
    rules = INDUSTRY_RULES_2026.get(industry or "", tuple(standard.rules))
    possible = sorted(standard.possible_classes(rules, intervals), key=SIZE_CLASSES.index)
    if len(possible) == 1:
        return possible[0]
    if employees not in EMPLOYEES_FLOOR or revenue not in REVENUE_FLOOR_M:
        return None
    old = SIZE_CLASSES.index(_approximation_2026(industry, employees, revenue))
    return min(possible, key=lambda c: (abs(SIZE_CLASSES.index(c) - old), SIZE_CLASSES.index(c)))


# --- Both -----------------------------------------------------------------------------------

def _number(value: object) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def is_2027_profile(answers: Mapping[str, Any]) -> bool:
    """2027.1 answers give the head count as a number or carry the new band questions; 2026.1
    answers have neither (their `employees` is a band id)."""
    return (_number(answers.get("employees")) is not None
            or "revenue_band" in answers or "assets_band" in answers)


# Industries whose firms sell a service (software, design, research, training) rather than
# goods: shipping, labelling and warehouse advice does not fit them. Next steps read this as the
# derived `sector`, so the industry is context, never the reason given for a step.
SERVICE_INDUSTRIES: frozenset[str] = frozenset({
    "information_transmission", "software_it", "leasing_business_services",
    "research_technical", "education", "culture_sports",
})


def sector_of(industry: str | None) -> str | None:
    if industry is None:
        return None
    return "services" if industry in SERVICE_INDUSTRIES else "goods"


def derived_profile(answers: Mapping[str, Any]) -> dict[str, ProfileValue]:
    """The profile columns stored with an assessment for segmenting aggregates.

    The 2026.1 keys are always there. 2027.1 answers add `revenue_band` and `assets_band`, and
    their `employees` is the head count as given (a number, no longer a band id). 2026.1 answers
    get exactly the 2026.1 keys: the assessment table has no column for the new ones yet, and
    the app still takes 2026.1 answers only, so today's rows are built as before.
    """

    def pick(key: str) -> str | None:
        v = answers.get(key)
        return v if isinstance(v, str) else None

    new = is_2027_profile(answers)
    profile: dict[str, ProfileValue] = {
        "industry": pick("industry"),
        "employees": pick("employees"),
        "revenue": pick("revenue"),
        "size_class": None if new else size_class(pick("industry"), pick("employees"),
                                                  pick("revenue")),
        "province": pick("province"),
        "region": region_of(pick("province")),
        "ownership": pick("ownership"),
        "export_status": pick("export_status"),
    }
    if new:
        employees = _number(answers.get("employees"))
        profile.update(
            employees=employees,
            revenue_band=pick("revenue_band"),
            assets_band=pick("assets_band"),
            size_class=standard_size_class(pick("industry"), employees, pick("revenue_band"),
                                           pick("assets_band")),
        )
    return profile
