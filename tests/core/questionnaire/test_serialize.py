"""The questionnaire JSON of DESIGN.md §4: the same shape from the CLI and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from survey.core.questionnaire import load_questionnaire, questionnaire_json
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS

from .builder import FIXTURE

QUESTION_KEYS = {"id", "text", "help", "type", "required", "area", "weight", "recommendations",
                 "root_cause"}


def questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {qq["id"]: qq for s in data["sections"] for qq in s["questions"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_top_level_shape(lang: str) -> None:
    q = load_questionnaire()
    data = questionnaire_json(q, lang)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data   # plain JSON, nothing else
    assert {"version", "method_version", "language", "areas", "recommendations", "levels",
            "sections"} <= set(data)
    assert (data["version"], data["method_version"], data["language"]) == (
        q.version, q.method_version, lang)
    assert [a["id"] for a in data["areas"]] == list(AREAS)
    assert all(isinstance(a["title"], str) and a["title"] for a in data["areas"])
    assert [r["id"] for r in data["recommendations"]] == list(RECOMMENDATIONS)
    for r in data["recommendations"]:
        assert {"id", "title", "description", "primary_area", "next_steps"} <= set(r)
        assert r["primary_area"] in AREAS
        assert r["next_steps"] and all(isinstance(s, str) and s for s in r["next_steps"])
    assert [lv["min"] for lv in data["levels"]] == sorted(lv["min"] for lv in data["levels"])
    assert data["levels"][0]["min"] == 0
    assert all({"id", "title", "min"} <= set(lv) for lv in data["levels"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_question(lang: str) -> None:
    q = load_questionnaire()
    data = questionnaire_json(q, lang)
    assert list(questions(data)) == list(q.questions)
    for qid, qq in questions(data).items():
        model = q.question(qid)
        assert set(qq) >= QUESTION_KEYS, qid
        assert qq["type"] in ("single", "multi", "number", "text")
        assert qq["text"] == model.text.get(lang)
        if model.scored:
            assert qq["area"] in AREAS and qq["root_cause"] in ("internal", "external")
            assert isinstance(qq["weight"], float) and qq["weight"] > 0
            assert len(qq["recommendations"]) <= 2
            assert qq["recommendations"] == [link.to for link in model.links]
            assert all(o.get("kind") or isinstance(o["points"], float) for o in qq["options"])
        else:
            assert (qq["area"], qq["weight"], qq["root_cause"], qq["recommendations"]) == (
                None, None, None, [])
            assert all("points" not in o for o in qq.get("options", []))
        if qq["type"] == "multi" and model.scored:
            assert qq["full_credit"] > 0
        if qq["type"] in ("single", "multi"):
            for o in qq["options"]:
                assert {"value", "label"} <= set(o) and o["label"]
                assert o.get("kind") in (None, "dont_know", "not_applicable")
                assert o.get("exclusive", True) is True
        if qq["type"] == "number":
            assert "min" in qq and "max" in qq
        if qq["type"] == "text":
            assert qq["max_length"] > 0


def test_languages_differ_but_ids_and_numbers_do_not() -> None:
    q = load_questionnaire()
    en, zh = questionnaire_json(q, "en"), questionnaire_json(q, "zh")
    assert en["areas"][0]["title"] != zh["areas"][0]["title"]

    def skeleton(data: dict[str, Any]) -> list[Any]:
        return [(qq["id"], qq["type"], qq["area"], qq["weight"], qq.get("full_credit"),
                 [(o["value"], o.get("points"), o.get("kind")) for o in qq.get("options", [])])
                for qq in questions(data).values()]

    assert skeleton(en) == skeleton(zh)


def test_exact_question_json_on_the_fixture() -> None:
    data = questions(questionnaire_json(FIXTURE, "zh"))
    assert data["f_i2"] == {
        "id": "f_i2", "text": "中文：Question f_i2?", "help": None, "type": "multi",
        "required": True, "area": "financing", "weight": 1.0,
        "recommendations": ["financial_support"], "root_cause": "internal", "full_credit": 3.0,
        "options": [
            {"value": "a", "label": "中文：Option a", "points": 2.0},
            {"value": "b", "label": "中文：Option b", "points": 2.0},
            {"value": "c", "label": "中文：Option c", "points": 1.0},
            {"value": "none", "label": "中文：None", "points": 0.0, "exclusive": True},
            {"value": "dk", "label": "中文：Don't know", "kind": "dont_know"},
        ],
    }
    assert data["p_export_since"]["show_if"] == {"question": "p_export", "in": ["yes"]}
    assert (data["p_years"]["min"], data["p_years"]["max"]) == (0, 200)
    assert data["p_note"]["max_length"] == 20 and data["p_note"]["required"] is False
