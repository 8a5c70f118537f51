"""The pure core imports no web framework and no database layer (DESIGN.md §3).

Scoring, validation, the questionnaire, profile, benchmarks, charts and the methodology must
run the same in a request, the CLI, a notebook or a worker, and stay testable without an app.
Two checks: a fresh interpreter that imports them must not have loaded Flask, its extensions,
Werkzeug or SQLAlchemy; and a scan of their source, and of every module of ours they import,
finds no such import anywhere, not even inside a function (which the first check could miss).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import survey

PACKAGE = Path(survey.__file__).resolve().parent
BANNED = ("flask", "sqlalchemy", "werkzeug")

_FIXED = ["scoring", "answers", "profile", "methodology", "questionnaire"]
_OPTIONAL = ["benchmarks", "charts"]   # written alongside the core; checked once present


def module_file(module: str) -> Path | None:
    """The source file of `survey.x.y`, or None when it is not a module of ours."""
    parts = module.split(".")
    if parts[0] != "survey":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_banned(module: str) -> bool:
    root = module.split(".")[0]
    return root in BANNED or root.startswith("flask_")


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name a relative `from … import` refers to."""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            target = _absolute(node, module, path.name == "__init__.py")
            if node.module:
                found.append((node.lineno, target))
            else:  # `from . import x` names submodules
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or ""))
    return found


def pure_closure() -> dict[str, Path]:
    """The pure modules and every module of ours they import, transitively."""
    todo = [f"survey.{name}" for name in _FIXED]
    todo += [f"survey.{name}" for name in _OPTIONAL if module_file(f"survey.{name}")]
    todo += [f"survey.core.questionnaire.{p.stem}" for p in (PACKAGE / "questionnaire").glob("*.py")
             if p.stem != "__init__"]
    seen: dict[str, Path] = {}
    while todo:
        module = todo.pop()
        path = module_file(module)
        if module in seen or path is None:
            continue
        seen[module] = path
        todo += [m for _, m in imports_of(path, module) if m.startswith("survey.")]
    return dict(sorted(seen.items()))


PURE = pure_closure()


def violations(path: Path, module: str) -> list[str]:
    return [f"{path}:{line} imports {imported}" for line, imported in imports_of(path, module)
            if is_banned(imported) or imported == "survey"]


def test_the_closure_holds_the_core() -> None:
    assert {"survey.core.scoring", "survey.core.answers", "survey.core.profile", "survey.core.methodology",
            "survey.core.questionnaire", "survey.core.questionnaire.loader"} <= set(PURE)
    assert "survey.models" not in PURE and "survey.cli" not in PURE


def test_importing_the_pure_modules_loads_no_framework() -> None:
    code = (
        f"import importlib, json, sys\n"
        f"for name in {sorted(PURE)!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {BANNED!r}"
        f" or m.startswith('flask_'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("module", sorted(PURE))
def test_pure_source_imports_nothing_impure(module: str) -> None:
    assert violations(PURE[module], module) == []


def test_the_package_init_imports_only_config_at_module_level() -> None:
    """Importing any `survey.x` runs survey/__init__.py; the factory must import lazily."""
    allowed = sys.stdlib_module_names | {"__future__"}
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            names = [] if (node.module or "") == "config" or (
                not node.module and [a.name for a in node.names] == ["config"]
            ) else [f".{node.module or ''}"]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue  # `if TYPE_CHECKING:` blocks and the functions import what they need
        for name in names:
            assert name.split(".")[0] in allowed, f"survey/__init__.py:{node.lineno}: {name}"
    for line, imported in imports_of(PACKAGE / "config.py", "survey.config"):
        assert imported.split(".")[0] in allowed, f"survey/config.py:{line}: {imported}"


def test_the_scan_catches_a_lazy_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import math\nfrom .schema import Text\n\n\ndef f():\n"
                   "    from flask import g\n    import sqlalchemy.orm\n")
    assert violations(bad, "survey.core.questionnaire.bad") == [
        f"{bad}:6 imports flask", f"{bad}:7 imports sqlalchemy.orm"]
    found = [m for _, m in imports_of(bad, "survey.core.questionnaire.bad")]
    assert "survey.core.questionnaire.schema" in found
