"""The SME's journey: start page, questionnaire, resume, report, methodology."""

from flask import Blueprint

bp = Blueprint("respondent", __name__)

from survey.respondent import own_data, pdf, report, support, views  # noqa: E402, F401
from survey.respondent.links import tidy_token_url  # noqa: E402

bp.url_value_preprocessor(tidy_token_url)
