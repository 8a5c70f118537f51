"""The yardstick of bench/bench_submit.py: the least a JSON-submitting endpoint can do.

One route: parse the JSON body, insert one row into a SQLite table, answer 201. The database
gets the app's own connection settings (WAL, `synchronous=NORMAL`, a busy timeout,
`BEGIN IMMEDIATE`), so what remains between it and the app is what the survey app does per
request: validation, scoring, idempotency, rate limits, sessions and logging.

    BARE_DB=/tmp/bare.db gunicorn -k gthread -w 1 --threads 8 bench.bare_app:app

With BARE_SCORE=1 it also does the method's own work before the insert, as the app does:
validate the answers against the questionnaire, score them (`survey.core`, pure Python), and
store and answer the assessment JSON. What then remains between it and the app is the app's
own overhead: the ORM, the pre-aggregated cells, the peer benchmark, rate limits and logging.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Any

from flask import Flask, Response, request

DB = os.environ.get("BARE_DB", "bare.db")
SCORE = os.environ.get("BARE_SCORE") == "1"
_local = threading.local()


def _connection() -> sqlite3.Connection:
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(DB, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("CREATE TABLE IF NOT EXISTS submissions "
                     "(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        _local.conn = conn
    return conn


app = Flask(__name__)


@app.post("/submit")
def submit() -> Response:
    body = request.get_json()
    out: dict[str, Any] = {}
    if SCORE:
        from survey.core.answers import validate
        from survey.core.questionnaire import load_questionnaire
        from survey.core.scoring import assess, assessment_json

        q = load_questionnaire()
        checked = validate(q, body["answers"])
        if checked.problems:
            return Response(json.dumps(checked.messages()), status=422,
                            mimetype="application/json")
        out = assessment_json(assess(q, checked.answers, check=False))
        body = {**body, "result": out}
    conn = _connection()
    conn.execute("BEGIN IMMEDIATE")
    try:
        cur = conn.execute("INSERT INTO submissions (body) VALUES (?)", (json.dumps(body),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return Response(json.dumps({**out, "id": cur.lastrowid}), status=201,
                    mimetype="application/json")
