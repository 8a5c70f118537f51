"""The layers of docs/architecture.md hold: imports run downward and the core stays pure.

import-linter checks the contracts in pyproject.toml statically (every import, lazy ones
included); these tests run it, show that it would catch a back-up import, and check at run time
what a static scan cannot see: importing the whole core loads no web framework or database
layer, and importing any `survey.x` (which runs survey/__init__.py) stays cheap.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import survey
import survey.core

PACKAGE = Path(survey.__file__).resolve().parent
ROOT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
BANNED = ("flask", "sqlalchemy", "werkzeug", "wtforms")

CORE_MODULES = sorted(m.name for m in pkgutil.walk_packages(survey.core.__path__, "survey.core."))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_the_core_is_found() -> None:
    assert {"survey.core.scoring", "survey.core.answers", "survey.core.stats",
            "survey.core.questionnaire.loader", "survey.core.charts.scores"} <= set(CORE_MODULES)


def test_importing_the_whole_core_loads_no_framework() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE_MODULES!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {BANNED!r}"
        " or m.startswith('flask_'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_package_init_imports_only_the_standard_library_and_config() -> None:
    """Importing any `survey.x` runs survey/__init__.py; the factory must import lazily."""
    allowed = sys.stdlib_module_names | {"__future__"}
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [] if module == "survey" and [a.name for a in node.names] == ["config"] \
                else [module]
        else:
            continue  # `if TYPE_CHECKING:` blocks and the functions import what they need
        for name in names:
            assert name.split(".")[0] in allowed, f"survey/__init__.py:{node.lineno}: {name}"


@pytest.mark.slow
def test_the_import_contracts_are_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


@pytest.mark.slow
def test_a_back_up_import_breaks_the_contracts(tmp_path: Path) -> None:
    """A copy of the tree where a service imports a blueprint: lint-imports must refuse it."""
    shutil.copytree(PACKAGE, tmp_path / "survey",
                    ignore=shutil.ignore_patterns("__pycache__", "translations", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "survey" / "services" / "responses.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom survey.staff import bp\n",
                      encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout
    assert "survey.services is not allowed to import survey.staff" in done.stdout
