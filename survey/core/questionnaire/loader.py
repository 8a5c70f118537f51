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
from survey.core.questionnaire.schema import (
    AREAS,
    RECOMMENDATIONS,
    ROOT_CAUSES,
    Area,
    Level,
    Method,
    Question,
    Questionnaire,
    Recommendation,
    Section,
    Text,
)

DATA_DIR = Path(__file__).parent / "data"
CURRENT_VERSION = "2026.1"

MIN_SCORED_PER_AREA = 6
MIN_PER_ROOT_CAUSE_PER_AREA = 2
MIN_QUESTIONS_PER_RECOMMENDATION = 3
TOTAL_QUESTIONS = (30, 45)


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

    method = _parse_method(raw.get("method", {}), c)
    levels = _parse_levels(raw.get("levels", []), c)
    level_ids = [lv.id for lv in levels]
    areas = _parse_areas(raw.get("areas", []), level_ids, c)
    recommendations = _parse_recommendations(raw.get("recommendations", []), c)
    sections = _parse_sections(raw.get("sections", []), c)

    questions: dict[str, Question] = {}
    for section in sections:
        for q in section.questions:
            if q.id in questions:
                c.fail(f"question {q.id}", "duplicate question id")
            questions[q.id] = q
    _check_whole(questions, c)

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
    )


def _parse_method(raw: dict[str, Any], c: Checker) -> Method:
    d = Method()
    m = Method(
        min_answered=int(c.number(raw.get("min_answered"), "method.min_answered", d.min_answered)
                         or 0),
        min_weight_share=c.number(raw.get("min_weight_share"), "method.min_weight_share",
                                  d.min_weight_share) or 0.0,
        need_min_weight_share=c.number(raw.get("need_min_weight_share"),
                                       "method.need_min_weight_share",
                                       d.need_min_weight_share) or 0.0,
        priority_high=c.number(raw.get("priority_high"), "method.priority_high",
                               d.priority_high) or 0.0,
        priority_medium=c.number(raw.get("priority_medium"), "method.priority_medium",
                                 d.priority_medium) or 0.0,
        drivers_max=int(c.number(raw.get("drivers_max"), "method.drivers_max", d.drivers_max)
                        or 0),
    )
    if not 0 <= m.priority_medium <= m.priority_high <= 100:
        c.fail("method", "need 0 <= priority_medium <= priority_high <= 100")
    for name in ("min_weight_share", "need_min_weight_share"):
        if not 0 < getattr(m, name) <= 1:
            c.fail(f"method.{name}", "must lie in (0, 1]")
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
        steps = [c.text(s, f"{where}.next_steps[{i}]") for i, s in
                 enumerate(item.get("next_steps", []))]
        if not 2 <= len(steps) <= 4:
            c.fail(where, "needs 2 to 4 next_steps")
        if title is not None and desc is not None and all(steps):
            recs.append(Recommendation(id=rid, primary_area=primary, title=title,
                                       description=desc,
                                       next_steps=tuple(s for s in steps if s)))
    if [r.id for r in recs] != list(RECOMMENDATIONS):
        c.fail("recommendations",
               f"need exactly these recommendations in this order: {', '.join(RECOMMENDATIONS)}")
    return recs


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


def _check_whole(questions: dict[str, Question], c: Checker) -> None:
    lo, hi = TOTAL_QUESTIONS
    if not lo <= len(questions) <= hi:
        c.fail("questionnaire", f"{len(questions)} questions; between {lo} and {hi} expected")
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
    order = list(questions)
    for q in questions.values():
        if q.show_if is None:
            continue
        target = questions.get(q.show_if.question)
        if target is None or order.index(target.id) >= order.index(q.id):
            c.fail(f"question {q.id}", f"show_if names {q.show_if.question!r}, which is not an "
                                       "earlier question")
        elif target.type not in ("single", "multi"):
            c.fail(f"question {q.id}", "show_if must depend on a choice question")
        else:
            unknown = [v for v in q.show_if.values if target.option(v) is None]
            if unknown:
                c.fail(f"question {q.id}", f"show_if names unknown options {unknown}")
