#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml's ranges (pip-tools). Run it after
# changing a dependency, then commit requirements/*.lock; `./run.sh` installs from them.
#   runtime.lock — what production needs (the app, gunicorn, psycopg, redis for shared limits, rq for export jobs)
#   dev.lock     — runtime plus the test, browser-test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -m pip install --quiet "pip-tools>=7.4,<8"
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url
        --no-emit-trusted-host --no-emit-find-links --resolver=backtracking)
"$PY" -m piptools compile "${common[@]}" --extra redis --extra jobs \
  -o requirements/runtime.lock pyproject.toml
"$PY" -m piptools compile "${common[@]}" --extra redis --extra jobs --extra test --extra e2e --extra lint \
  -o requirements/dev.lock pyproject.toml
