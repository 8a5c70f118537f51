"""Synthetic demo assessments: plausible enough for dashboards, flagged so they never count.

Each firm gets a profile (eastern provinces, small firms and services weighted as in China's
SME population), then three latent capabilities — bigger firms are more digital, exporters are
stronger abroad, and digital firms find finance a little easier — and a local environment
(better in the east). Every answer is drawn near its latent level from the questionnaire's own
options, so answers stay valid as the questionnaire changes, and then scored by the real method.

`synth_chunk` is pure (no Flask, no database): chunks are generated in worker processes when
there are many, since scoring is the slow part, and inserted in bulk by `seed`.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import random
import secrets
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any
from zoneinfo import ZoneInfo

from survey.core.answers import is_shown
from survey.core.columns import profile_columns, scored_columns
from survey.core.profile import PROVINCE_REGION
from survey.core.questionnaire import Question, Questionnaire, load_questionnaire
from survey.core.scoring import assess

CHUNK = 5000
DAYS_BACK = 730
PARALLEL_FROM = 20_000

# Head counts drawn band by band (micro and small firms dominate China's SME population), then
# uniformly inside the band; revenue follows the head count with a wide spread per employee.
EMPLOYEE_BANDS = ((1, 9, 34), (10, 19, 20), (20, 99, 28), (100, 299, 11), (300, 999, 5),
                  (1000, 3000, 2))
REVENUE_PER_EMPLOYEE_WAN = 45.0
EXPORT_WEIGHTS = {"no_plans": 40, "considering": 14, "supplies_exporters": 10,
                  "exports_indirect": 10, "exports_direct": 20, "stopped": 6}
EXPORT_LEVEL = {"no_plans": 0.0, "considering": 0.25, "supplies_exporters": 0.3,
                "stopped": 0.35, "exports_indirect": 0.6, "exports_direct": 0.9}
INDUSTRY_WEIGHTS = {"manufacturing": 24, "wholesale": 12, "retail": 10, "software_it": 7,
                    "leasing_business_services": 9, "research_technical": 5, "transport": 4,
                    "warehousing": 2, "postal_express": 1, "construction": 6, "accommodation": 2,
                    "catering": 4, "agriculture": 3, "information_transmission": 1,
                    "real_estate_development": 1, "property_management": 1, "education": 2,
                    "health_social": 1, "culture_sports": 1, "resident_services": 2, "other": 2,
                    "mining_utilities": 1}
OWNERSHIP_WEIGHTS = {"private": 78, "individual_business": 10, "foreign_invested": 4,
                     "hmt_invested": 3, "joint_venture": 3, "state_owned": 1, "collective": 1}
REGION_WEIGHTS = {"east": 6.0, "central": 2.2, "west": 1.6, "northeast": 0.8}
REGION_ENV = {"east": 0.12, "central": 0.0, "west": -0.06, "northeast": -0.04}
TEXT_SNIPPETS = ("More training for staff.", "希望有更多的融资渠道。", "Faster customs clearance.",
                 "需要数字化人才。", "Clearer rules for cross-border data.")


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def _weighted(rng: random.Random, weights: Mapping[str, float], allowed: list[str]) -> str:
    pool = [v for v in allowed if v in weights] or allowed
    return rng.choices(pool, weights=[weights.get(v, 1.0) for v in pool])[0]


@dataclass(frozen=True)
class Latent:
    """The firm's hidden levels (0–1) that its answers are drawn around."""

    internal: dict[str, float]
    external: dict[str, float]


def _band(q: Questionnaire, qid: str, amount_wan: float) -> str | None:
    """The option of a band question (`rev_50_100`, `ast_120000_plus`) containing the amount."""
    question = q.questions.get(qid)
    if question is None:
        return None
    for option in question.options:
        bounds = option.value.split("_")[1:]
        if option.is_skip or not bounds:
            continue
        low = float(bounds[0])
        high = float("inf") if bounds[-1] == "plus" else float(bounds[-1])
        if low <= amount_wan < high:
            return option.value
    return None


def _profile(q: Questionnaire, rng: random.Random) -> tuple[dict[str, Any], float]:
    """The profile answers and the firm's size on a 0–1 scale (log head count)."""
    answers: dict[str, Any] = {}

    def values(qid: str) -> list[str]:
        question = q.questions.get(qid)
        return [o.value for o in question.options if not o.is_skip] if question else []

    if values("industry"):
        answers["industry"] = _weighted(rng, INDUSTRY_WEIGHTS, values("industry"))
    low, high, _ = rng.choices(EMPLOYEE_BANDS, weights=[w for *_, w in EMPLOYEE_BANDS])[0]
    employees = rng.randint(low, high)
    size = _clip(math.log10(employees) / 3.3)
    if "employees" in q.questions:
        answers["employees"] = employees
    revenue = employees * REVENUE_PER_EMPLOYEE_WAN * rng.lognormvariate(0, 0.8)
    if "revenue_band" in q.questions:
        answers["revenue_band"] = (_band(q, "revenue_band", revenue) if rng.random() > 0.05
                                   else "rev_undisclosed")
    if "assets_band" in q.questions and answers.get("industry") in {
            "construction", "real_estate_development", "leasing_business_services"}:
        answers["assets_band"] = _band(q, "assets_band", revenue * rng.lognormvariate(0, 0.7))
    prov = values("province")
    if prov:
        w = {p: REGION_WEIGHTS.get(PROVINCE_REGION.get(p, ""), 0.5) for p in prov}
        answers["province"] = _weighted(rng, w, prov)
    if "years_operating" in q.questions:
        answers["years_operating"] = min(int(rng.expovariate(1 / 9)) + 1, 60)
    own = values("ownership")
    if own:
        weights = {k: float(v) for k, v in OWNERSHIP_WEIGHTS.items()}
        weights["individual_business"] *= 3.0 if employees < 10 else 0.2
        answers["ownership"] = _weighted(rng, weights, own)
    exp = values("export_status")
    if exp:
        w = {k: float(v) for k, v in EXPORT_WEIGHTS.items()}
        w["exports_direct"] *= 0.6 + 1.6 * size
        if answers.get("industry") == "manufacturing":
            w["exports_direct"] *= 1.5
            w["supplies_exporters"] *= 1.5
        answers["export_status"] = _weighted(rng, w, exp)
    return {k: v for k, v in answers.items() if v is not None}, size


def _finance(q: Questionnaire, answers: dict[str, Any], latent: Latent,
             rng: random.Random) -> None:
    """Demand for finance, whether the firm applied and what finance it holds: unscored
    questions that the credit-constraint class reads, drawn so that the classes are plausible
    (a firm with strong finances more often needs nothing, a weak one more often is refused)."""
    strength = latent.internal["financing"]
    if "fin_demand" in q.questions:
        answers["fin_demand"] = ("no_own_funds" if rng.random() < 0.15 + 0.35 * strength else
                                 rng.choice(["working_capital", "investment", "both"]))
    if "fin_applied" in q.questions:
        applies = 0.15 if answers.get("fin_demand") == "no_own_funds" else 0.6
        answers["fin_applied"] = "yes" if rng.random() < applies else "no"
    access = latent.external["financing"]
    if answers.get("fin_applied") == "yes" and "fin_loan_outcome" in q.questions:
        r = rng.random()
        answers["fin_loan_outcome"] = ("pending" if r < 0.05 else
                                       "granted_full" if r < 0.35 + 0.5 * access else
                                       "granted_part" if r < 0.5 + 0.5 * access else "refused")
    if answers.get("fin_applied") == "no" and "fin_no_apply_reason" in q.questions:
        no_need = answers.get("fin_demand") == "no_own_funds" or rng.random() < 0.5 * access
        answers["fin_no_apply_reason"] = "enough_funds" if no_need else rng.choice(
            ["procedures", "interest_costs", "collateral", "size_term", "expected_refusal"])
    if "fin_current_finance" in q.questions:
        held = ["business_account"] if rng.random() < 0.8 + 0.2 * strength else []
        granted = answers.get("fin_loan_outcome") in ("granted_full", "granted_part")
        if granted or rng.random() < 0.1 + 0.3 * access:
            held.append("bank_loan")
        if rng.random() < 0.1:
            held.append("other_lender")
        answers["fin_current_finance"] = held or ["none"]


def _latent(profile: dict[str, Any], rng: random.Random, size: float) -> Latent:
    digital = _clip(0.22 + 0.5 * size + rng.gauss(0, 0.17))
    export = EXPORT_LEVEL.get(str(profile.get("export_status")), 0.2)
    financing = _clip(0.25 + 0.3 * size + 0.2 * digital + rng.gauss(0, 0.17))
    overseas = _clip(0.04 + 0.7 * export + 0.12 * digital + rng.gauss(0, 0.12))
    region = PROVINCE_REGION.get(str(profile.get("province")), "")
    env = 0.45 + REGION_ENV.get(region, 0.0)
    return Latent(
        internal={"financing": financing, "digital_technology": digital,
                  "overseas_markets": overseas},
        external={a: _clip(env + 0.1 * size + rng.gauss(0, 0.18))
                  for a in ("financing", "digital_technology", "overseas_markets")},
    )


@dataclass(frozen=True)
class _Plan:
    """What drawing an answer to one question needs, worked out once per questionnaire."""

    question: Question
    pool: str | None
    values: tuple[str, ...]
    plain: tuple[str, ...]
    none: str | None
    skips: tuple[str, ...]
    by_points: tuple[tuple[float, tuple[str, ...]], ...]
    top: float


def _plan(question: Question) -> _Plan:
    options = question.options
    scored = [o for o in options if o.points is not None]
    points = sorted({o.points or 0.0 for o in scored})
    pool = None
    if question.scored and question.area:
        pool = "internal" if question.root_cause == "internal" else "external"
    return _Plan(
        question=question, pool=pool,
        values=tuple(o.value for o in options),
        plain=tuple(o.value for o in options if not o.exclusive and not o.is_skip),
        none=next((o.value for o in options if o.exclusive and not o.is_skip), None),
        skips=tuple(o.value for o in options if o.is_skip),
        by_points=tuple((p, tuple(o.value for o in scored if (o.points or 0.0) == p))
                        for p in points),
        top=(points[-1] if points else 0.0) or 1.0,
    )


_PLANS: dict[str, tuple[_Plan, ...]] = {}


def _plans(q: Questionnaire) -> tuple[_Plan, ...]:
    if q.version not in _PLANS:
        _PLANS[q.version] = tuple(_plan(question) for question in q.questions.values())
    return _PLANS[q.version]


def _answer(plan: _Plan, level: float | None, rng: random.Random) -> Any:
    """One valid answer drawn near `level` (0–1); None leaves an optional question blank."""
    question = plan.question
    if question.type == "number":
        lo, hi = question.min or 0, question.max if question.max is not None else 100
        return round(lo + (hi - lo) * rng.random() ** 3)
    if question.type == "text":
        return rng.choice(TEXT_SNIPPETS) if rng.random() < 0.15 else None
    if level is None:
        if question.type == "single":
            return rng.choice(plan.values)
        k = max(1, min(len(plan.plain), round(rng.random() * 3)))
        picked = set(rng.sample(plan.plain, k))
        return [v for v in plan.plain if v in picked]
    if plan.skips and rng.random() < 0.06:
        return [plan.skips[0]] if question.type == "multi" else rng.choice(plan.skips)
    if question.type == "multi":
        p = _clip(level * 0.9 + 0.05)
        chosen = [v for v in plan.plain if rng.random() < p]
        if chosen:
            return chosen
        return [plan.none] if plan.none else [rng.choice(plan.plain)]
    target = _clip(level + rng.gauss(0, 0.15)) * plan.top
    _, values = min(plan.by_points, key=lambda pv: abs(pv[0] - target))
    return values[0] if len(values) == 1 else rng.choice(values)


def synth_answers(q: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """A whole, valid set of answers for one synthetic firm; questions that do not apply to
    it (by the questionnaire's routing) are left out."""
    answers, size = _profile(q, rng)
    latent = _latent(answers, rng, size)
    _finance(q, answers, latent, rng)
    for plan in _plans(q):
        question = plan.question
        if question.id in answers or not is_shown(question, answers, q):
            continue
        level = None
        if plan.pool is not None:
            levels = latent.internal if plan.pool == "internal" else latent.external
            level = levels.get(question.area or "", 0.5)
        value = _answer(plan, level, rng)
        if value is not None:
            answers[question.id] = value
    return answers


def _moment(rng: random.Random, today: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.date]:
    """A submission time in the last two years, more of them recent (growing uptake)."""
    days_ago = int(DAYS_BACK * (1 - math.sqrt(rng.random())))
    day = today - dt.timedelta(days=days_ago)
    local = dt.datetime.combine(day, dt.time(rng.randint(8, 22), rng.randint(0, 59)),
                                tzinfo=tz)
    return local.astimezone(dt.UTC).replace(tzinfo=None), day


def synth_chunk(version: str, seed: str, n: int, today: dt.date, tz_name: str
                ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """`n` (response row, assessment row) pairs, determined by `seed` alone. Pure."""
    q = load_questionnaire(version)
    rng = random.Random(seed)
    tz = ZoneInfo(tz_name)
    out = []
    for _ in range(n):
        answers = synth_answers(q, rng)
        submitted, day = _moment(rng, today, tz)
        duration = int(rng.lognormvariate(6.6, 0.4))
        created = submitted - dt.timedelta(seconds=duration)
        response = {
            "token": secrets.token_urlsafe(32), "status": "submitted",
            "questionnaire_version": q.version,
            "language": "zh" if rng.random() < 0.8 else "en", "consent_version": "demo",
            "answers": answers, "current_section": None, "source": "demo", "is_demo": True,
            "created_at": created, "updated_at": submitted, "submitted_at": submitted,
        }
        assessment = {
            "is_demo": True, "submitted_at": submitted, "local_date": day,
            "month": day.strftime("%Y-%m"), "wave_id": None, "duration_seconds": duration,
            **profile_columns(answers), **scored_columns(assess(q, answers, check=False)),
        }
        out.append((response, assessment))
    return out


def _default_workers() -> int:
    """One generating process per CPU this process may run on, up to 4; none on one CPU, where
    a worker would only take turns with the inserting parent and add the pickling."""
    usable = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
              else os.cpu_count() or 1)
    return min(usable, 4) if usable > 1 else 0


def chunks(count: int, seed: int | None, today: dt.date, tz_name: str,
           workers: int | None = None) -> Iterator[list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Generate the rows chunk by chunk: in `workers` processes beside this one when there are
    many (default: `_default_workers`), in this process with `workers=0` or few rows."""
    base = str(seed if seed is not None else secrets.randbits(64))
    version = load_questionnaire().version
    sizes = [min(CHUNK, count - i) for i in range(0, count, CHUNK)]
    args = [(version, f"{base}:{i}", n, today, tz_name) for i, n in enumerate(sizes)]
    # The parent inserts while the workers generate, so even one worker beside it is faster
    # than generating in the parent (bench/bench_seed.py; docs/architecture.md has figures).
    workers = workers if workers is not None else _default_workers()
    if count < PARALLEL_FROM or workers < 1:
        for a in args:
            yield synth_chunk(*a)
        return
    # fork where there is one: spawn would re-run the caller's main script in every worker
    # (breaking `python -` and unguarded scripts). The children only compute — they never touch
    # the parent's database connection — and the pool starts before this job writes anything.
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    # A forked worker inherits the whole app (SQLAlchemy, pandas, …); every full collection of
    # its garbage collector would walk all of it, and the many small objects a chunk makes
    # trigger many. Frozen, the inherited objects are left out of the collector's work.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method)) as pool:
            futures = [pool.submit(synth_chunk, *a) for a in args[:workers * 2]]
            pending = args[workers * 2:]
            while futures:
                done = futures.pop(0).result()
                if pending:
                    futures.append(pool.submit(synth_chunk, *pending.pop(0)))
                yield done
    finally:
        gc.unfreeze()


class DemoRefused(RuntimeError):
    """Demo data asked for where it must never go (production)."""


def seed(count: int, seed: int | None = None, workers: int | None = None) -> Iterator[int]:
    """Insert `count` demo assessments in bulk; yields how many each chunk added.

    Each chunk is one write transaction: responses inserted in batches with RETURNING of their
    token and id (matched by token: SQLite batches a RETURNING insert only when the order of
    the rows returned is left free), then their assessments as one executemany, then one
    UPDATE that files the chunk into waves by the same rule as live submissions.
    """
    from flask import current_app
    from sqlalchemy import insert, select

    from survey.database import write_transaction
    from survey.extensions import Base
    from survey.models import Assessment, Response
    from survey.services import cells, starts
    from survey.services.responses import local_now
    from survey.services.waves import reassign_waves

    if current_app.config.get("SURVEY_ENV") == "production":
        raise DemoRefused("demo data is never seeded when SURVEY_ENV=production")
    # The tables, not the mapped classes: an ORM bulk INSERT groups rows by which values are
    # None and sends one statement per group, a Core one sends each chunk as one executemany.
    responses = Base.metadata.tables[Response.__tablename__]
    assessments = Base.metadata.tables[Assessment.__tablename__]
    tz_name = current_app.config.get("SURVEY_TIMEZONE", "Asia/Shanghai")
    today = local_now().date()
    for rows in chunks(count, seed, today, tz_name, workers):
        with write_transaction() as s:
            made = s.execute(insert(responses).returning(responses.c.token, responses.c.id),
                             [r for r, _ in rows])
            ids: dict[str, int] = {row.token: row.id for row in made}
            s.execute(insert(assessments),
                      [{**a, "response_id": ids[r["token"]]} for r, a in rows])
            reassign_waves(s, Assessment.response_id.between(min(ids.values()),
                                                              max(ids.values())),
                           counted=False)
            waves = {rid: wave for rid, wave in s.execute(
                select(Assessment.response_id, Assessment.wave_id).where(
                    Assessment.response_id.in_(list(ids.values()))))}
            cells.added_rows(s, ((
                {**a, "wave_id": waves[ids[r["token"]]]}, r["answers"], r["source"])
                for r, a in rows), list(ids.values()), by="response_id")
            starts.added(s, list(ids.values()))
        yield len(rows)
