"""The peer benchmark read from the score counts and the cells equals the scan of the
assessments exactly — same group, sizes, percentiles and medians — for stored SMEs (their own
assessment taken out), unsaved ones, ties, missing and not-applicable scores, demo rows, other
methods and every fallback of the group, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey.extensions import db
from survey.models import Assessment
from survey.queries.peers import peer_percentiles, peer_scan
from survey.services import cells, responses
from tests.helpers import add_rows, random_answers, row, row_2027, synthetic_2027

MIN_PEERS = (1, 2, 5, 20, 60, 200, 5000)
SCORES = ("overall_score", "financing_score", "digital_technology_score",
          "overseas_markets_score")


def _seed() -> None:
    add_rows(synthetic_2027(400, seed=21))
    add_rows(synthetic_2027(80, seed=22, demo=True))
    # Another method's rows: never peers of a 2027.1 assessment.
    add_rows(row(industry="software_it", size_class="micro", score=float(s),
                 method_version="2026.1", questionnaire_version="2026.1")
             for s in range(0, 100, 7))
    # Ties: one small group where most firms share a few scores.
    add_rows([row_2027(industry="construction", size_class="micro", score=50.0)] * 9)
    add_rows([row_2027(industry="construction", size_class="micro", score=62.5)] * 4)
    add_rows([row_2027(industry="construction", size_class="micro", score=50.0,
                       overall_score=None)] * 3)
    # Scores present but the area not applicable: no score to the peers either.
    add_rows([row_2027(industry="construction", size_class="micro", score=40.0,
                       overseas_markets_status="not_applicable")] * 3)
    add_rows([row_2027(industry="construction", size_class="micro", overseas_applies=False,
                       score=55.0)] * 2)
    # No industry, no size class, and an industry too small for any group of its own.
    add_rows([row_2027(industry=None, score=float(s)) for s in (20, 40, 60)])
    add_rows([row_2027(size_class=None, industry="construction", score=float(s))
              for s in (33.3, 66.6)])
    add_rows([row_2027(industry="mining", size_class="large", score=float(s))
              for s in (10, 90, 90)])
    # Demo rows in the tied group: never peers.
    add_rows([row_2027(industry="construction", size_class="micro", score=99.0,
                       is_demo=True)] * 30)


def _same(subject: Any) -> None:
    for k in MIN_PEERS:
        assert peer_percentiles(subject, k) == peer_scan(subject, k), (
            k, {a: getattr(subject, a, None) for a in
                ("id", "method_version", "industry", "size_class", *SCORES)})


def _unsaved(like: Assessment, **changes: Any) -> SimpleNamespace:
    values = {a: getattr(like, a) for a in
              ("method_version", "industry", "size_class", "is_demo", *SCORES)}
    return SimpleNamespace(**{**values, **changes})


@pytest.fixture
def seeded(app: Flask) -> list[Assessment]:
    _seed()
    return list(db.session.scalars(select(Assessment).order_by(Assessment.id)))


def test_stored_assessments_compare_as_the_scan_does(seeded: list[Assessment]) -> None:
    rng = random.Random(5)
    special = [a for a in seeded if a.industry in (None, "construction", "mining")
               or a.size_class is None or a.method_version != "2027.1"]
    for a in [*special, *rng.sample(seeded, 60)]:
        _same(a)


def test_unsaved_assessments_compare_as_the_scan_does(seeded: list[Assessment]) -> None:
    """No id: nothing to take out; scores between, on and beyond the peers' values."""
    rng = random.Random(6)
    for a in rng.sample(seeded, 25):
        _same(_unsaved(a))
        _same(_unsaved(a, overall_score=50.0, financing_score=None,
                       digital_technology_score=round(rng.uniform(0, 100), 1)))
    for industry, size in [("construction", "micro"), ("construction", None), (None, "micro"),
                           ("mining", "large"), ("unheard_of", "small")]:
        _same(SimpleNamespace(method_version="2027.1", industry=industry, size_class=size,
                              overall_score=50.0, financing_score=62.5,
                              digital_technology_score=0.0, overseas_markets_score=100.0))
    # No method: every method's assessments are peers; an id no row has takes nothing out.
    _same(_unsaved(seeded[0], method_version=None))
    _same(SimpleNamespace(id=10**9, **vars(_unsaved(seeded[0]))))


def test_the_own_row_is_taken_out_as_stored(seeded: list[Assessment]) -> None:
    """The report of an assessment whose area does not apply still shows its own score; the
    counts never held it, so nothing is taken out of that score's distribution."""
    me = next(a for a in seeded if a.overseas_markets_status == "not_applicable"
              and a.overseas_markets_score is not None)
    _same(me)
    bench = peer_percentiles(me, 5)
    assert bench is not None and bench["group"] == "industry_size"
    assert bench["percentiles"]["overseas_markets"] is not None


def test_groups_fall_back_to_industry_and_to_everyone(seeded: list[Assessment]) -> None:
    mining = next(a for a in seeded if a.industry == "mining")
    groups = {k: (peer_percentiles(mining, k) or {}).get("group") for k in (2, 3, 20)}
    assert groups == {2: "industry_size", 3: "all", 20: "all"}
    no_size = next(a for a in seeded if a.size_class is None)
    assert (peer_percentiles(no_size, 5) or {}).get("group") == "industry"
    no_industry = next(a for a in seeded if a.industry is None)
    assert (peer_percentiles(no_industry, 5) or {}).get("group") == "all"
    assert peer_percentiles(mining, 10**6) is None
    for a in (mining, no_size, no_industry):
        _same(a)


def test_a_placeholder_value_is_answered_by_the_scan(seeded: list[Assessment]) -> None:
    """An industry spelt "" would read as "none" in the counts: the scan answers it."""
    _same(_unsaved(seeded[0], industry=""))


def test_after_writes_through_the_app(seeded: list[Assessment]) -> None:
    """Submits through the app and a deletion keep the counts equal to the scan's."""
    made = [responses.create_submitted(random_answers(i)) for i in range(6)]
    assert responses.delete_response(made[0].token)
    db.session.rollback()
    assert cells.differences(db.session()) == []
    for a in db.session.scalars(select(Assessment).where(
            Assessment.response_id.in_([r.id for r in made[1:]]))):
        _same(a)
