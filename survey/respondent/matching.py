"""What the report adds after the diagnosis: the programmes this firm is eligible for, with
the answers that made it so, and — for a follow-up — how its scores moved since last time.

Eligibility is decided by `core.programmes.match` on the same facts as the next steps, and the
reasons are worded like a step's "because you answered …" (`respondent.because`). The
programmes shown are remembered (`services.programmes.record_matches`) so staff can count how
many firms each one reached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from survey.core.programmes import check_against, match, parse_eligibility
from survey.core.progress import changes
from survey.core.questionnaire import Questionnaire
from survey.core.routing import AnswerFacts
from survey.core.scoring import ScoredAssessment, assessment_from_json
from survey.models import Programme, Response
from survey.queries import programmes as queries
from survey.respondent.because import Because, because
from survey.services import programmes as services
from survey.services.responses import local_now
from survey.web.labels import REGION_NAMES, SIZE_NAMES


@dataclass(frozen=True)
class ProgrammeView:
    id: int
    recommendation: str
    title: str
    description: str
    provider: str
    provider_kind: str
    link: str | None
    contact: str | None
    answers: list[Because]
    profile: list[str]
    requested: bool
    open_until: str | None = None


def provider_kind_label(kind: str) -> str:
    names = {"member_company": _("Member company"), "public_body": _("Public body"),
             "chamber": _("Chamber")}
    return str(names.get(kind, kind))


def _profile_reason(key: str, value: str) -> str:
    if key == "size_class":
        return str(_("Your firm's size class is %(size)s.", size=SIZE_NAMES.get(value, value)))
    if key == "region":
        return str(_("Your firm is in the %(region)s region.",
                     region=REGION_NAMES.get(value, value)))
    if value == "goods":
        return str(_("Your firm sells goods."))
    return str(_("Your firm sells services."))


def _texts(p: Programme, lang: str) -> tuple[str, str, str]:
    zh = lang == "zh"
    return ((p.title_zh if zh else p.title_en), (p.description_zh if zh else p.description_en),
            (p.provider_zh if zh else p.provider_en))


def programme_views(response: Response, q: Questionnaire, a: ScoredAssessment, lang: str,
                    order: Sequence[str], *, record: bool = True) -> list[ProgrammeView]:
    """The programmes for this firm, best first, each with the reasons it matched."""
    found, rules = queries.open_programmes(local_now().date())
    # A condition written for another questionnaire could hold on what this firm was never
    # asked (a `not` on a missing answer): only those that fit the firm's own are tried.
    rules = [r for r in rules if r.condition is None or not check_against(r.condition, q)]
    if not rules:
        return []
    answers = response.answers or {}
    facts = AnswerFacts(answers, q.questions)
    matches = match(rules, facts, local_now().date(), order)
    if record and matches:
        services.record_matches(response.id, [m.programme_id for m in matches])
    asked = queries.requested(response.id)
    out = []
    for m in matches:
        p = found[m.programme_id]
        title, description, provider = _texts(p, lang)
        out.append(ProgrammeView(
            p.id, m.recommendation, title, description, provider,
            provider_kind_label(p.provider_kind), p.link, p.contact,
            because(q, m.questions, answers, lang, parse_eligibility(p.eligibility)),
            [_profile_reason(k, v) for k, v in m.profile], p.id in asked,
            p.valid_to.isoformat() if p.valid_to else None))
    return out


@dataclass(frozen=True)
class ProgressRow:
    metric: str
    title: str
    before: int | None
    after: int | None
    delta: int | None


def progress_rows(response: Response, a: ScoredAssessment, titles: dict[str, str]
                  ) -> tuple[list[ProgressRow], str] | None:
    """Scores then and now, as the report shows them (truncated), and the date of the earlier
    assessment; None for a first assessment or when the earlier one was deleted."""
    previous = queries.previous_assessment(response)
    if previous is None:
        return None
    rows = changes(assessment_from_json(previous.result), a)
    if rows is None:
        return None
    out = []
    for c in rows:
        before = None if c.before is None else math.floor(c.before)
        after = None if c.after is None else math.floor(c.after)
        delta = None if before is None or after is None else after - before
        title = titles.get(c.metric) or str(_("Overall"))
        out.append(ProgressRow(c.metric, title, before, after, delta))
    return out, previous.local_date.isoformat()
