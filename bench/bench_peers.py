"""The peer benchmark from the score counts against the scan of the assessments.

    python bench/bench_peers.py --rows 100000 --db /tmp/bench-peers.sqlite3

Fills a fresh SQLite file with bench/seed.py's synthetic rows (the cells and score counts kept
by the same write), then times `peer_percentiles` (counts and cells) and `peer_scan` (the
assessments) for the same sample of stored assessments, after one warm-up each, and checks
that both give the same answers. A database already holding `--rows` rows is reused.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.bench_db import make_app  # noqa: E402


def _per_call(fn: Any, rows: list[Any], min_peers: int) -> tuple[float, list[Any]]:
    """Milliseconds per call (median over the sample) and the answers."""
    times, answers = [], []
    for r in rows:
        started = time.perf_counter()
        answers.append(fn(r, min_peers))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/bench-peers.sqlite3")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--min-peers", type=int, default=20)
    args = parser.parse_args()

    app = make_app(f"sqlite:///{args.db}")
    with app.app_context():
        from bench.seed import insert_rows, synthetic
        from survey.extensions import db
        from survey.models import Assessment, Wave
        from survey.queries.peers import peer_percentiles, peer_scan

        have = db.inspect(db.engine).has_table("assessments") and db.session.scalar(
            select(func.count()).select_from(Assessment))
        if have != args.rows:
            db.drop_all()
            db.create_all()
            import datetime as dt

            db.session.add(Wave(name="Default wave", starts_on=dt.date(2000, 1, 1)))
            db.session.commit()
            started = time.perf_counter()
            insert_rows(db.session(), synthetic(args.rows, seed=7))
            db.session.commit()
            print(f"seeded {args.rows:,} rows in {time.perf_counter() - started:.0f} s")
        ids = list(db.session.scalars(select(Assessment.id)))
        sample = [db.session.get(Assessment, i)
                  for i in random.Random(3).sample(ids, args.sample)]
        for fn in (peer_percentiles, peer_scan):
            fn(sample[0], args.min_peers)  # warm-up: compiled statements, page cache
        counts_ms, fast = _per_call(peer_percentiles, sample, args.min_peers)
        scan_ms, slow = _per_call(peer_scan, sample, args.min_peers)
        groups = sorted({(a or {}).get("group") or "none" for a in fast})
        print(f"{args.rows:,} assessments, {args.sample} SMEs, min_peers {args.min_peers}, "
              f"groups {groups}")
        print(f"  peer_scan (assessments)         {scan_ms:8.2f} ms per call (median)")
        print(f"  peer_percentiles (score counts) {counts_ms:8.2f} ms per call (median)")
        print(f"  same answers: {fast == slow}")


if __name__ == "__main__":
    main()
