"""The minified copies the pages load are those of today's sources (scripts/minify.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _minify_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("minify", ROOT / "scripts" / "minify.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("source", ["css/site.css", "js/survey.js", "js/autosave.js"])
def test_minified_copy_is_fresh(source: str) -> None:
    minify = _minify_module()
    assert source in minify.ASSETS
    copy = ROOT / "static" / "min" / source
    assert copy.read_text(encoding="utf-8") == minify.minified(source), (
        f"static/min/{source} is stale: run .venv/bin/python scripts/minify.py")
    assert len(copy.read_bytes()) < len((ROOT / "static" / source).read_bytes())


def test_pages_load_the_minified_copies() -> None:
    templates = "\n".join(p.read_text(encoding="utf-8")
                          for p in (ROOT / "templates").rglob("*.html"))
    for source in ("css/site.css", "js/survey.js", "js/autosave.js"):
        assert f"filename='{source}'" not in templates, source
        assert f"filename='min/{source}'" in templates, source
