"""The OpenAPI description: valid OpenAPI 3.1, complete, and true — the API is fuzzed from it
(schemathesis) and must answer no 500 and nothing that breaks the schema."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from sqlalchemy import delete

from survey.api.openapi import openapi_document
from survey.core.questionnaire import Questionnaire
from survey.database import write_transaction
from survey.models import IdempotencyKey
from survey.services import tokens
from tests.helpers import make_staff, random_answers

STATUSES = {
    "/questionnaire": {"200", "304", "400"},
    "/assessments": {"201", "400", "401", "409", "413", "415", "422", "429"},
    "/assessments/{id}": {"200", "404"},
    "/stats": {"200", "400", "401", "403"},
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
    """Known-good requests, checked against the description (the fuzzer rarely builds them)."""
    schema = schemathesis.openapi.from_dict(openapi_document())
    created = client.post("/api/v1/assessments",
                          json={"answers": random_answers(5, questionnaire)})
    assert created.status_code == 201
    schema["/assessments"]["POST"].validate_response(created)
    fetched = client.get(f"/api/v1/assessments/{created.get_json()['id']}")
    schema["/assessments/{id}"]["GET"].validate_response(fetched)
    schema["/questionnaire"]["GET"].validate_response(client.get("/api/v1/questionnaire"))
    invalid = client.post("/api/v1/assessments", json={"answers": {"industry": "x"}})
    schema["/assessments"]["POST"].validate_response(invalid)
    make_staff("s@example.org")
    secret = tokens.issue("s@example.org", "x").token
    stats = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {secret}"})
    schema["/stats"]["GET"].validate_response(stats)


MAX_EXAMPLES = 15  # per operation and mode: ~30 per operation, a few seconds in all


@pytest.mark.slow
def test_fuzzing_from_the_description_finds_no_500(app: Flask,
                                                   questionnaire: Questionnaire) -> None:
    """schemathesis builds requests, valid and invalid, for every operation from our own
    description and checks each response: never a 5xx; status, content type, headers and
    body as documented; schema-valid requests accepted, invalid ones refused."""
    make_staff("fuzz@example.org")
    secret = tokens.issue("fuzz@example.org", "fuzz").token
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4  # all but the description itself
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
            resp = case.call_and_validate(headers=auth if with_auth else None)
            seen[resp.status_code] += 1

        run()

    unsatisfiable = []
    for op in operations:
        fuzz(op.as_strategy(generation_mode=GenerationMode.POSITIVE))
        try:
            fuzz(op.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        except Unsatisfiable:  # nothing invalid to send (e.g. a path with one free string)
            unsatisfiable.append(op.label)
    assert len(unsatisfiable) <= 1, unsatisfiable
    assert {200, 201, 401, 404} <= set(seen), seen
    assert {400, 422} & set(seen), seen
