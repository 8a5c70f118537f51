"""China's SME size standard as data, and the size class of a firm (pure).

The rules of 工信部联企业〔2011〕300号 live in `questionnaire/data/size-standard-2011.toml`, not
here, so a revised standard is a new data file. This module reads and checks that file and
classes a firm: micro / small / medium / large, or None when the answers cannot decide.

A firm rarely tells us exact figures: it gives a number of people and picks a revenue band
(and, in three sectors, an assets band), or prefers not to say. A band is an interval, an
undisclosed or unknown one is [0, ∞), and a class is returned only when every firm consistent
with those intervals gets the same class under the sector's rule. Guessing from the band's
floor would put firms in peer groups they do not belong to; None keeps them out of size
breakdowns instead. Bands cut at every threshold make the known-band case always decidable.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "questionnaire" / "data"
DEFAULT_STANDARD = "size-standard-2011"

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")
CRITERIA: tuple[str, ...] = ("staff", "revenue", "assets")
BANDED: tuple[str, ...] = ("revenue", "assets")
# The classes a rule names bounds for, tried from the top: the first whose bounds are all met.
RULE_CLASSES: tuple[str, ...] = ("large", "medium", "small")

# [lower, upper) in the criterion's unit; upper None is unbounded; lower == upper is one value.
Interval = tuple[float, float | None]
UNKNOWN: Interval = (0, None)


class SizeStandardError(ValueError):
    """The size-standard file breaks a rule; the message lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the size standard:\n{lines}")


@dataclass(frozen=True)
class Band:
    """One answer option of a banded criterion: [lower, upper) in 万元."""

    id: str
    lower: int
    upper: int | None

    @property
    def interval(self) -> Interval:
        return (self.lower, self.upper)


@dataclass(frozen=True)
class Rule:
    """One sector row of the standard: the lower bounds (in the criterion's unit) per class."""

    id: str
    name: Mapping[str, str]
    criteria: tuple[str, ...]
    bounds: Mapping[str, Mapping[str, int]]   # "large" / "medium" / "small" -> criterion -> bound

    def class_of(self, values: Mapping[str, float]) -> str:
        """The class of exact figures: the highest class whose every bound is met ("且"),
        so large needs every SME upper bound reached (an SME is under any one: "或")."""
        for cls in RULE_CLASSES:
            if all(values[c] >= self.bounds[cls][c] for c in self.criteria):
                return cls
        return "micro"

    def thresholds(self, criterion: str) -> list[int]:
        return sorted({self.bounds[cls][criterion] for cls in RULE_CLASSES}
                      if criterion in self.criteria else set())


@dataclass(frozen=True)
class SizeStandard:
    id: str
    source: Mapping[str, Any]
    questions: Mapping[str, str]                 # criterion -> the question that asks it
    bands: Mapping[str, tuple[Band, ...]]        # banded criterion -> its bands, in order
    undisclosed: Mapping[str, str]               # banded criterion -> its "prefer not to say"
    rules: Mapping[str, Rule]
    industries: Mapping[str, str]                # industry option value -> rule id

    def interval(self, criterion: str, band_id: object) -> Interval:
        """The band's interval; an undisclosed, missing or unknown answer is [0, ∞)."""
        for band in self.bands[criterion]:
            if band.id == band_id:
                return band.interval
        return UNKNOWN

    def rule_ids(self, industry: object) -> tuple[str, ...]:
        """The rule of an industry; every rule when the industry is not known."""
        rule = self.industries.get(industry) if isinstance(industry, str) else None
        return (rule,) if rule is not None else tuple(self.rules)

    def possible_classes(self, rule_ids: Iterable[str],
                         intervals: Mapping[str, Interval]) -> frozenset[str]:
        """Every class some firm consistent with the intervals gets under any of the rules.

        A rule's class only changes at its thresholds, so the interval's lower bound and the
        thresholds inside it stand for every value in it (a criterion missing from
        `intervals` is unknown).
        """
        found: set[str] = set()
        for rule in (self.rules[r] for r in rule_ids):
            points = [_representatives(intervals.get(c, UNKNOWN), rule.thresholds(c))
                      for c in rule.criteria]
            for combo in itertools.product(*points):
                found.add(rule.class_of(dict(zip(rule.criteria, combo, strict=True))))
        return frozenset(found)


def _representatives(interval: Interval, thresholds: list[int]) -> list[float]:
    lower, upper = interval
    return [lower, *(t for t in thresholds if lower < t and (upper is None or t < upper))]


def staff_interval(employees: object) -> Interval:
    """A head count as an exact value; anything else (missing, negative, not a number) unknown."""
    if isinstance(employees, bool) or not isinstance(employees, int | float):
        return UNKNOWN
    if not math.isfinite(employees) or employees < 0:
        return UNKNOWN
    return (employees, employees)


def size_class(industry: str | None, employees: float | None, revenue_band: str | None,
               assets_band: str | None, *, standard: SizeStandard | None = None) -> str | None:
    """micro / small / medium / large by the standard, or None when the answers allow more
    than one class (a criterion the rule needs is undisclosed, or the industry is unknown
    and the sectors' rules disagree)."""
    std = standard or load_size_standard()
    intervals = {"staff": staff_interval(employees),
                 "revenue": std.interval("revenue", revenue_band),
                 "assets": std.interval("assets", assets_band)}
    classes = std.possible_classes(std.rule_ids(industry), intervals)
    return next(iter(classes)) if len(classes) == 1 else None


def load_size_standard(name: str = DEFAULT_STANDARD) -> SizeStandard:
    """The standard `data/<name>.toml`, read and checked once per process."""
    return _load_cached(name)


@lru_cache(maxsize=4)
def _load_cached(name: str) -> SizeStandard:
    path = DATA_DIR / f"{name}.toml"
    if not path.is_file():
        raise SizeStandardError(str(path), [f"no size standard named {name!r}"])
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    standard = parse_size_standard(data, source=path.name)
    if standard.id != name:
        raise SizeStandardError(path.name, [f"id {standard.id!r} is not the file's name {name!r}"])
    return standard


def parse_size_standard(data: Mapping[str, Any], source: str = "<data>") -> SizeStandard:
    """Check every rule of the format and build the standard; all problems are reported."""
    problems: list[str] = []
    extra = set(data) - {"id", "unit", "source", "criteria", "rules", "industries"}
    if extra:
        problems.append(f"unknown top-level keys {sorted(extra)}")
    if not isinstance(data.get("id"), str):
        problems.append("`id` must be a string")
    src = data.get("source")
    if not (isinstance(src, dict) and isinstance(src.get("reference"), str)
            and isinstance(src.get("date"), dt.date)):
        problems.append("`source` needs a `reference` and a `date` (YYYY-MM-DD)")
    crit = data.get("criteria")
    crit = crit if isinstance(crit, dict) else {}
    questions, bands, undisclosed = _parse_criteria(crit, problems)
    rules = _parse_rules(data.get("rules"), problems)
    industries = _parse_industries(data.get("industries"), rules, problems)
    for rule in rules.values():
        for c in set(rule.criteria) & set(bands):
            cuts = {b.lower for b in bands[c]}
            for t in rule.thresholds(c):
                if t not in cuts:
                    problems.append(f"rule {rule.id}: {c} threshold {t} is not a band boundary")
    if problems:
        raise SizeStandardError(source, problems)
    return SizeStandard(id=data["id"], source=dict(src or {}), questions=questions,
                        bands=bands, undisclosed=undisclosed, rules=rules, industries=industries)


def _parse_criteria(crit: Mapping[str, Any], problems: list[str]
                    ) -> tuple[dict[str, str], dict[str, tuple[Band, ...]], dict[str, str]]:
    questions: dict[str, str] = {}
    bands: dict[str, tuple[Band, ...]] = {}
    undisclosed: dict[str, str] = {}
    if set(crit) != set(CRITERIA):
        problems.append(f"`criteria` must be exactly {list(CRITERIA)}")
    seen: set[str] = set()
    for name in CRITERIA:
        spec = crit.get(name)
        if not isinstance(spec, dict) or not isinstance(spec.get("question"), str):
            problems.append(f"criterion {name}: needs a `question`")
            continue
        questions[name] = spec["question"]
        if name not in BANDED:
            continue
        skip = spec.get("undisclosed")
        if not isinstance(skip, str) or not skip.endswith("_undisclosed"):
            problems.append(f"criterion {name}: `undisclosed` must be an id ending _undisclosed")
            continue
        if skip in seen:
            problems.append(f"criterion {name}: id {skip} is used twice")
        undisclosed[name] = skip
        seen.add(skip)
        bands[name] = _parse_bands(name, spec.get("bands"), skip.removesuffix("_undisclosed"),
                                   seen, problems)
    return questions, bands, undisclosed


def _parse_bands(name: str, raw: object, prefix: str, seen: set[str],
                 problems: list[str]) -> tuple[Band, ...]:
    """Bands tile [0, ∞) with no gap or overlap, each id naming its bounds."""
    if not isinstance(raw, list) or not raw:
        problems.append(f"criterion {name}: `bands` must be a non-empty list")
        return ()
    out: list[Band] = []
    expected_lower = 0
    for i, b in enumerate(raw):
        last = i == len(raw) - 1
        if not (isinstance(b, dict) and isinstance(b.get("id"), str)
                and type(b.get("lower")) is int and (type(b.get("upper")) is int
                                                    or (last and "upper" not in b))):
            problems.append(f"criterion {name}: band {i} needs an id, an integer lower and, "
                            "unless it is the last, an integer upper")
            return tuple(out)
        band = Band(b["id"], b["lower"], b.get("upper"))
        if band.lower != expected_lower or (band.upper is not None and band.upper <= band.lower):
            problems.append(f"criterion {name}: band {band.id} leaves a gap or an overlap")
        want = f"{prefix}_{band.lower}_{band.upper if band.upper is not None else 'plus'}"
        if band.id != want:
            problems.append(f"criterion {name}: band {band.id} should be named {want}")
        if band.id in seen:
            problems.append(f"criterion {name}: id {band.id} is used twice")
        seen.add(band.id)
        out.append(band)
        expected_lower = band.upper if band.upper is not None else -1
    return tuple(out)


def _parse_rules(raw: object, problems: list[str]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    if not isinstance(raw, list) or not raw:
        problems.append("`rules` must be a non-empty list")
        return rules
    for i, r in enumerate(raw):
        rid = r.get("id") if isinstance(r, dict) else None
        if not isinstance(rid, str):
            problems.append(f"rule {i}: needs an id")
            continue
        if rid in rules:
            problems.append(f"rule {rid}: id used twice")
        crit = r.get("criteria")
        if (not isinstance(crit, list) or not crit or len(set(crit)) != len(crit)
                or not set(crit) <= set(CRITERIA)):
            problems.append(f"rule {rid}: `criteria` must list distinct ones of {list(CRITERIA)}")
            continue
        bounds: dict[str, dict[str, int]] = {}
        for cls in RULE_CLASSES:
            b = r.get(cls)
            if (not isinstance(b, dict) or set(b) != set(crit)
                    or not all(type(v) is int and v > 0 for v in b.values())):
                problems.append(f"rule {rid}: `{cls}` must give a positive integer bound for "
                                f"exactly {crit}")
            else:
                bounds[cls] = b
        if len(bounds) < len(RULE_CLASSES):
            continue
        for c in crit:
            if not bounds["large"][c] >= bounds["medium"][c] >= bounds["small"][c]:
                problems.append(f"rule {rid}: {c} bounds fall from large to small")
        name = r.get("name")
        rules[rid] = Rule(rid, dict(name) if isinstance(name, dict) else {}, tuple(crit), bounds)
    return rules


def _parse_industries(raw: object, rules: Mapping[str, Rule],
                      problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        problems.append("`industries` must map industry option values to rule ids")
        return {}
    industries: dict[str, str] = {}
    for industry, rule in raw.items():
        if rule not in rules:
            problems.append(f"industry {industry}: no rule {rule!r}")
        else:
            industries[industry] = rule
    unused = set(rules) - set(raw.values())
    if unused:
        problems.append(f"rules no industry uses: {sorted(unused)}")
    return industries
