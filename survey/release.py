"""Which release this is and which schema it expects: for /healthz, /readyz and `flask version`.

The version is pyproject's (CHANGELOG.md says what each holds); the schema is the newest
migration the package ships (docs/upgrading.md).
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

DISTRIBUTION = "sme-digital-readiness-survey"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@functools.cache
def release() -> str:
    try:
        return package_version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def migration_head() -> str | None:
    """Read once: the scripts do not change while the process runs."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
