"""One answer's score, and the arithmetic every other score shares (pure).

Kept apart from `scoring` so that routing (which may read a question's score in a condition),
the needs and the answer checks use the same rules without importing the whole method.
"""

from __future__ import annotations

from typing import Any

from survey.core.questionnaire.schema import Question
from survey.core.rounding import half_up_optional


def is_skip(q: Question, answer: Any) -> bool:
    """A don't-know (or 2026.1 not-applicable) answer: given, but worth nothing."""
    chosen = answer if isinstance(answer, list) else [answer]
    return any((o := q.option(v)) is not None and o.is_skip for v in chosen
               if isinstance(v, str))


def question_score(q: Question, answer: Any) -> float | None:
    """0–100 for an answered scored question; None when unanswered, "don't know" or n/a."""
    if answer is None or not q.scored:
        return None
    chosen = answer if isinstance(answer, list) else [answer]
    options = [q.option(v) for v in chosen]
    if not options or any(o is None or o.is_skip for o in options):
        return None
    points = sum(o.points or 0.0 for o in options if o is not None)
    top = q.max_points
    if top <= 0:
        return None
    return min(points, top) / top * 100.0


def rounded(x: float | None) -> float | None:
    """Scores are kept to one decimal (half away from zero, survey.core.rounding); every
    comparison uses the rounded value."""
    return half_up_optional(x, 1)


def share(part: float, whole: float) -> float:
    """part / whole, cleaned of float noise so that exactly half (0.7 + 0.1 of 1.6) is 0.5."""
    return round(part / whole, 9) if whole > 0 else 0.0


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """The mean of (weight, value) pairs; None when there is no weight."""
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if total > 0 else None
