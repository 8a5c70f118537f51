"""Bytes on the wire for the heaviest questionnaire page and the report, with their CSS and JS.

Usage: python bench/page_weight.py   (uses a throwaway SQLite database)
Prints each resource's size raw and gzip-compressed (what a proxy with gzip on would send).
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SURVEY_INSTANCE_PATH", tempfile.mkdtemp())

from survey.extensions import db  # noqa: E402
from tests.conftest import make_app, reset_database  # noqa: E402
from tests.journey import Respondent  # noqa: E402


def assets(client, html: str) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    out = []
    for url in re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js|svg))"', html):
        out.append((url, client.get(url).data))
    return out


def show(name: str, html: bytes, extra: list[tuple[str, bytes]]) -> None:
    total_raw = len(html) + sum(len(b) for _, b in extra)
    total_gz = len(gzip.compress(html)) + sum(len(gzip.compress(b)) for _, b in extra)
    print(f"{name}: page {len(html):,} B ({len(gzip.compress(html)):,} B gzip)")
    for url, body in extra:
        print(f"    {url}: {len(body):,} B ({len(gzip.compress(body)):,} B gzip)")
    print(f"  total {total_raw:,} B raw, {total_gz:,} B gzip")


def main() -> None:
    db_file = Path(tempfile.mkdtemp()) / "weight.sqlite3"
    app = make_app(f"sqlite:///{db_file}")
    with app.app_context():
        db.create_all()
        reset_database()
        r = Respondent(app.test_client())
        r.start()
        sizes = {}
        for s in r.q.sections:
            sizes[s.id] = len(r.client.get(f"/survey/{s.id}").data)
        heaviest = max(sizes, key=sizes.__getitem__)
        page = r.client.get(f"/survey/{heaviest}")
        show(f"questionnaire page /survey/{heaviest}", page.data, assets(r.client, page.text))
        r.fill_all()
        token = r.token()
        r.submit()
        report = r.client.get(f"/report/{token}")
        show("report page", report.data, assets(r.client, report.text))


if __name__ == "__main__":
    main()
