"""The versioned JSON API (/api/v1) for partners and integrations."""

from flask import Blueprint

bp = Blueprint("api", __name__)
