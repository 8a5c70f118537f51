"""The questionnaire: versioned data files and the pure code that reads them.

Nothing here imports Flask or SQLAlchemy, so the web app, the API and the CLI share one loader.
"""

from survey.core.questionnaire.loader import (
    CURRENT_VERSION,
    QuestionnaireError,
    available_versions,
    load_file,
    load_questionnaire,
    parse,
)
from survey.core.questionnaire.schema import (
    AREAS,
    LANGUAGES,
    RECOMMENDATIONS,
    CreditRule,
    Link,
    NextStep,
    Option,
    Question,
    Questionnaire,
    Section,
    Text,
)
from survey.core.questionnaire.serialize import questionnaire_json

__all__ = [
    "AREAS",
    "CURRENT_VERSION",
    "LANGUAGES",
    "RECOMMENDATIONS",
    "CreditRule",
    "Link",
    "NextStep",
    "Option",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Section",
    "Text",
    "available_versions",
    "load_file",
    "load_questionnaire",
    "parse",
    "questionnaire_json",
]
