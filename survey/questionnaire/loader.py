"""Read a questionnaire TOML file and check it before anything uses it.

A broken data file must never reach a respondent: every rule of the data format
(`docs/questionnaire-format.md`) is checked here, and all problems are reported at once, each
naming the file, the question and the problem.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from .schema import (
    AREAS,
    LANGUAGES,
    OPTION_KINDS,
    QUESTION_TYPES,
    RECOMMENDATIONS,
    ROOT_CAUSES,
    Area,
    Level,
    Method,
    Option,
    Question,
    Questionnaire,
    Recommendation,
    Section,
    ShowIf,
    Text,
)

DATA_DIR = Path(__file__).parent / "data"
CURRENT_VERSION = "2026.1"

MIN_SCORED_PER_AREA = 6
MIN_PER_ROOT_CAUSE_PER_AREA = 2
MIN_QUESTIONS_PER_RECOMMENDATION = 3
MAX_RECOMMENDATIONS_PER_QUESTION = 2
TOTAL_QUESTIONS = (30, 45)


class QuestionnaireError(ValueError):
    """The data file breaks a rule; the message lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the questionnaire:\n{lines}")


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, raw: Any, where: str, *, optional: bool = False) -> Text | None:
        if raw is None:
            if not optional:
                self.fail(where, "missing text")
            return None
        if isinstance(raw, str) or not isinstance(raw, dict):
            self.fail(where, "text must be a table with " + " and ".join(LANGUAGES))
            return None
        missing = [lang for lang in LANGUAGES if not str(raw.get(lang, "")).strip()]
        if missing:
            self.fail(where, f"text missing in {', '.join(missing)}")
            return None
        return Text(en=str(raw["en"]), zh=str(raw["zh"]))

    def number(self, raw: Any, where: str, default: float | None = None) -> float | None:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.fail(where, f"expected a number, got {raw!r}")
            return default
        return float(raw)


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
    return sorted(p.stem.removeprefix("questionnaire-") for p in DATA_DIR.glob("*.toml"))


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
    c = _Checker()
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


def _parse_method(raw: dict[str, Any], c: _Checker) -> Method:
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


def _parse_levels(raw: list[dict[str, Any]], c: _Checker) -> list[Level]:
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


def _parse_areas(raw: list[dict[str, Any]], level_ids: list[str], c: _Checker) -> list[Area]:
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


def _parse_recommendations(raw: list[dict[str, Any]], c: _Checker) -> list[Recommendation]:
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


def _parse_sections(raw: list[dict[str, Any]], c: _Checker) -> list[Section]:
    sections: list[Section] = []
    seen: set[str] = set()
    for item in raw:
        sid = str(item.get("id", ""))
        if not sid or sid in seen:
            c.fail(f"section {sid!r}", "missing or duplicate section id")
        seen.add(sid)
        title = c.text(item.get("title"), f"section {sid}.title")
        intro = c.text(item.get("intro"), f"section {sid}.intro", optional=True)
        questions = [q for q in (_parse_question(qr, sid, c) for qr in item.get("questions", []))
                     if q is not None]
        if not questions:
            c.fail(f"section {sid}", "has no questions")
        if title is not None:
            sections.append(Section(id=sid, title=title, intro=intro, questions=tuple(questions)))
    return sections


def _parse_option(raw: Any, where: str, c: _Checker) -> Option | None:
    if not isinstance(raw, dict):
        c.fail(where, f"an option must be a table {{value = …, label = …}}, got {raw!r:.60}")
        return None
    value = raw.get("value")
    if not isinstance(value, str) or not value:
        c.fail(where, "option without a string 'value'")
        return None
    label = c.text(raw.get("label"), f"{where} option {value}")
    kind = raw.get("kind")
    if kind is not None and kind not in OPTION_KINDS:
        c.fail(where, f"option {value}: unknown kind {kind!r}; known: {', '.join(OPTION_KINDS)}")
    points = c.number(raw.get("points"), f"{where} option {value}.points")
    if kind is not None and points is not None:
        c.fail(where, f"option {value}: a {kind} option carries no points")
    if points is not None and points < 0:
        c.fail(where, f"option {value}: points must not be negative")
    if label is None:
        return None
    return Option(value=value, label=label, points=points, kind=kind,
                  exclusive=bool(raw.get("exclusive", False)))


def _parse_question(raw: Any, section: str, c: _Checker) -> Question | None:
    if not isinstance(raw, dict):
        c.fail(f"section {section}", f"a question must be a table, got {raw!r:.60}")
        return None
    qid = str(raw.get("id", ""))
    where = f"question {qid or '?'}"
    if not qid.isidentifier() or qid != qid.lower():
        c.fail(where, "id must be snake_case")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        c.fail(where, f"unknown type {qtype!r}; known: {', '.join(QUESTION_TYPES)}")
        return None
    text = c.text(raw.get("text"), f"{where}.text")
    help_text = c.text(raw.get("help"), f"{where}.help", optional=True)
    options = [o for o in (_parse_option(o, where, c) for o in raw.get("options", []))
               if o is not None]
    values = [o.value for o in options]
    for value, n in Counter(values).items():
        if n > 1:
            c.fail(where, f"duplicate option value {value!r}")
    area = raw.get("area")
    recs = tuple(raw.get("recommendations", ()))
    root = raw.get("root_cause")
    show_if = None
    if "show_if" in raw:
        si = raw["show_if"]
        if not isinstance(si, dict) or not isinstance(si.get("in"), list):
            c.fail(where, "show_if needs {question = '…', in = ['…']}")
        else:
            show_if = ShowIf(question=str(si.get("question")), values=tuple(map(str, si["in"])))

    if qtype in ("single", "multi") and len(options) < 2:
        c.fail(where, "a choice question needs at least two options")
    if qtype in ("number", "text") and options:
        c.fail(where, f"a {qtype} question has no options")

    if area is not None:
        if area not in AREAS:
            c.fail(where, f"unknown area {area!r}; known: {', '.join(AREAS)}")
        if qtype not in ("single", "multi"):
            c.fail(where, "only single and multi questions can be scored")
        if root not in ROOT_CAUSES:
            c.fail(where, f"root_cause must be one of {', '.join(ROOT_CAUSES)}, got {root!r}")
        if not 1 <= len(recs) <= MAX_RECOMMENDATIONS_PER_QUESTION:
            c.fail(where, f"a scored question names 1 to {MAX_RECOMMENDATIONS_PER_QUESTION} "
                          "recommendations")
        for r in recs:
            if r not in RECOMMENDATIONS:
                c.fail(where, f"unknown recommendation {r!r}")
        if show_if is not None:
            c.fail(where, "show_if is only for unscored follow-ups")
        scored = [o for o in options if not o.is_skip]
        if any(o.points is None for o in scored):
            c.fail(where, "every option of a scored question needs points (or a kind)")
        if not any(o.points == 0 for o in scored):
            c.fail(where, "a scored question needs an option worth 0 points")
        if not any((o.points or 0) > 0 for o in scored):
            c.fail(where, "a scored question needs an option worth more than 0 points")
        for o in options:
            if o.exclusive and o.points:
                c.fail(where, f"option {o.value}: an exclusive option of a scored question is "
                              "worth 0 points")
    else:
        if recs or root is not None or "weight" in raw or "full_credit" in raw:
            c.fail(where, "recommendations, root_cause, weight and full_credit need an area")
        if any(o.points is not None for o in options):
            c.fail(where, "an unscored question's options carry no points")

    weight = c.number(raw.get("weight"), f"{where}.weight", 1.0) or 0.0
    if area is not None and weight <= 0:
        c.fail(where, "weight must be positive")
    full_credit = c.number(raw.get("full_credit"), f"{where}.full_credit")
    if qtype == "multi" and area is not None:
        total = sum(o.points or 0 for o in options if not o.exclusive)
        if full_credit is None or full_credit <= 0:
            c.fail(where, "a scored multi-select question needs a positive full_credit")
        elif full_credit > total:
            c.fail(where, f"full_credit {full_credit:g} is unreachable: the options add up "
                          f"to {total:g}")
    elif full_credit is not None:
        c.fail(where, "full_credit is only for scored multi-select questions")
    if any(o.exclusive for o in options) and qtype != "multi":
        c.fail(where, "only multi-select options can be exclusive")

    lo = c.number(raw.get("min"), f"{where}.min")
    hi = c.number(raw.get("max"), f"{where}.max")
    if qtype == "number" and lo is not None and hi is not None and lo > hi:
        c.fail(where, "min is above max")
    if "integer" in raw and (qtype != "number" or not isinstance(raw["integer"], bool)):
        c.fail(where, "integer = true|false is only for number questions")
    max_length = raw.get("max_length")
    if qtype == "text":
        max_length = int(max_length or 1000)
        if max_length <= 0:
            c.fail(where, "max_length must be positive")
    if text is None:
        return None
    return Question(
        id=qid, type=qtype, text=text, section=section, help=help_text,
        required=bool(raw.get("required", True)), area=area, weight=weight,
        root_cause=root, recommendations=recs, full_credit=full_credit,
        min=lo, max=hi, max_length=max_length, show_if=show_if, options=tuple(options),
        integer=bool(raw.get("integer", False)),
    )


def _check_whole(questions: dict[str, Question], c: _Checker) -> None:
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
