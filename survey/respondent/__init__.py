"""The SME's journey: start page, questionnaire, resume, report, methodology."""

from flask import Blueprint

bp = Blueprint("respondent", __name__)

from survey.respondent import pdf, report, views  # noqa: E402, F401
