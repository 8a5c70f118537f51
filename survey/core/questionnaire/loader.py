"""Read a questionnaire TOML file and check it before anything uses it.

A broken data file must never reach a respondent: every rule of the data format
(`docs/questionnaire-format.md`) is checked here, and all problems are reported at once, each
naming the file, the question and the problem.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from survey.core.questionnaire.checker import Checker
from survey.core.questionnaire.questions import parse_question
from survey.core.questionnaire.rules import (
    check_credit_rules,
    check_grids,
    check_links,
    check_routing,
    check_steps,
    grid_units,
)
from survey.core.questionnaire.schema import (
    AREAS,
    CREDIT_CLASSES,
    LEGACY_METHOD,
    METHOD_VERSIONS,
    RECOMMENDATIONS,
    ROOT_CAUSES,
    Area,
    CreditRule,
    Level,
    Method,
    NextStep,
    Question,
    Questionnaire,
    Recommendation,
    Section,
    Text,
)

DATA_DIR = Path(__file__).parent / "data"
# The version `load_questionnaire()` serves when none is named: what respondents answer today.
# It moves to 2027.1 once the forms, report, API, exports and demo read the 2027.1 format.
CURRENT_VERSION = "2027.1"

MIN_SCORED_PER_AREA = 6
MIN_PER_ROOT_CAUSE_PER_AREA = 2
MIN_QUESTIONS_PER_RECOMMENDATION = 3
TOTAL_QUESTIONS = (30, 45)
TOTAL_QUESTIONS_2027 = (35, 50)   # a grid counts as one question
LEGACY_STEPS = (2, 4)
CONDITIONAL_STEPS = (2, 12)


class QuestionnaireError(ValueError):
    """The data file breaks a rule; the message lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the questionnaire:\n{lines}")




def load_questionnaire(version: str = CURRENT_VERSION) -> Questionnaire:
    """The questionnaire of a version, loaded and validated once per process."""
    return _load_cached(version)


@lru_cache(maxsize=8)
def _load_cached(version: str) -> Questionnaire:
    path = DATA_DIR / f"questionnaire-{version}.toml"
    if not path.is_file():
        raise QuestionnaireError(str(path), [f"no questionnaire of version {version!r}"])
    return load_file(path)


def available_versions() -> list[str]:
    """Versions with a data file; other data files (the size standard) live beside them."""
    return sorted(p.stem.removeprefix("questionnaire-")
                  for p in DATA_DIR.glob("questionnaire-*.toml"))


def load_file(path: Path | str) -> Questionnaire:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(str(path), [f"not valid TOML: {exc}"]) from exc
    return parse(raw, source=str(path))


def parse(raw: dict[str, Any], source: str = "<questionnaire>") -> Questionnaire:
    """Build and validate a questionnaire from parsed TOML; raise with every problem found."""
    c = Checker()
    version = str(raw.get("version", "")).strip()
    method_version = str(raw.get("method_version", "")).strip()
    if not version:
        c.fail("top level", "missing 'version'")
    if not method_version:
        c.fail("top level", "missing 'method_version'")
    elif method_version not in METHOD_VERSIONS:
        c.fail("top level", f"method_version {method_version!r} is not a method this code "
                            f"implements; known: {', '.join(METHOD_VERSIONS)}")
    legacy = method_version == LEGACY_METHOD
    size_standard = _parse_size_standard(raw.get("size_standard"), c)

    method = _parse_method(raw.get("method", {}), legacy, c)
    levels = _parse_levels(raw.get("levels", []), c)
    level_ids = [lv.id for lv in levels]
    areas = _parse_areas(raw.get("areas", []), level_ids, c)
    recommendations = _parse_recommendations(raw.get("recommendations", []), c)
    sections = _parse_sections(raw.get("sections", []), c)
    credit_rules = _parse_credit_rules(raw.get("indicators", {}), c)

    questions: dict[str, Question] = {}
    for section in sections:
        for q in section.questions:
            if q.id in questions:
                c.fail(f"question {q.id}", "duplicate question id")
            questions[q.id] = q
    _check_whole(questions, sections, legacy, c)
    check_routing(questions, _routing_keys(raw), c)
    check_links(questions, not legacy, c)
    check_grids(sections, c)
    check_steps(recommendations, questions, not legacy, c)
    check_credit_rules(credit_rules, questions, not legacy, c)

    if c.problems:
        raise QuestionnaireError(source, c.problems)
    return Questionnaire(
        version=version,
        method_version=method_version,
        method=method,
        levels=tuple(levels),
        areas=tuple(areas),
        recommendations=tuple(recommendations),
        sections=tuple(sections),
        source=source,
        questions=questions,
        credit_rules=tuple(credit_rules),
        size_standard=size_standard,
    )


def _routing_keys(raw: dict[str, Any]) -> dict[str, str]:
    """The key each question's condition was written under, so messages quote the file."""
    return {str(q.get("id")): "show_if" for s in raw.get("sections", [])
            if isinstance(s, dict) for q in s.get("questions", [])
            if isinstance(q, dict) and "show_if" in q}


def _parse_size_standard(raw: Any, c: Checker) -> str | None:
    """Only the name is kept: the size-class module reads and checks that file itself."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not (DATA_DIR / f"{raw}.toml").is_file():
        c.fail("top level", f"size_standard {raw!r} names no data file beside the questionnaire")
        return None
    return raw


_METHOD_INTS = ("min_answered", "drivers_max", "next_steps_max", "overall_min_areas")
_METHOD_FLOATS = ("min_weight_share", "need_min_weight_share", "priority_high",
                  "priority_medium", "gap_mostly_external", "gap_mostly_internal")


def _parse_method(raw: dict[str, Any], legacy: bool, c: Checker) -> Method:
    """The thresholds; a key left out keeps its default, so 2026.1 files load unchanged."""
    d = Method()
    unknown = sorted(set(raw) - set(_METHOD_INTS) - set(_METHOD_FLOATS))
    if unknown:
        c.fail("method", f"unknown keys {unknown}")
    values: dict[str, Any] = {}
    for name in _METHOD_INTS + _METHOD_FLOATS:
        value = c.number(raw.get(name), f"method.{name}", getattr(d, name))
        values[name] = getattr(d, name) if value is None else value
        if name in _METHOD_INTS:
            if values[name] != int(values[name]) or values[name] < 0:
                c.fail(f"method.{name}", "must be a whole number >= 0")
            values[name] = int(values[name])
    m = Method(**values, score_roots=("internal",) if legacy else ("internal", "external"))
    if not 0 <= m.priority_medium <= m.priority_high <= 100:
        c.fail("method", "need 0 <= priority_medium <= priority_high <= 100")
    for name in ("min_weight_share", "need_min_weight_share"):
        if not 0 < getattr(m, name) <= 1:
            c.fail(f"method.{name}", "must lie in (0, 1]")
    if not 0 <= m.gap_mostly_internal < m.gap_mostly_external <= 1:
        c.fail("method", "need 0 <= gap_mostly_internal < gap_mostly_external <= 1")
    if not 1 <= m.overall_min_areas <= len(AREAS):
        c.fail("method.overall_min_areas", f"must lie in 1 … {len(AREAS)}")
    return m


def _parse_levels(raw: list[dict[str, Any]], c: Checker) -> list[Level]:
    levels: list[Level] = []
    for i, item in enumerate(raw):
        lid = str(item.get("id", ""))
        title = c.text(item.get("title"), f"level {lid or i}")
        lo = c.number(item.get("min"), f"level {lid}.min")
        if lid and title is not None and lo is not None:
            levels.append(Level(id=lid, min=lo, title=title))
    mins = [lv.min for lv in levels]
    if not levels or mins[0] != 0 or mins != sorted(set(mins)) or mins[-1] > 100:
        c.fail("levels", "need at least one level, the first at 0, strictly rising mins <= 100")
    return levels


def _parse_areas(raw: list[dict[str, Any]], level_ids: list[str], c: Checker) -> list[Area]:
    areas: list[Area] = []
    for item in raw:
        aid = str(item.get("id", ""))
        where = f"area {aid}"
        if aid not in AREAS:
            c.fail(where, f"unknown area id; known: {', '.join(AREAS)}")
        title = c.text(item.get("title"), f"{where}.title")
        desc = c.text(item.get("description"), f"{where}.description")
        readings: dict[str, Text] = {}
        raw_readings = item.get("readings", {})
        for lid in level_ids:
            t = c.text(raw_readings.get(lid), f"{where}.readings.{lid}")
            if t is not None:
                readings[lid] = t
        if title is not None and desc is not None:
            areas.append(Area(id=aid, title=title, description=desc, readings=readings))
    if [a.id for a in areas] != list(AREAS):
        c.fail("areas", f"need exactly these areas in this order: {', '.join(AREAS)}")
    return areas


def _parse_recommendations(raw: list[dict[str, Any]], c: Checker) -> list[Recommendation]:
    recs: list[Recommendation] = []
    for item in raw:
        rid = str(item.get("id", ""))
        where = f"recommendation {rid}"
        if rid not in RECOMMENDATIONS:
            c.fail(where, f"unknown recommendation id; known: {', '.join(RECOMMENDATIONS)}")
        primary = str(item.get("primary_area", ""))
        if primary not in AREAS:
            c.fail(where, f"primary_area {primary!r} is not an area")
        title = c.text(item.get("title"), f"{where}.title")
        desc = c.text(item.get("description"), f"{where}.description")
        meaning = c.text(item["meaning"], f"{where}.meaning") if "meaning" in item else None
        headline = (c.text(item["headline"], f"{where}.headline") if "headline" in item
                    else None)
        steps = _parse_steps(item.get("next_steps", []), rid, c)
        if title is not None and desc is not None and steps is not None:
            recs.append(Recommendation(id=rid, primary_area=primary, title=title,
                                       description=desc,
                                       next_steps=tuple(s.text for s in steps),
                                       steps=tuple(steps), meaning=meaning,
                                       headline=headline))
    if [r.id for r in recs] != list(RECOMMENDATIONS):
        c.fail("recommendations",
               f"need exactly these recommendations in this order: {', '.join(RECOMMENDATIONS)}")
    return recs


def _parse_steps(raw: Any, rid: str, c: Checker) -> list[NextStep] | None:
    """2026.1's list of texts (steps without a condition) or 2027.1's `[[…next_steps]]` tables.

    A table with `text` is a 2027.1 step; anything else is read as a 2026.1 text.
    """
    where = f"recommendation {rid}"
    if not isinstance(raw, list):
        c.fail(where, "next_steps must be a list")
        return None
    steps: list[NextStep | None] = []
    for i, item in enumerate(raw):
        if isinstance(item, dict) and "text" in item:
            steps.append(_parse_step(item, where, c))
        else:
            text = c.text(item, f"{where}.next_steps[{i}]")
            steps.append(NextStep(f"{rid}_{i + 1}", text) if text else None)
    conditional = any(isinstance(item, dict) and "text" in item for item in raw)
    lo, hi = CONDITIONAL_STEPS if conditional else LEGACY_STEPS
    if not lo <= len(steps) <= hi:
        c.fail(where, f"needs {lo} to {hi} next_steps")
    if not all(steps):
        return None
    return [s for s in steps if s is not None]


def _parse_step(item: dict[str, Any], where: str, c: Checker) -> NextStep | None:
    sid = item.get("id")
    if not isinstance(sid, str) or not sid.isidentifier() or sid != sid.lower():
        c.fail(where, f"next step id {sid!r} must be snake_case")
        return None
    unknown = sorted(set(item) - {"id", "title", "text", "when"})
    if unknown:
        c.fail(f"{where} next step {sid}", f"unknown keys {unknown}")
    title = (c.text(item["title"], f"{where} next step {sid}.title")
             if "title" in item else None)
    text = c.text(item.get("text"), f"{where} next step {sid}.text")
    when = (c.condition(item["when"], f"{where} next step {sid}: when")
            if "when" in item else None)
    if text is None or ("when" in item and when is None) or ("title" in item and title is None):
        return None
    return NextStep(id=sid, text=text, when=when, title=title)


def _parse_credit_rules(raw: Any, c: Checker) -> list[CreditRule]:
    where = "indicators.credit_constraint"
    if not isinstance(raw, dict) or not isinstance(raw.get("credit_constraint", []), list):
        c.fail(where, "must be a list of {class = …, when = …} tables")
        return []
    rules: list[CreditRule] = []
    for i, item in enumerate(raw.get("credit_constraint", [])):
        if not isinstance(item, dict):
            c.fail(f"{where}[{i}]", "must be a table {class = …, when = …}")
            continue
        cls = item.get("class")
        rule_id = str(item.get("id") or f"{cls}_{i + 1}")
        owner = f"{where} {rule_id}"
        unknown = sorted(set(item) - {"id", "class", "when"})
        if unknown:
            c.fail(owner, f"unknown keys {unknown}")
        if cls not in CREDIT_CLASSES:
            c.fail(owner, f"unknown class {cls!r}; known: {', '.join(CREDIT_CLASSES)}")
        when = c.condition(item.get("when"), f"{owner}: when")
        if cls in CREDIT_CLASSES and when is not None:
            rules.append(CreditRule(id=rule_id, cls=str(cls), when=when))
    return rules


def _parse_sections(raw: list[dict[str, Any]], c: Checker) -> list[Section]:
    sections: list[Section] = []
    seen: set[str] = set()
    for item in raw:
        sid = str(item.get("id", ""))
        if not sid or sid in seen:
            c.fail(f"section {sid!r}", "missing or duplicate section id")
        seen.add(sid)
        title = c.text(item.get("title"), f"section {sid}.title")
        intro = c.text(item.get("intro"), f"section {sid}.intro", optional=True)
        questions = [q for q in (parse_question(qr, sid, c) for qr in item.get("questions", []))
                     if q is not None]
        if not questions:
            c.fail(f"section {sid}", "has no questions")
        if title is not None:
            sections.append(Section(id=sid, title=title, intro=intro, questions=tuple(questions)))
    return sections


def _check_whole(questions: dict[str, Question], sections: list[Section], legacy: bool,
                 c: Checker) -> None:
    if legacy:
        lo, hi = TOTAL_QUESTIONS
        if not lo <= len(questions) <= hi:
            c.fail("questionnaire", f"{len(questions)} questions; between {lo} and {hi} expected")
    else:
        lo, hi = TOTAL_QUESTIONS_2027
        units = grid_units(sections)
        if not lo <= units <= hi:
            c.fail("questionnaire", f"{units} questions (a grid counts as one); between {lo} "
                                    f"and {hi} expected")
    for area in AREAS:
        scored = [q for q in questions.values() if q.area == area]
        if len(scored) < MIN_SCORED_PER_AREA:
            c.fail(f"area {area}", f"{len(scored)} scored questions; at least "
                                   f"{MIN_SCORED_PER_AREA} needed")
        for root in ROOT_CAUSES:
            n = sum(1 for q in scored if q.root_cause == root)
            if n < MIN_PER_ROOT_CAUSE_PER_AREA:
                c.fail(f"area {area}", f"{n} {root} questions; at least "
                                       f"{MIN_PER_ROOT_CAUSE_PER_AREA} needed")
    for rec in RECOMMENDATIONS:
        n = sum(1 for q in questions.values() if rec in q.recommendations)
        if n < MIN_QUESTIONS_PER_RECOMMENDATION:
            c.fail(f"recommendation {rec}", f"fed by {n} questions; at least "
                                            f"{MIN_QUESTIONS_PER_RECOMMENDATION} needed")
