"""survey.queries.export_columns: names stay, labels in both languages, option flags, reasons
for a blank, and Stata-safe names."""

from __future__ import annotations

from typing import Any

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from survey.core.questionnaire import load_questionnaire
from survey.core.questionnaire.schema import AREAS, RECOMMENDATIONS
from survey.queries import exports
from survey.queries.export_columns import (
    NOT_ANSWERED,
    NOT_ASKED,
    STAT_NAME_MAX,
    code_lists,
    csv_header,
    missing_reasons,
    stat_name,
    variables,
)
from survey.web.labels import code_labels_by_language
from tests.helpers import best_answers

OLD_FIXED = (
    "response_id", "wave", "month", "is_demo", "questionnaire_version", "method_version",
    "language", "source", "duration_seconds", "industry", "employees", "revenue",
    "revenue_band", "assets_band", "size_class", "province", "region", "ownership",
    "export_status", "overall_score", "overall_level",
    *(f"{area}_{kind}" for area in AREAS for kind in ("score", "capability", "env", "status",
                                                      "gap")),
    "credit_constraint", *(f"need_{rec}" for rec in RECOMMENDATIONS),
    *(f"priority_{rec}" for rec in RECOMMENDATIONS),
)
"""The columns of the export before labels were added: a contract, kept in their order."""
MULTI = "dig_core_systems"


def test_the_old_columns_keep_their_names_and_order() -> None:
    head = exports.header(False)
    assert len(head) == len(set(head))
    positions = [head.index(name) for name in OLD_FIXED]
    assert positions == sorted(positions)
    q = load_questionnaire()
    answers = [qid for qid in q.questions if qid not in OLD_FIXED]
    assert [head.index(qid) for qid in answers] == sorted(head.index(qid) for qid in answers)


def test_every_coded_column_has_labels_in_both_languages(app: Flask) -> None:
    with app.test_request_context("/?lang=zh"):
        labels = code_labels_by_language([(1, "Default wave"), (2, "2027 H1")])
    cols = {v.name: v for v in variables(False, labels)}
    for name in (*code_lists(), "wave_id", "industry", "province", MULTI):
        v = cols[name]
        for code in v.codes:
            assert v.label(code, "en") and v.label(code, "zh"), (name, code)
    assert cols["wave_id"].label("1", "zh") == "默认批次"
    assert cols["wave_id"].label("2", "zh") == "2027 H1"  # typed names stay as typed
    assert cols["wave_id"].numeric == {"1": 1, "2": 2}
    assert cols["region"].label("east", "en") == "East"
    assert cols["region"].label("east", "zh") != "East"


@given(st.data())
def test_option_flags_and_labels_follow_the_choices(data: st.DataObject) -> None:
    v = next(x for x in variables(False) if x.name == MULTI)
    chosen = data.draw(st.lists(st.sampled_from(v.codes), unique=True))
    cells = exports._cells(v, chosen or None, None if chosen else NOT_ANSWERED, "zh")
    joined, label, *flags, reason = cells
    assert joined == (";".join(chosen) if chosen else None)
    assert len(flags) == len(v.codes)
    if chosen:
        assert flags == [int(code in chosen) for code in v.codes]
        assert label.split(";") == [v.label(c, "zh") for c in chosen] and reason is None
    else:
        assert flags == [None] * len(v.codes) and label == "" and reason == NOT_ANSWERED


@given(st.text(min_size=1, max_size=80))
def test_stat_names_fit_and_are_stable(name: str) -> None:
    short = stat_name(name)
    assert len(short) <= STAT_NAME_MAX and short == stat_name(name)
    assert (short == name) == (len(name) <= STAT_NAME_MAX)


def test_long_names_stay_distinct() -> None:
    names = csv_header(variables(True))
    shortened = [stat_name(n) for n in names]
    assert len(set(shortened)) == len(shortened)


def test_blanks_are_not_asked_when_routed_out_or_absent_and_else_not_answered() -> None:
    q = load_questionnaire()
    answers = best_answers(export_status="no_plans")
    del answers[MULTI]
    reasons = missing_reasons(q.version, answers,
                              ["ovs_logistics_obstacle", MULTI, "no_such_question"])
    assert reasons == {"ovs_logistics_obstacle": NOT_ASKED, MULTI: NOT_ANSWERED,
                       "no_such_question": NOT_ASKED}
    exporter: dict[str, Any] = best_answers(export_status="exports_direct")
    assert missing_reasons(q.version, exporter, ["ovs_logistics_obstacle"]) == {
        "ovs_logistics_obstacle": NOT_ANSWERED}
    assert missing_reasons("1999.1", exporter, [MULTI]) == {MULTI: NOT_ASKED}
