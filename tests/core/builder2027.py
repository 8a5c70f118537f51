"""A small method-2027.1 questionnaire for hand-worked tests, built as data.

The scored questions, points, weights and links are those of the 2026.1 fixture
(tests/core/questionnaire/builder.py), so the numbers can be compared with it; what is new is
routed:

  export_status  exports_direct | exports_indirect | supplies_exporters | stopped | considering
                 | no_plans
  o_i1, o_e1     export practice: apply to exports_direct / exports_indirect
  o_i2, o_i3,    export preparation: apply to exporters, `considering` and `stopped`
  o_e2, o_e3
  fin_no_apply_reason  applies when fin_applied is not_applied

so `no_plans`, `supplies_exporters` and an unanswered export status leave overseas markets
not applicable. There are no "not applicable" options: f_i3 offers 0/1/2 only.

Next steps (all with a `when`), credit-constraint rules and a three-row support-scheme grid
(`schemes`: scheme_guarantee, scheme_tax_loan, scheme_cloud; best answer "received") complete
it. Nine padding questions bring it to the 35 questions (a grid counts once) a 2027.1 file needs.
"""

from __future__ import annotations

import copy
from typing import Any

from survey.core.questionnaire import Questionnaire, parse
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS
from tests.core.questionnaire.builder import LEVELS, PRIMARY, multi_options, scale, text

EXPORTERS = ["exports_direct", "exports_indirect"]
PREPARING = [*EXPORTERS, "considering", "stopped"]
EXPORT_STATUSES = [*EXPORTERS, "supplies_exporters", "stopped", "considering", "no_plans"]
DISCOURAGED = ["procedures", "rates", "collateral", "expected_rejection"]
SCHEME_OPTIONS = ["not_aware", "aware_not_needed", "aware_unsure_how", "applied_rejected",
                  "received"]


def _options(values: list[str]) -> list[dict[str, Any]]:
    return [{"value": v, "label": text(v.replace("_", " "))} for v in values]


def _scored(qid: str, area: str, root: str, recs: list[str], options: list[dict[str, Any]],
            *, weight: float = 1.0, qtype: str = "single", full_credit: float | None = None,
            applies_if: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": qid, "type": qtype, "area": area, "root_cause": root, "weight": weight,
        "links": [{"to": r, "why": text(f"{r} can change {qid}")} for r in recs],
        "text": text(f"Question {qid}?"), "options": options,
    }
    if full_credit is not None:
        out["full_credit"] = full_credit
    if applies_if is not None:
        out["applies_if"] = applies_if
    return out


def _profile() -> list[dict[str, Any]]:
    yes_no = _options(["yes", "no"])
    questions: list[dict[str, Any]] = [
        {"id": "industry", "type": "single", "widget": "select", "text": text("Industry?"),
         "options": _options(["manufacturing", "software_it", "other"])},
        {"id": "employees", "type": "number", "integer": True, "min": 0, "max": 1_000_000,
         "text": text("How many people work in the firm?")},
        {"id": "province", "type": "single", "widget": "select", "text": text("Province?"),
         "options": _options(["beijing", "sichuan", "liaoning"])},
        {"id": "export_status", "type": "single", "text": text("Do you export?"),
         "options": _options(EXPORT_STATUSES)},
        {"id": "fin_applied", "type": "single",
         "text": text("Did you apply for a loan in the last 12 months?"),
         "options": [*_options(["applied_granted", "applied_rejected", "not_applied"]),
                     {"value": "pending", "kind": "dont_know", "label": text("Pending")}]},
        {"id": "fin_no_apply_reason", "type": "single", "text": text("Why not?"),
         "applies_if": {"question": "fin_applied", "in": ["not_applied"]},
         "options": _options(["enough_funds", *DISCOURAGED])},
        {"id": "fin_has_credit", "type": "single", "text": text("Do you have a loan now?"),
         "options": yes_no},
    ]
    questions += [
        {"id": f"scheme_{name}", "type": "single", "grid": "schemes", "required": False,
         "text": text(f"Scheme {name}"), "options": _options(SCHEME_OPTIONS)}
        for name in ("guarantee", "tax_loan", "cloud")
    ]
    questions += [
        {"id": f"p_pad{i}", "type": "single", "required": False, "text": text(f"Padding {i}?"),
         "options": yes_no}
        for i in range(1, 10)
    ]
    return questions


def _steps() -> dict[str, list[dict[str, Any]]]:
    def step(sid: str, when: dict[str, Any]) -> dict[str, Any]:
        return {"id": sid, "text": text(f"Step {sid}"), "when": when}

    return {
        "digital_infrastructure": [
            step("di_cloud", {"question": "d_i4", "not_in": ["x"]}),
            step("di_network", {"score_of": "d_e1", "below": 50}),
        ],
        "financial_support": [
            step("fs_guarantee", {"question": "scheme_guarantee",
                                  "in": ["not_aware", "aware_unsure_how"]}),
            step("fs_budget", {"score_of": "f_i1", "below": 50}),
            step("fs_collateral", {"all": [{"question": "fin_applied", "in": ["applied_rejected"]},
                                           {"question": "f_e3", "in": ["0"]}]}),
            step("fs_funds", {"question": "f_i2", "in": ["none"]}),
        ],
        "ip_protection": [
            step("ip_register", {"question": "d_i3", "in": ["0", "1"]}),
            step("ip_report", {"score_of": "d_e2", "below": 50}),
        ],
        "digital_talent": [
            step("dt_training", {"question": "d_i2", "in": ["0", "1", "2"]}),
            step("dt_small", {"all": [{"profile": "size_class", "in": ["micro", "small"]},
                                      {"question": "f_i3", "in": ["0"]}]}),
        ],
        "cross_border_ecommerce": [
            step("cb_platform", {"question": "o_i1", "in": ["0", "1"]}),
            step("cb_prepare", {"all": [{"question": "export_status", "in": ["considering"]},
                                        {"score_of": "o_i2", "below": 100}]}),
            step("cb_logistics", {"any": [{"question": "o_e2", "in": ["0"]},
                                          {"question": "o_e3", "in": ["0"]}]}),
        ],
    }


def _credit_rules() -> list[dict[str, Any]]:
    rejected_or_discouraged = {"any": [
        {"question": "fin_applied", "in": ["applied_rejected"]},
        {"question": "fin_no_apply_reason", "in": DISCOURAGED}]}
    return [
        {"class": "no_need", "when": {"question": "fin_no_apply_reason", "in": ["enough_funds"]}},
        {"class": "fully_constrained", "when": {"all": [
            {"question": "fin_has_credit", "in": ["no"]}, rejected_or_discouraged]}},
        {"class": "partially_constrained", "when": {"all": [
            {"question": "fin_has_credit", "in": ["yes"]}, rejected_or_discouraged]}},
        {"class": "not_constrained", "when": {"any": [
            {"question": "fin_applied", "in": ["applied_granted"]},
            {"question": "fin_has_credit", "in": ["yes"]}]}},
    ]


def fixture_dict() -> dict[str, Any]:
    """A fresh, valid 2027.1 questionnaire as parsed TOML; tests may change it first."""
    s04 = [0, 1, 2, 3, 4]
    fin, dig, ovs = AREAS
    fs, ip, dt, di, cb = ("financial_support", "ip_protection", "digital_talent",
                          "digital_infrastructure", "cross_border_ecommerce")
    practice = {"question": "export_status", "in": EXPORTERS}
    preparation = {"question": "export_status", "in": PREPARING}
    financing = [
        _scored("f_i1", fin, "internal", [fs], scale([0, 1, 2, 4], dont_know=True), weight=2),
        _scored("f_i2", fin, "internal", [fs],
                multi_options({"a": 2, "b": 2, "c": 1}, dont_know=True),
                qtype="multi", full_credit=3),
        _scored("f_i3", fin, "internal", [fs, dt], scale([0, 1, 2])),
        _scored("f_e1", fin, "external", [fs], scale(s04)),
        _scored("f_e2", fin, "external", [fs, ip], scale(s04, dont_know=True)),
        _scored("f_e3", fin, "external", [fs], scale([0, 1, 2]), weight=2),
    ]
    digital = [
        _scored("d_i1", dig, "internal", [di], scale(s04), weight=2),
        _scored("d_i2", dig, "internal", [dt], scale(s04)),
        _scored("d_i3", dig, "internal", [ip], scale(s04)),
        _scored("d_i4", dig, "internal", [di], multi_options({"x": 1, "y": 1, "z": 1}),
                qtype="multi", full_credit=2),
        _scored("d_e1", dig, "external", [di], scale(s04)),
        _scored("d_e2", dig, "external", [ip, dt], scale(s04)),
    ]
    overseas = [
        _scored("o_i1", ovs, "internal", [cb], scale(s04), applies_if=practice),
        _scored("o_i2", ovs, "internal", [cb], scale(s04), applies_if=preparation),
        _scored("o_i3", ovs, "internal", [cb, ip], scale(s04), applies_if=preparation),
        _scored("o_e1", ovs, "external", [cb], scale(s04), applies_if=practice),
        _scored("o_e2", ovs, "external", [cb, di], scale(s04), applies_if=preparation),
        _scored("o_e3", ovs, "external", [cb], scale(s04, dont_know=True),
                applies_if=preparation),
    ]
    steps = _steps()
    return {
        "version": "test.2027",
        "method_version": "2027.1",
        "size_standard": "size-standard-2011",
        "method": {"min_answered": 3, "min_weight_share": 0.5, "need_min_weight_share": 0.5,
                   "priority_high": 60, "priority_medium": 40, "drivers_max": 3,
                   "next_steps_max": 3, "gap_mostly_external": 0.6,
                   "gap_mostly_internal": 0.4, "overall_min_areas": 2},
        "levels": [{"id": lid, "min": lo, "title": text(lid.title())} for lid, lo in LEVELS],
        "areas": [{"id": a, "title": text(a), "description": text(f"About {a}"),
                   "readings": {lid: text(f"{a} is {lid}") for lid, _ in LEVELS}}
                  for a in AREAS],
        "recommendations": [
            {"id": r, "primary_area": PRIMARY[r], "title": text(f"Recommendation {r}"),
             "description": text(f"Why {r}"), "next_steps": steps[r]}
            for r in RECOMMENDATIONS
        ],
        "indicators": {"credit_constraint": _credit_rules()},
        "sections": [
            {"id": "profile", "title": text("Profile"), "questions": _profile()},
            {"id": fin, "title": text("Financing"), "questions": financing},
            {"id": dig, "title": text("Digital"), "questions": digital},
            {"id": ovs, "title": text("Overseas"), "questions": overseas},
        ],
    }


def build(raw: dict[str, Any] | None = None) -> Questionnaire:
    return parse(copy.deepcopy(raw) if raw is not None else fixture_dict(), source="fixture")


FIXTURE: Questionnaire = build()
