"""Staff workspace: sign-in, dashboard, responses, exports, brief, administration."""

from flask import Blueprint

bp = Blueprint("staff", __name__)
