"""How questions are drawn and read: selects, grids, numbers as owners type them."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from survey.core.questionnaire import load_questionnaire
from survey.extensions import db
from survey.models import Response
from survey.respondent.forms import _parse_number
from tests.helpers import best_answers, form_data_for
from tests.journey import Respondent

Q = load_questionnaire()


def test_select_questions_render_a_native_select_with_choose_first(
        respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get("/survey/profile").text
    selects = [qq.id for qq in Q.questions.values() if qq.widget == "select"]
    assert {"industry", "province", "revenue_band", "assets_band"} <= set(selects)
    for qid in selects:
        tag = re.search(rf'<select id="{qid}" name="{qid}"[^>]*>(.*?)</select>', page, re.S)
        assert tag, qid
        options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', tag.group(1))
        assert options[0] == ("", "Choose…"), options[0]
        assert [v for v, _ in options[1:]] == [o.value for o in Q.question(qid).options]
        assert f'<label class="q-label" for="{qid}">' in page  # its label names it
        assert f'aria-describedby="{qid}-help"' in tag.group(0) or Q.question(qid).help is None
    assert 'name="industry" value=' not in page  # no radio buttons for it


def test_select_in_chinese(zh_client: FlaskClient) -> None:
    respondent = Respondent(zh_client)
    respondent.start()
    page = respondent.client.get("/survey/profile").text
    beijing = Q.question("province").option("beijing")
    assert beijing is not None
    assert re.search(f'<option value="beijing"[^>]*>{beijing.label.zh}</option>', page)
    assert '<option value="" selected>' in page


def test_a_chosen_option_is_stored_and_shown_again(respondent: Respondent) -> None:
    respondent.start()
    given = best_answers(industry="construction", assets_band="ast_300_2000",
                         province="sichuan")
    data = form_data_for(Q.sections[0].questions, given)
    assert respondent.post_section("profile", data).status_code == 302
    page = respondent.client.get("/survey/profile").text
    assert re.search(r'<option value="sichuan" selected[ >]', page)
    assert re.search(r'<option value="ast_300_2000" selected>', page)
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response is not None and response.answers["assets_band"] == "ast_300_2000"


def test_a_grid_is_one_fieldset_with_a_labelled_group_per_row(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all(best_answers())
    page = respondent.client.get("/survey/digital_technology").text
    grids = {qq.grid for qq in Q.sections[2].questions if qq.grid}
    assert grids == {"infra_available", "infra_cost"}
    for grid in grids:
        rows = [qq for qq in Q.sections[2].questions if qq.grid == grid]
        start = page.index(f'id="grid-{grid}"')
        block = page[start:page.index("</fieldset>", start)]
        assert block.count("<fieldset") == 1 and block.count("<legend>") == 1
        legend = re.search(r"<legend>(.*?)</legend>", block, re.S)
        assert legend and rows[0].help is not None
        assert rows[0].help.en.replace("'", "&#39;") in legend.group(1)
        assert 'class="grid-head" aria-hidden="true"' in block
        for row in rows:
            assert (f'id="q-{row.id}" role="radiogroup" '
                    f'aria-labelledby="{row.id}-label"') in block
            assert f'<span id="{row.id}-label">' in block
            for i, _option in enumerate(row.options):
                assert '<label class="choice' in block and f'for="{row.id}-{i}"' in block
        # one number for the whole grid
        assert len(re.findall(r'class="q-number"', block)) == 1


def test_a_grid_row_error_is_shown_on_its_row(respondent: Respondent) -> None:
    respondent.start()
    given = best_answers()
    respondent.fill_all(given)
    data = form_data_for(Q.sections[2].questions, given)
    data.pop("infra_5g_available")
    r = respondent.post_section("digital_technology", data)
    assert r.status_code == 422
    assert 'href="#q-infra_5g_available"' in r.text
    assert re.search(r'class="grid-row has-error" id="q-infra_5g_available"', r.text)
    assert 'aria-describedby="infra_5g_available-error"' in r.text


def test_every_grid_row_in_the_data_is_rendered_in_a_grid(respondent: Respondent) -> None:
    respondent.start()
    respondent.fill_all(best_answers(
        dig_innovation_12m=["own_rd"], export_status="exports_direct"))
    for section in Q.sections:
        page = respondent.client.get(f"/survey/{section.id}").text
        for qq in section.questions:
            if qq.grid and f'id="q-{qq.id}"' in page:
                start = page.index(f'id="grid-{qq.grid}"')
                assert page.index(f'id="q-{qq.id}"') > start


@pytest.mark.parametrize(("typed", "value"), [
    ("20", 20), ("２０", 20), ("２０年", 20), ("20 年", 20), ("35人", 35), ("３５ 人", 35),
    ("12名", 12), ("1,200", 1200), ("１，２００人", 1200), ("500万元", 500), ("2.5", 2.5),
    ("２．５", 2.5), ("  7  ", 7), ("", None), ("   ", None),
])
def test_numbers_as_owners_type_them(typed: str, value: float | None) -> None:
    assert _parse_number(typed) == value


@pytest.mark.parametrize("typed", ["many", "年", "二十", "20岁半", "20 years old"])
def test_what_is_not_a_number_stays_text_for_the_validator(typed: str) -> None:
    assert _parse_number(typed) == typed


def test_full_width_numbers_with_units_are_stored_as_numbers(respondent: Respondent) -> None:
    respondent.start()
    data = form_data_for(Q.sections[0].questions, best_answers())
    data.update({"employees": "３５人", "years_operating": "２０年"})
    r = respondent.post_section("profile", data)
    assert r.status_code == 302, r.text[:1500]
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response is not None
    assert response.answers["employees"] == 35 and response.answers["years_operating"] == 20


def test_a_number_shows_its_help_as_the_hint(respondent: Respondent) -> None:
    respondent.start()
    page = respondent.client.get("/survey/profile").text
    employees = Q.question("employees")
    assert employees.help is not None
    assert f'<p class="q-help" id="employees-help">{employees.help.en}</p>' in page
    tag = re.search(r'<input[^>]*id="employees"[^>]*>', page)
    assert tag and 'aria-describedby="employees-help"' in tag.group(0)
    assert 'inputmode="numeric"' in tag.group(0)


@pytest.mark.parametrize("qid", [qq.id for qq in Q.questions.values() if qq.type == "number"])
def test_every_number_question_gives_an_example_in_both_languages(qid: str) -> None:
    """Owners type what the example shows: its digits, in the hint under the question."""
    hint = Q.question(qid).help
    assert hint is not None
    assert re.search(r"(Example|for example|e\.g\.)\b.*\d", hint.en), hint.en
    assert re.search(r"例如.*\d", hint.zh), hint.zh


def test_a_long_select_carries_what_the_filter_box_needs(zh_client: FlaskClient) -> None:
    """Province and industry: Chinese, English and pinyin to match, and the box's words in
    the page's language; short selects (revenue bands) stay plain."""
    respondent = Respondent(zh_client)
    respondent.start()
    page = zh_client.get("/survey/profile").text
    province = re.search(r'<select id="province"[^>]*>', page)
    assert province and 'data-filter-label="输入文字，在列表中查找"' in province.group(0)
    assert 'data-search="Guangdong">广东省<' in page
    assert 'data-search="Shaanxi">陕西省<' in page
    assert 'data-search="Tibet (Xizang) tibet">西藏自治区<' in page
    assert re.search(r'<select id="industry"[^>]*data-filter-label=', page)
    assert not re.search(r'<select id="revenue_band"[^>]*data-filter-label=', page)
