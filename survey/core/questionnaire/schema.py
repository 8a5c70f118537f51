"""The questionnaire as immutable Python objects.

These classes are the in-memory form of the TOML data file. They are frozen so that one loaded
questionnaire can be shared by every request, thread and CLI call without copying.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from survey.core.conditions import Condition

LANGUAGES: tuple[str, ...] = ("en", "zh")
AREAS: tuple[str, ...] = ("financing", "digital_technology", "overseas_markets")
METRICS: tuple[str, ...] = ("overall", *AREAS)
RECOMMENDATIONS: tuple[str, ...] = (
    "digital_infrastructure",
    "financial_support",
    "ip_protection",
    "digital_talent",
    "cross_border_ecommerce",
)
ROOT_CAUSES: tuple[str, ...] = ("internal", "external")
QUESTION_TYPES: tuple[str, ...] = ("single", "multi", "number", "text")
OPTION_KINDS: tuple[str, ...] = ("dont_know", "not_applicable")
WIDGETS: tuple[str, ...] = ("select",)
CREDIT_CLASSES: tuple[str, ...] = (
    "no_need", "not_constrained", "partially_constrained", "fully_constrained", "unknown")
# The methods this code implements. 2026.1 scores an area over its internal questions only;
# 2027.1 over internal and external alike, with capability and environment beside it.
METHOD_VERSIONS: tuple[str, ...] = ("2026.1", "2027.1")
LEGACY_METHOD = "2026.1"

QuestionType = Literal["single", "multi", "number", "text"]


@dataclass(frozen=True)
class Text:
    """A human text in every supported language."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    points: float | None = None
    kind: str | None = None
    exclusive: bool = False

    @property
    def is_skip(self) -> bool:
        """True for "don't know" and "not applicable": answered, but scored as nothing."""
        return self.kind is not None


@dataclass(frozen=True)
class ShowIf:
    """The 2026.1 view of a simple `applies_if`: one choice question, one list of values.

    Kept for consumers written against 2026.1; `Question.applies_if` is the full condition.
    """

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """A scored question is evidence for a recommendation, for the reason `why`.

    `why` names the policy lever of that recommendation that could change the answer; 2026.1
    files link without a reason (`why` is None).
    """

    to: str
    why: Text | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: Text
    section: str
    help: Text | None = None
    required: bool = True
    area: str | None = None
    weight: float = 1.0
    root_cause: str | None = None
    recommendations: tuple[str, ...] = ()
    full_credit: float | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    integer: bool = False
    show_if: ShowIf | None = None
    options: tuple[Option, ...] = ()
    applies_if: Condition | None = None
    links: tuple[Link, ...] = ()
    grid: str | None = None
    widget: str | None = None

    @property
    def scored(self) -> bool:
        return self.area is not None

    @property
    def max_points(self) -> float:
        """Points that earn a score of 100: full credit for multi, the best option for single."""
        cached: float | None = self.__dict__.get("_max_points")
        if cached is None:
            if self.type == "multi" and self.full_credit is not None:
                cached = self.full_credit
            else:
                cached = max((o.points for o in self.options if o.points is not None),
                             default=0.0)
            object.__setattr__(self, "_max_points", cached)
        return cached

    def option(self, value: str) -> Option | None:
        return self._by_value.get(value)

    @property
    def _by_value(self) -> Mapping[str, Option]:
        cache: dict[str, Option] | None = self.__dict__.get("_opt_cache")
        if cache is None:
            cache = {o.value: o for o in self.options}
            object.__setattr__(self, "_opt_cache", cache)
        return cache


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Level:
    id: str
    min: float
    title: Text


@dataclass(frozen=True)
class Area:
    id: str
    title: Text
    description: Text
    readings: Mapping[str, Text]


@dataclass(frozen=True)
class NextStep:
    """One concrete action, shown when `when` holds on the firm's answers.

    2026.1 steps have no condition (`when` is None) and always qualify. `title` is the step in
    a few words, for the first screen of the report (the full `text` follows below it).
    """

    id: str
    text: Text
    when: Condition | None = None
    title: Text | None = None


@dataclass(frozen=True)
class Recommendation:
    """`next_steps` holds the texts (as 2026.1 consumers read them), `steps` the full steps.

    `title` and `description` are the AmCham report's recommendation, addressed to government;
    `headline` and `meaning` say what it offers a firm, addressed to the owner who reads the
    report.
    """

    id: str
    primary_area: str
    title: Text
    description: Text
    next_steps: tuple[Text, ...]
    steps: tuple[NextStep, ...] = ()
    meaning: Text | None = None
    headline: Text | None = None


@dataclass(frozen=True)
class CreditRule:
    """A credit-constraint rule: the first rule whose `when` holds gives the class."""

    id: str
    cls: str
    when: Condition


@dataclass(frozen=True)
class Method:
    """Every threshold of the scoring method; all of them come from the data file."""

    min_answered: int = 3
    min_weight_share: float = 0.5
    need_min_weight_share: float = 0.5
    priority_high: float = 60.0
    priority_medium: float = 40.0
    drivers_max: int = 3
    next_steps_max: int = 3
    gap_mostly_external: float = 0.6
    gap_mostly_internal: float = 0.4
    overall_min_areas: int = 2
    # Set from the method version, not read from the file: the root causes an area score
    # averages (2026.1: internal only, its "readiness").
    score_roots: tuple[str, ...] = ("internal", "external")


@dataclass(frozen=True)
class Questionnaire:
    version: str
    method_version: str
    method: Method
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    recommendations: tuple[Recommendation, ...]
    sections: tuple[Section, ...]
    source: str = ""
    questions: Mapping[str, Question] = field(default_factory=dict)
    credit_rules: tuple[CreditRule, ...] = ()
    size_standard: str | None = None

    def question(self, qid: str) -> Question:
        return self.questions[qid]

    @property
    def legacy_method(self) -> bool:
        """Scored by method 2026.1 (areas over internal questions; no routing, no rules)."""
        return self.method_version == LEGACY_METHOD

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        # Cached like Question._by_value: scoring asks for it ~10 times per assessment.
        cache: tuple[Question, ...] | None = self.__dict__.get("_scored_cache")
        if cache is None:
            cache = tuple(q for q in self.questions.values() if q.scored)
            object.__setattr__(self, "_scored_cache", cache)
        return cache

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def recommendation(self, rec_id: str) -> Recommendation:
        return next(r for r in self.recommendations if r.id == rec_id)

    def level_for(self, score: float | None) -> Level | None:
        """The level whose half-open band [min, next min) holds the score; 100 is the top band."""
        if score is None:
            return None
        found = self.levels[0]
        for level in self.levels:
            if score >= level.min:
                found = level
        return found

    def section_index(self, section_id: str) -> int:
        return next(i for i, s in enumerate(self.sections) if s.id == section_id)
