"""survey/startup.py: what a production server refuses to start with, before it binds."""

from __future__ import annotations

import pytest

from survey.startup import startup_problems
from tests.helpers import PRODUCTION


def test_memory_limits_with_several_workers_are_refused_at_start_up() -> None:
    env = {**PRODUCTION, "REPORT_PDF": "0"}
    assert startup_problems(env, 1) == []
    problems = startup_problems(env, 4)
    assert len(problems) == 1 and problems[0].startswith("RATELIMIT_STORAGE_URI")
    assert startup_problems({**env, "RATELIMIT_STORAGE_URI": "redis://cache:6379/0"}, 4) == []


def test_a_missing_cjk_font_is_refused_when_pdfs_are_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    problems = startup_problems(PRODUCTION, 1)
    assert len(problems) == 1 and "fonts-noto-cjk" in problems[0]
    assert startup_problems({**PRODUCTION, "REPORT_PDF": "0"}, 1) == []
    assert startup_problems({k: v for k, v in PRODUCTION.items() if k != "SURVEY_ENV"}, 1) == []
