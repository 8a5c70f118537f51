"""How much the results depend on the weights: a weight-perturbation analysis (pure).

The weights of the questionnaire are expert judgements, not estimates. A reader of a firm's
report, or of the policy brief, should know whether its levels and its top recommendation
would survive other reasonable weights. Each draw multiplies every question weight by its own
uniform factor in [1 − spread, 1 + spread] (±50 % by default), rescores every firm, and counts
how often each area level and the top recommendation differ from the unperturbed result.

Everything is seeded, so a figure printed in the methodology is reproducible. The firms are
the stored real assessments when the caller has them, or a synthetic sample drawn here that
respects the questionnaire's routing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from survey.core.answers import validate
from survey.core.questionnaire.schema import AREAS, Question, Questionnaire
from survey.core.rounding import half_up
from survey.core.routing import AnswerFacts, applies
from survey.core.scoring import ScoredAssessment, assess

DEFAULT_SPREAD = 0.5
ANSWER_SHARE = 0.92      # synthetic firms leave some questions out, as real ones do
SKIP_SHARE = 0.05        # and answer "don't know" now and then


# --- a synthetic sample ---------------------------------------------------------------------


def _number_answer(q: Question, rng: random.Random) -> int | float:
    """Log-uniform, so head counts look like firms (mostly small), not an even spread."""
    lo = q.min if q.min is not None else 0.0
    hi = q.max if q.max is not None else lo + 1000
    a = max(lo, 1.0)
    b = max(a, min(hi, a * 2000))
    value = min(max(math.exp(rng.uniform(math.log(a), math.log(b))), lo), hi)
    return round(value) if q.integer else round(value, 1)


def _choice_answer(q: Question, rng: random.Random) -> Any:
    skips = [o.value for o in q.options if o.is_skip]
    if skips and rng.random() < SKIP_SHARE:
        return [rng.choice(skips)] if q.type == "multi" else rng.choice(skips)
    real = [o for o in q.options if not o.is_skip]
    if q.type == "single":
        return rng.choice(real).value
    exclusive = [o.value for o in real if o.exclusive]
    plain = [o.value for o in real if not o.exclusive]
    if exclusive and rng.random() < 1 / (len(plain) + 1):
        return [rng.choice(exclusive)]
    picked = [v for v in plain if rng.random() < 0.5]
    return picked or [rng.choice(plain)]


def synthetic_answers(q: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """One plausible-shaped firm: random answers, asked only where `applies_if` holds."""
    answers: dict[str, Any] = {}
    facts = AnswerFacts(answers, q.questions)
    for question in q.questions.values():
        if question.type == "text" or not applies(question, facts):
            continue
        if rng.random() > ANSWER_SHARE:
            continue
        if question.type == "number":
            answers[question.id] = _number_answer(question, rng)
        else:
            answers[question.id] = _choice_answer(question, rng)
        facts.changed()
    return answers


def synthetic_sample(q: Questionnaire, n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [synthetic_answers(q, rng) for _ in range(n)]


# --- perturbation ---------------------------------------------------------------------------


def perturbed(q: Questionnaire, rng: random.Random,
              spread: float = DEFAULT_SPREAD) -> Questionnaire:
    """The questionnaire with every scored question's weight times U(1 − spread, 1 + spread)."""
    factors = {x.id: rng.uniform(1 - spread, 1 + spread) for x in q.scored_questions}
    questions = {qid: replace(x, weight=x.weight * factors[qid]) if qid in factors else x
                 for qid, x in q.questions.items()}
    sections = tuple(replace(s, questions=tuple(questions[x.id] for x in s.questions))
                     for s in q.sections)
    return replace(q, sections=sections, questions=questions)


def top_recommendation(a: ScoredAssessment) -> str | None:
    """The first recommendation, when its need is known."""
    first = a.recommendations[0] if a.recommendations else None
    return first.id if first is not None and first.need is not None else None


@dataclass(frozen=True)
class FirmSensitivity:
    """One firm: its unperturbed results and the share of draws that changed each."""

    index: int
    levels: Mapping[str, str | None]
    top: str | None
    level_changed: Mapping[str, float]
    top_changed: float


@dataclass(frozen=True)
class SensitivityReport:
    """Per firm, and in summary: `*_draws` are shares of (firm, draw) pairs that changed,
    `*_firms` shares of firms with a change in at least one draw."""

    draws: int
    seed: int
    spread: float
    source: str
    firms: tuple[FirmSensitivity, ...]
    level_changed_draws: Mapping[str, float]
    level_changed_firms: Mapping[str, float]
    top_changed_draws: float
    top_changed_firms: float

    @property
    def n(self) -> int:
        return len(self.firms)


def _mean(values: Sequence[float]) -> float:
    return half_up(sum(values) / len(values), 4) if values else 0.0


def sensitivity(q: Questionnaire, answer_sets: Sequence[Mapping[str, Any]], *, draws: int,
                seed: int, spread: float = DEFAULT_SPREAD, source: str = "given",
                on_draw: Callable[[], None] | None = None) -> SensitivityReport:
    """Rescore every firm under `draws` perturbed weightings; invalid answer sets are skipped.

    `on_draw` is called after each draw (a progress bar in the CLI).
    """
    firms = []
    for answers in answer_sets:
        v = validate(q, answers, require=False)
        if v.ok:
            firms.append(v.answers)
    base = [assess(q, answers, check=False) for answers in firms]
    levels = [{a: b.areas[a].level for a in AREAS} for b in base]
    tops = [top_recommendation(b) for b in base]
    level_hits = [dict.fromkeys(AREAS, 0) for _ in firms]
    top_hits = [0] * len(firms)
    rng = random.Random(seed)
    for _ in range(draws):
        variant = perturbed(q, rng, spread)
        for i, answers in enumerate(firms):
            a = assess(variant, answers, check=False)
            for area in AREAS:
                level_hits[i][area] += a.areas[area].level != levels[i][area]
            top_hits[i] += top_recommendation(a) != tops[i]
        if on_draw is not None:
            on_draw()
    per_firm = tuple(
        FirmSensitivity(i, levels[i], tops[i],
                        {a: half_up(level_hits[i][a] / draws, 4) for a in AREAS},
                        half_up(top_hits[i] / draws, 4))
        for i in range(len(firms))) if draws else ()
    return SensitivityReport(
        draws=draws, seed=seed, spread=spread, source=source, firms=per_firm,
        level_changed_draws={a: _mean([f.level_changed[a] for f in per_firm]) for a in AREAS},
        level_changed_firms={a: _mean([float(f.level_changed[a] > 0) for f in per_firm])
                             for a in AREAS},
        top_changed_draws=_mean([f.top_changed for f in per_firm]),
        top_changed_firms=_mean([float(f.top_changed > 0) for f in per_firm]),
    )


def render_table(report: SensitivityReport, *, firms_max: int = 20) -> str:
    """A plain-text table for the terminal: the summary, then the least stable firms."""
    pct = "{:.1%}".format
    lines = [
        f"Weight sensitivity: {report.n} firms ({report.source}), {report.draws} draws, "
        f"every weight × U({1 - report.spread:g}, {1 + report.spread:g}), seed {report.seed}",
        "",
        f"{'':28}{'draws changed':>16}{'firms ever changed':>20}",
    ]
    for area in AREAS:
        lines.append(f"{area + ' level':28}{pct(report.level_changed_draws[area]):>16}"
                     f"{pct(report.level_changed_firms[area]):>20}")
    lines.append(f"{'top recommendation':28}{pct(report.top_changed_draws):>16}"
                 f"{pct(report.top_changed_firms):>20}")
    unstable = sorted(report.firms, key=lambda f: (-(f.top_changed + sum(
        f.level_changed.values())), f.index))[:firms_max]
    if unstable:
        lines += ["", "Least stable firms (share of draws that changed):",
                  f"{'firm':>6}" + "".join(f"{a:>20}" for a in AREAS)
                  + f"{'top rec':>10}  baseline top"]
        for f in unstable:
            lines.append(f"{f.index:>6}" + "".join(
                f"{pct(f.level_changed[a]):>20}" for a in AREAS)
                + f"{pct(f.top_changed):>10}  {f.top or '—'}")
    return "\n".join(lines) + "\n"
