#!/usr/bin/env bash
# Until the first release, the schema is one migration: regenerate it from the models after a
# model change (`flask db check` in CI fails when it is stale). After the first release, add
# migrations with `flask --app app db migrate -m "…"` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
FLASK=${FLASK:-.venv/bin/flask}
tmp=$(mktemp -d)
rm -f survey/migrations/versions/0001_initial_schema.py
SURVEY_INSTANCE_PATH="$tmp" "$FLASK" --app app db migrate -m "initial schema" >/dev/null
f=$(ls survey/migrations/versions/*_initial_schema.py)
python3 - "$f" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
rev = re.search(r"revision = '(\w+)'", s).group(1)
s = s.replace(rev, "0001")
s = s.replace("from alembic import op\nimport sqlalchemy as sa\n",
              "import datetime as dt\n\nimport sqlalchemy as sa\nfrom alembic import op\n")
marker = "    # ### end Alembic commands ###\n"
i = s.index(marker) + len(marker)
s = s[:i] + '''    # The open-ended default wave: a submission is never blocked for want of a wave.
    waves = sa.table("waves", sa.column("name", sa.String), sa.column("starts_on", sa.Date),
                     sa.column("ends_on", sa.Date), sa.column("created_at", sa.DateTime))
    op.bulk_insert(waves, [{"name": "Default wave", "starts_on": dt.date(2000, 1, 1),
                            "ends_on": None, "created_at": dt.datetime(2026, 1, 1)}])
''' + s[i:]
open(p, "w").write(s)
PY
mv "$f" survey/migrations/versions/0001_initial_schema.py
"${RUFF:-.venv/bin/ruff}" check --fix --quiet survey/migrations/versions/0001_initial_schema.py || true
rm -rf "$tmp"
echo "regenerated survey/migrations/versions/0001_initial_schema.py"
