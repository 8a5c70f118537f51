"""Page weight: what a phone downloads for a questionnaire page and for the report.

    python bench/page_weight.py            # exits 1 when a page is over its budget

The app is built on a throwaway SQLite database; a respondent goes through the questionnaire
with the Flask test client, in English and in Chinese (Chinese text is three bytes a character
in UTF-8), and submits. For every questionnaire page and for the report it adds up the HTML and
every stylesheet and script the page references, each once — never plotly.js, which only the
staff dashboard loads. Favicons and images are left out: the budget is for HTML, CSS and JS.

Budgets (1 KB = 1,000 bytes): a questionnaire page 50 KB, the report 100 KB, counted
uncompressed, as the app sends them itself; the gzip figure is what a compressing proxy in front
of it would send, shown for comparison. The heaviest page of each kind is checked.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SURVEY_INSTANCE_PATH", tempfile.mkdtemp(prefix="page-weight-"))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from survey.extensions import db  # noqa: E402
from tests.conftest import make_app, reset_database  # noqa: E402
from tests.helpers import worst_answers  # noqa: E402
from tests.journey import Respondent  # noqa: E402

KB = 1000
BUDGETS = {"questionnaire": 50 * KB, "report": 100 * KB}
ASSET = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="(/[^"]+)"')


@dataclass
class Weight:
    name: str
    parts: list[tuple[str, bytes]]

    @property
    def raw(self) -> int:
        return sum(len(body) for _, body in self.parts)

    @property
    def gzip(self) -> int:
        return sum(len(gzip.compress(body)) for _, body in self.parts)

    def show(self, budget: int) -> str:
        lines = [f"{self.name}"]
        for url, body in self.parts:
            lines.append(f"    {url:<40} {len(body):>8,} B  {len(gzip.compress(body)):>7,} B gzip")
        verdict = "ok" if self.raw <= budget else "OVER"
        lines.append(f"    {'total':<40} {self.raw:>8,} B  {self.gzip:>7,} B gzip"
                     f"   budget {budget:,} B: {verdict}")
        return "\n".join(lines)


def weigh(client: FlaskClient, name: str, url: str, shown_as: str | None = None) -> Weight:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    parts = [(shown_as or url, page.data)]
    for asset in dict.fromkeys(ASSET.findall(page.text)):
        if "plotly" in asset:
            continue
        body = client.get(asset).data
        parts.append((asset, body))
    return Weight(name, parts)


def journey(client: FlaskClient, lang: str) -> tuple[list[Weight], Weight]:
    """Every questionnaire page a direct exporter that applied for a loan meets (the most
    questions shown), filled in, then the report after submitting."""
    client.get(f"/?lang={lang}")
    respondent = Respondent(client)
    respondent.start()
    given = worst_answers(fin_applied="yes", industry="construction")
    answered = respondent.fill_all(given)
    pages = [weigh(client, f"[{lang}] /survey/{sid}", f"/survey/{sid}") for sid in answered]
    assert respondent.submit().status_code == 302
    token = respondent.token()  # the report's own token, fresh at submit
    return pages, weigh(client, f"[{lang}] the report", f"/report/{token}", "/report/<token>")


def measure(app: Flask) -> dict[str, list[Weight]]:
    """Every questionnaire page and the report, in both languages, by kind (the app's
    database must exist; tests/test_page_weight.py calls this with its own app)."""
    weights: dict[str, list[Weight]] = {"questionnaire": [], "report": []}
    for lang in ("en", "zh"):
        found, report = journey(app.test_client(), lang)
        weights["questionnaire"] += found
        weights["report"].append(report)
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="show every page, not the heaviest")
    args = parser.parse_args()

    app = make_app(f"sqlite:///{Path(tempfile.mkdtemp(prefix='page-weight-')) / 'w.sqlite3'}")
    with app.app_context():
        db.create_all()
        reset_database()
        measured = measure(app)
    pages, reports = measured["questionnaire"], measured["report"]

    over = False
    for kind, weights in (("questionnaire", pages), ("report", reports)):
        budget = BUDGETS[kind]
        shown = weights if args.all else [max(weights, key=lambda w: w.raw)]
        print(f"{kind} page{'s' if args.all else ', the heaviest of ' + str(len(weights))}:")
        for w in shown:
            print(w.show(budget))
        over = over or any(w.raw > budget for w in weights)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
