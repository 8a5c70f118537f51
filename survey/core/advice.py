"""What the SME's report leads with (pure): one summary, the recommendations to open, and the
first three actions.

An owner reads the first screen and perhaps one more. The scores already rank the five
recommendations; this module decides what the report says *first*, from the stored result
alone, so the page, the PDF and any later channel say the same thing:

- the summary names the weakest and the strongest assessed area and where the weakest area's
  gap lies (in the firm, around it, or both) — the seed's question, answered for this firm;
- the recommendations to open are the most needed ones, at most three: those ranked high or
  medium, topped up to two with ranked ones that have next steps the firm's answers call for;
  the rest are listed closed, so no firm reads five equally urgent cards;
- the first actions are the triggered next steps of those recommendations: those ranked high
  first, taken in turn (the first step of each, then the second), then every open one in turn,
  so three actions cover the most pressing needs, not three variations of one. Every action
  is a step whose condition held on the firm's own answers: a firm is never told to do what
  it said it already does.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.core.results import (
    AreaResult,
    NextStepResult,
    RecommendationResult,
    ScoredAssessment,
)

FOCUS_MAX = 3
FOCUS_MIN = 2
ACTIONS_MAX = 3
# Areas whose scores differ by less than this are "about even": naming a weakest area on a
# difference smaller than the scores' own imprecision would overstate it.
EVEN_SPREAD = 10.0


@dataclass(frozen=True)
class Action:
    """A next step to take first: the recommendation it serves, the step, and the answered
    questions whose answers called for it."""

    recommendation: str
    step: str
    because: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """`kind`: "not_assessed" (no area could be scored), "one_area", "uneven" (a clear weakest
    and strongest area) or "even" (the assessed areas within EVEN_SPREAD of each other)."""

    kind: str
    weakest: str | None = None
    strongest: str | None = None
    weakest_split: str | None = None


@dataclass(frozen=True)
class ReportPlan:
    summary: Summary
    focus: tuple[str, ...]
    others: tuple[str, ...]
    actions: tuple[Action, ...]


def _scored(a: ScoredAssessment) -> list[AreaResult]:
    return [r for r in a.areas.values() if r.status == "scored" and r.score is not None]


def summarise(a: ScoredAssessment) -> Summary:
    scored = _scored(a)
    if not scored:
        return Summary("not_assessed")
    # Ties break by questionnaire order (dicts keep it), so the same result reads the same way.
    weakest = min(scored, key=lambda r: r.score if r.score is not None else 0.0)
    if len(scored) == 1:
        return Summary("one_area", weakest=weakest.id, weakest_split=weakest.gap_split)
    strongest = max(scored, key=lambda r: r.score if r.score is not None else 0.0)
    assert weakest.score is not None and strongest.score is not None
    kind = "even" if strongest.score - weakest.score < EVEN_SPREAD else "uneven"
    return Summary(kind, weakest=weakest.id,
                   strongest=strongest.id if kind == "uneven" else None,
                   weakest_split=weakest.gap_split)


def focus(recommendations: tuple[RecommendationResult, ...]) -> tuple[str, ...]:
    """The recommendations to open, most needed first (`recommendations` is in rank order)."""
    ranked = [r for r in recommendations if r.rank is not None]
    chosen = [r.id for r in ranked if r.priority in ("high", "medium")][:FOCUS_MAX]
    for r in ranked:
        if len(chosen) >= FOCUS_MIN:
            break
        if r.id not in chosen and r.next_steps:
            chosen.append(r.id)
    return tuple(chosen)


def _round_robin(queues: list[tuple[str, list[NextStepResult]]], depth_max: int,
                 out: list[Action]) -> None:
    """The first step of each queue, then the second …, skipping steps already taken."""
    taken = {x.step for x in out}
    for depth in range(depth_max):
        for rid, queue in queues:
            if len(out) >= ACTIONS_MAX:
                return
            if depth < len(queue) and queue[depth].id not in taken:
                out.append(Action(rid, queue[depth].id, queue[depth].because))
                taken.add(queue[depth].id)


def first_actions(recommendations: tuple[RecommendationResult, ...],
                  chosen: tuple[str, ...]) -> tuple[Action, ...]:
    """High-priority recommendations speak first (up to two steps each), then every open one
    in turn: a firm refused a loan hears about guarantees before trademarks."""
    by_id = {r.id: r for r in recommendations}
    queues = [(rid, list(by_id[rid].next_steps)) for rid in chosen]
    out: list[Action] = []
    _round_robin([(rid, q) for rid, q in queues if by_id[rid].priority == "high"], 2, out)
    _round_robin(queues, max((len(q) for _, q in queues), default=0), out)
    return tuple(out)


def plan(a: ScoredAssessment) -> ReportPlan:
    chosen = focus(a.recommendations)
    others = tuple(r.id for r in a.recommendations if r.id not in chosen)
    return ReportPlan(summarise(a), chosen, others, first_actions(a.recommendations, chosen))
