"""The OpenAPI description: valid OpenAPI 3.1, complete, and true — the API is fuzzed from it
(schemathesis) and must answer no 500 and nothing that breaks the schema."""

from __future__ import annotations

import copy
import json
import random
import uuid
from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from sqlalchemy import delete, select

from survey.api.openapi import openapi_document
from survey.core.questionnaire import Questionnaire
from survey.database import write_transaction
from survey.extensions import db
from survey.models import Assessment, IdempotencyKey, Response
from survey.services import tokens
from tests.helpers import best_answers, make_staff, random_answers

STATUSES = {
    "/questionnaire": {"200", "304", "400"},
    "/assessments": {"201", "400", "401", "409", "413", "415", "422", "429"},
    "/assessments/{id}": {"200", "404"},
    "/stats": {"200", "400", "401", "403"},
    "/indicators": {"200", "400", "401", "403", "404"},
    "/openapi.json": {"200"},
}


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return dict(resp.get_json())


def test_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_describes_every_route_and_status(app: Flask, document: dict[str, Any]) -> None:
    routes = {rule.rule.removeprefix("/api/v1").replace("<token>", "{id}")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes == set(document["paths"])
    for path, statuses in STATUSES.items():
        (operation,) = document["paths"][path].values()
        assert statuses <= set(operation["responses"]), path
    post = document["paths"]["/assessments"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header"
               for p in post["parameters"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for name in ("Questionnaire", "Assessment", "Error", "Stats"):
        assert name in document["components"]["schemas"]


def test_answers_schema_follows_the_questionnaire(document: dict[str, Any],
                                                  questionnaire: Questionnaire) -> None:
    answers = (document["components"]["schemas"]["AssessmentRequest"]
               ["properties"]["answers"]["properties"])
    assert set(answers) == set(questionnaire.questions)
    assert "manufacturing" in answers["industry"]["enum"]


def test_real_responses_match_their_schemas(app: Flask, client: FlaskClient,
                                            questionnaire: Questionnaire) -> None:
    """Known-good requests, checked against the description (the fuzzer rarely builds them):
    2027.1 assessments (an exporter, a firm with no export plans and `ignored` answers), the
    questionnaire with its routing, links and steps, and stats with credit-constraint shares."""
    schema = schemathesis.openapi.from_dict(openapi_document())
    created = client.post("/api/v1/assessments",
                          json={"answers": random_answers(5, questionnaire)})
    assert created.status_code == 201
    schema["/assessments"]["POST"].validate_response(created)
    fetched = client.get(f"/api/v1/assessments/{created.get_json()['id']}")
    schema["/assessments/{id}"]["GET"].validate_response(fetched)
    domestic = best_answers(questionnaire, export_status="no_plans")
    domestic["ovs_logistics_obstacle"] = "none"  # does not apply: ignored
    body = client.post("/api/v1/assessments", json={"answers": domestic})
    assert body.status_code == 201
    schema["/assessments"]["POST"].validate_response(body)
    assert body.get_json()["areas"]["overseas_markets"]["status"] == "not_applicable"
    assert body.get_json()["ignored"] == ["ovs_logistics_obstacle"]
    for lang in ("en", "zh"):
        described = client.get(f"/api/v1/questionnaire?lang={lang}")
        schema["/questionnaire"]["GET"].validate_response(described)
        questions = [q for s in described.get_json()["sections"] for q in s["questions"]]
        assert any("applies_if" in q for q in questions)
        assert any("links" in q and q["links"][0]["why"] for q in questions)
        assert any(q.get("grid") for q in questions) and any(q.get("widget") for q in questions)
        assert any(r.get("steps") for r in described.get_json()["recommendations"])
    invalid = client.post("/api/v1/assessments", json={"answers": {"industry": "x"}})
    schema["/assessments"]["POST"].validate_response(invalid)
    for seed in range(12):
        assert client.post("/api/v1/assessments", json={
            "answers": random_answers(100 + seed, questionnaire)}).status_code == 201
    make_staff("s@example.org")
    secret = tokens.issue("s@example.org", "x").token
    stats = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {secret}"})
    schema["/stats"]["GET"].validate_response(stats)
    credit = stats.get_json()["credit_constraint"]
    assert credit["n"] == 14 and set(credit["classes"]) == {
        "no_need", "not_constrained", "partially_constrained", "fully_constrained", "unknown"}
    for args in ({}, {"by": "region", "lang": "zh", "demo": "include"}):
        table = client.get("/api/v1/indicators", query_string=args,
                           headers={"Authorization": f"Bearer {secret}"})
        schema["/indicators"]["GET"].validate_response(table)
        assert table.get_json()["n"] == 14 and table.get_json()["indicators"]


def test_a_stored_2026_result_still_matches_the_description(
        app: Flask, client: FlaskClient, questionnaire: Questionnaire) -> None:
    """An assessment scored by method 2026.1 (no capability, status, indicators, next steps or
    ignored answers) is still described by the Assessment schema."""
    created = client.post("/api/v1/assessments",
                          json={"answers": random_answers(7, questionnaire)})
    token = created.get_json()["id"]
    row = db.session.scalar(select(Assessment).join(Response).where(Response.token == token))
    assert row is not None
    legacy = {k: v for k, v in row.result.items() if k not in ("indicators", "ignored")}
    legacy["questionnaire_version"] = legacy["method_version"] = "2026.1"
    legacy["areas"] = {a: {"score": 50.0, "level": "developing", "coverage": 1.0,
                           "environment": 40.0, "environment_coverage": 1.0}
                       for a in legacy["areas"]}
    legacy["recommendations"] = [
        {"id": r["id"], "need": 50.0, "priority": "medium", "rank": 1, "tied": True,
         "coverage": 1.0, "drivers": [], "actionable_drivers": []}
        for r in legacy["recommendations"]]
    row.result = legacy
    db.session.commit()
    schema = schemathesis.openapi.from_dict(openapi_document())
    schema["/assessments/{id}"]["GET"].validate_response(
        client.get(f"/api/v1/assessments/{token}"))


# --- the answers schema is exact ----------------------------------------------------------

def _answers_schema(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["components"]["schemas"]["AssessmentRequest"]["properties"]["answers"])


def _mutations(questionnaire: Questionnaire, seed: int) -> list[dict[str, Any]]:
    """Answer sets around a random complete one: as drawn, one answer dropped, a routing
    answer changed (leaving the questions it routes as they were), a bogus answer to a
    question that may or may not apply."""
    rng = random.Random(seed)
    answers = random_answers(seed, questionnaire)
    ids = list(questionnaire.questions)
    dropped = dict(answers)
    dropped.pop(rng.choice(list(answers)))
    rerouted = dict(answers)
    trigger = rng.choice(["export_status", "fin_applied", "fin_demand", "industry"])
    rerouted[trigger] = rng.choice(questionnaire.question(trigger).options).value
    bogus = {**answers, rng.choice(ids): "bogus"}
    return [answers, dropped, rerouted, bogus]


def test_the_answers_schema_says_exactly_what_the_api_accepts(
        client: FlaskClient, document: dict[str, Any], questionnaire: Questionnaire) -> None:
    """For complete, incomplete, rerouted and bogus answer sets, the documented schema (with
    its routing rules) and the API agree on every one: valid ⇔ 201, invalid ⇔ 422."""
    validator = Draft202012Validator(_answers_schema(document))
    verdicts: Counter[tuple[bool, int]] = Counter()
    for seed in range(15):
        for answers in _mutations(questionnaire, seed):
            valid = validator.is_valid(answers)
            status = client.post("/api/v1/assessments", json={"answers": answers}).status_code
            assert status == (201 if valid else 422), (seed, answers, status)
            verdicts[(valid, status)] += 1
    assert verdicts[(True, 201)] and verdicts[(False, 422)]


# --- fuzzing ------------------------------------------------------------------------------

ROUTES: tuple[dict[str, Any], ...] = (
    {"industry": "construction", "export_status": "exports_direct", "fin_applied": "yes",
     "fin_demand": "both", "dig_ip_held_cn": ["invention_patent"],
     "dig_innovation_12m": ["own_rd"], "ovs_channels_12m": ["marketplace"]},
    {"industry": "manufacturing", "export_status": "no_plans", "fin_applied": "no",
     "fin_demand": "no_own_funds", "dig_ip_held_cn": ["nothing_to_protect"],
     "dig_innovation_12m": ["none"], "ovs_channels_12m": ["b2b_platform"]},
)
"""Answers to every question others are routed on: the first makes nearly every routed
question apply, the second nearly none (its channels answer is ignored: not asked)."""


def routed(document: dict[str, Any], pins: dict[str, Any]) -> dict[str, Any]:
    """The description with the answers' routing resolved for fixed answers to the routing
    questions: those answers pinned, each rule whose condition then holds folded in (its
    questions checked and required), the others dropped (their questions take anything,
    which the API ignores). Every request valid here is valid under the real description, and
    the fuzzer's generator can work with it: 14 interacting `if`/`then` rules are more than
    its canonical form allows."""
    doc = copy.deepcopy(document)
    answers = doc["components"]["schemas"]["AssessmentRequest"]["properties"]["answers"]
    rules = answers.pop("allOf", [])
    for name, value in pins.items():
        answers["properties"][name] = {"const": value}
    for rule in rules:
        read = set(json.dumps(rule["if"]).split('"')) & set(answers["properties"])
        assert read <= set(pins), f"routing on {read - set(pins)}: pin it in ROUTES"
        if Draft202012Validator(rule["if"]).is_valid(pins):
            for qid, schema in rule["then"]["properties"].items():
                if qid not in pins:
                    answers["properties"][qid] = schema
            answers["required"] += [q for q in rule["then"].get("required", [])
                                    if q not in answers["required"]]
    answers["required"] += [q for q in pins if q not in answers["required"]]
    return doc


def unrouted(document: dict[str, Any]) -> dict[str, Any]:
    """The description without the routing rules: a superset of it, so every request invalid
    here is invalid under the real description too (what negative fuzzing needs)."""
    doc = copy.deepcopy(document)
    doc["components"]["schemas"]["AssessmentRequest"]["properties"]["answers"].pop("allOf")
    return doc


MAX_EXAMPLES = 15  # per operation and mode: ~30 per operation, a few seconds in all


@pytest.mark.slow
def test_fuzzing_from_the_description_finds_no_500(app: Flask,
                                                   questionnaire: Questionnaire) -> None:
    """schemathesis builds requests, valid and invalid, for every operation from our own
    description and checks each response: never a 5xx; status, content type, headers and
    body as documented; schema-valid requests accepted, invalid ones refused. Answers are
    built from the description with its routing resolved (`routed`, `unrouted`); the test
    above holds the routing rules themselves to the API."""
    make_staff("fuzz@example.org")
    secret = tokens.issue("fuzz@example.org", "fuzz").token
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5  # all but the description itself
    auth = {"Authorization": f"Bearer {secret}"}
    seen: Counter[int] = Counter()

    def fuzz(strategy: Any) -> None:
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), derandomize=True)
        @given(case=strategy, with_auth=st.booleans())
        def run(case: Any, with_auth: bool) -> None:
            # Each example stands alone: a key reused from an earlier example with another
            # body is a correct 422, not a finding.
            with write_transaction() as s:
                s.execute(delete(IdempotencyKey))
            # The description asks anonymous callers (in words: the schema cannot say "only
            # without a token") for a long random key; a partner's keys are its own.
            key = (case.headers or {}).get("Idempotency-Key")
            if not with_auth and key is not None and len(key.strip().strip('"')) < 16:
                case.headers["Idempotency-Key"] = str(uuid.uuid4())
            resp = case.call_and_validate(headers=auth if with_auth else None)
            seen[resp.status_code] += 1

        run()

    def variant(doc: dict[str, Any]) -> Any:
        loaded = schemathesis.openapi.from_dict(doc)
        loaded.app = app
        return loaded["/assessments"]["POST"]

    unsatisfiable = []
    for op in operations:
        if op.label == "POST /assessments":
            continue
        fuzz(op.as_strategy(generation_mode=GenerationMode.POSITIVE))
        try:
            fuzz(op.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        except Unsatisfiable:  # nothing invalid to send (e.g. a path with one free string)
            unsatisfiable.append(op.label)
    document = openapi_document()
    for pins in ROUTES:
        fuzz(variant(routed(document, pins)).as_strategy(
            generation_mode=GenerationMode.POSITIVE))
    fuzz(variant(unrouted(document)).as_strategy(generation_mode=GenerationMode.NEGATIVE))
    assert len(unsatisfiable) <= 1, unsatisfiable
    assert {200, 201, 401, 404} <= set(seen), seen
    assert {400, 422} & set(seen), seen
