"""How the dashboard, the brief, /api/v1/stats and the CSV export scale: 10k … 1M assessments.

    python bench/bench_dashboard.py --sizes 10000,1000000 --db sqlite,postgresql --reuse

For each database the schema is created empty, then assessments are added up to each size in
turn (so 1M reuses the first 100k) and these are measured, each through the real code:

  dashboard  GET /staff/       — every query, chart and the rendered page, as an analyst
  brief      GET /staff/brief  — the same for the policy brief
  stats      GET /api/v1/stats — the aggregate JSON, with an API token
  export     the row-level CSV (survey.queries.exports: every assessment with its answers), streamed
             to nowhere, counting bytes (`--export`; it grows with the rows by nature)

and the last lines give each one's time at the largest size ÷ at the smallest (the issue's
"1M ÷ 10k", 1.0 = flat). With `--reuse` every size has a database of its own, kept under
--workdir (SQLite) or as survey_bench_<size> (PostgreSQL), seeded once and reused by later
runs: only its schema is brought up to date and its cells rebuilt.

Time is wall-clock (the dashboard and brief: the best of `--repeat` runs, after one warm-up);
peak memory is tracemalloc's peak of Python allocations during one further run, which shows
whether anything grows with the row count (the export must not). Rows come from
`survey.services.demo` (realistic answers, scored by the real method) or, with `--seeder fast`, from
bench/seed.py (flat columns only, empty answers); beyond `--generate-max` (100k) they are
copied in SQL, so 1M takes minutes, not the better part of an hour. All are then marked real
(not demo) so the brief, which ignores demo rows, is measured at size too.

PostgreSQL: DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/survey_bench (created if
missing). SQLite: a file under --workdir. Never point it at a database you care about: the
schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_db import (  # noqa: E402
    PASSWORD,
    analyse,
    cell_counts,
    cells_complete,
    count_rows,
    drop_stale_cells,
    ensure_pg_database,
    fresh_schema,
    make_app,
    rebuild_cells,
    seed,
)

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/survey_bench"


def signed_in_client(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "sign-in form"
    resp = client.post("/staff/login", data={"email": "bench@example.org", "password": PASSWORD,
                                             "csrf_token": token.group(1)})
    assert resp.status_code == 302, resp.status_code
    return client


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    out: list[int] = []
    tracemalloc.start()
    try:
        yield out
    finally:
        out.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def measure(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(best seconds of `repeat` runs after a warm-up, peak MiB of one traced run)."""
    run()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    with peak_memory() as peak:
        run()
    return best, peak[0] / 2**20


def export_csv() -> int:
    from survey.queries import exports
    from survey.queries.filters import Filters

    written = 0
    for chunk in exports.csv_chunks(exports.header(False), exports.rows(Filters(), False)):
        written += len(chunk)
    return written


def api_token() -> str:
    from survey.services import tokens

    return tokens.issue("bench@example.org", f"bench {time.time_ns()}").token


def measure_size(label: str, size: int, client: Any, token: str, repeat: int,
                 export: bool, seeded_s: float) -> dict[str, float]:
    def page(path: str, **kw: Any) -> Callable[[], Any]:
        def get() -> None:
            resp = client.get(path, **kw)
            assert resp.status_code == 200, (path, resp.status_code)
        return get

    times: dict[str, float] = {}
    line = f"{label:<10} {size:>9,} | seed {seeded_s:7.1f}s"
    for name, run in (("dashboard", page("/staff/")), ("brief", page("/staff/brief")),
                      ("stats", page("/api/v1/stats",
                                     headers={"Authorization": f"Bearer {token}"}))):
        seconds, mib = measure(run, repeat)
        times[name] = seconds
        line += f" | {name} {seconds:6.3f}s {mib:6.1f} MiB"
    if export:
        t0 = time.perf_counter()
        size_bytes = export_csv()
        export_s = time.perf_counter() - t0
        with peak_memory() as peak:
            export_csv()
        line += (f" | export CSV {export_s:7.1f}s {peak[0] / 2**20:6.1f} MiB "
                 f"({size_bytes / 2**20:,.0f} MiB written)")
    print(line, flush=True)
    print(f"{'':<10} {'':>9} | cells: {cell_counts()}", flush=True)
    return times


def run_database(label: str, url: str, sizes: list[int], seeder: str, repeat: int,
                 generate_max: int, export: bool = False) -> dict[int, dict[str, float]]:
    app = make_app(url)
    out: dict[int, dict[str, float]] = {}
    with app.app_context():
        fresh_schema()
        client = signed_in_client(app)
        token = api_token()
        have = 0
        for size in sizes:
            t0 = time.perf_counter()
            seed(size - have, seeder, have + 1, have, generate_max)
            rebuild_cells()
            seeded_s = time.perf_counter() - t0
            have = size
            out[size] = measure_size(label, size, client, token, repeat, export, seeded_s)
    return out


def run_reused(label: str, url_for: Callable[[int], str], sizes: list[int], seeder: str,
               repeat: int, generate_max: int, export: bool = False
               ) -> dict[int, dict[str, float]]:
    """Each size in a database of its own, seeded only when it does not hold that many rows."""
    from survey.extensions import db

    out: dict[int, dict[str, float]] = {}
    for size in sizes:
        app = make_app(url_for(size))
        with app.app_context():
            seeded_s = 0.0
            if count_rows() != size:
                t0 = time.perf_counter()
                fresh_schema()
                seed(size, seeder, 1, 0, generate_max)
                rebuild_cells()
                seeded_s = time.perf_counter() - t0
            else:
                stale_cells = drop_stale_cells()
                db.create_all()  # tables added since it was seeded (the cells, say)
                db.session.rollback()  # a snapshot from before them would not see them
                if stale_cells or not cells_complete(size):
                    seeded_s = rebuild_cells()
                analyse()
            client = signed_in_client(app)
            token = api_token()
            out[size] = measure_size(label, size, client, token, repeat, export, seeded_s)
            db.engine.dispose()
    return out


def print_ratios(label: str, results: dict[int, dict[str, float]]) -> None:
    if len(results) < 2:
        return
    small, large = min(results), max(results)
    parts = [f"{name} {results[large][name] / results[small][name]:.2f}"
             for name in results[small]]
    print(f"{label:<10} time at {large:,} ÷ at {small:,}: " + ", ".join(parts), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated assessment counts, ascending")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--seeder", choices=("demo", "fast"), default="demo")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--generate-max", type=int, default=100_000,
                        help="rows generated (and scored); beyond this they are copied in SQL")
    parser.add_argument("--workdir", default=str(ROOT / "instance" / "bench"))
    parser.add_argument("--reuse", action="store_true",
                        help="a database per size, seeded once and kept for later runs")
    parser.add_argument("--export", action="store_true", help="measure the CSV export too")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    for which in [d.strip() for d in args.db.split(",") if d.strip()]:
        if which == "sqlite":
            def sqlite_url(size: int | None = None) -> str:
                path = Path(args.workdir) / (f"bench-{size}.sqlite3" if size else "bench.sqlite3")
                if size is None:
                    for suffix in ("", "-wal", "-shm"):
                        Path(str(path) + suffix).unlink(missing_ok=True)
                return f"sqlite:///{path}"
            url_for: Callable[[int], str] = sqlite_url
            url = sqlite_url() if not args.reuse else ""
        elif which in ("postgresql", "postgres"):
            base = os.environ.get("DATABASE_URL") or DEFAULT_PG

            def pg_url(size: int, base: str = base) -> str:
                url = f"{base}_{size}"
                ensure_pg_database(url)
                return url
            url_for = pg_url
            url = base
            if not args.reuse:
                ensure_pg_database(url)
        else:
            parser.error(f"unknown --db {which!r}")
        if args.reuse:
            results = run_reused(which, url_for, sizes, args.seeder, args.repeat,
                                 args.generate_max, args.export)
        else:
            results = run_database(which, url, sizes, args.seeder, args.repeat,
                                   args.generate_max, args.export)
        print_ratios(which, results)


if __name__ == "__main__":
    main()
