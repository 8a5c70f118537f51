"""How a firm moved between two of its assessments (pure): T0 → T1 per score.

Only scores both assessments have are compared; an area scored once and not assessed (or not
applicable) the other time says so instead of inventing a change. Method versions must agree,
since a change of method would read as a change of the firm.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.core.questionnaire.schema import AREAS
from survey.core.results import ScoredAssessment


@dataclass(frozen=True)
class Change:
    metric: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def changes(before: ScoredAssessment, after: ScoredAssessment) -> list[Change] | None:
    """Overall, then each area; None when the two were scored by different methods."""
    if before.method_version != after.method_version:
        return None
    out = [Change("overall", before.overall_score, after.overall_score)]
    for area in AREAS:
        b, a = before.areas.get(area), after.areas.get(area)
        out.append(Change(area, b.score if b else None, a.score if a else None))
    return out
