#!/usr/bin/env bash
# Quick start: `./run.sh` runs the app on SQLite; `./run.sh test` runs the tests.
# Both create ./.venv and install into it the exact, hashed versions of requirements/*.lock
# (runtime for the app, dev for the tests), then the project itself, the first time and
# whenever a lock file or pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

# `./run.sh --port 5077` is `./run.sh run --port 5077`.
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- run "$@"
fi
case "$1" in
  test) lock=requirements/dev.lock ;;
  *) lock=requirements/runtime.lock ;;
esac

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV …"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(basename "$lock")"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing $lock and the project into $VENV …"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$lock"
  "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  touch "$stamp"
fi

case "$1" in
  test)
    shift || true
    # One worker per core (pytest-xdist); `./run.sh test -n 0` runs in one process.
    exec "$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
    ;;
  run)
    shift || true
    "$VENV/bin/flask" --app app db upgrade
    cat <<'MSG'

  The survey starts at http://127.0.0.1:5000 (or the --port you gave); stop it with Ctrl+C.

  In another terminal:
    .venv/bin/flask --app app staff create you@example.org --role admin   # a staff account
    .venv/bin/flask --app app demo seed --count 3000                      # demo assessments
    .venv/bin/flask --app app programmes import docs/examples/programmes.csv   # example programmes
  then sign in at /staff/login. Demo assessments are flagged and left out of the dashboard,
  exports and API until the "Demo data" filter asks for them; peers and the brief never use them.

MSG
    exec "$VENV/bin/flask" --app app run "$@"
    ;;
  *)
    echo "usage: ./run.sh [run|test] [args…]" >&2
    exit 2
    ;;
esac
