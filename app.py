"""Entry point: `flask --app app run`, `gunicorn app:app`."""

from survey import create_app

app = create_app()
