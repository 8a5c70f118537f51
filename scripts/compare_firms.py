"""Before/after table for the example firms: questionnaire 2026.1 against 2027.1.

Reads docs/examples/firms-2026.1.json and docs/examples/firms-2027.1.json (the same six firms,
in the same order, answered as faithfully as each instrument allows), scores every firm with the
pure core, and prints one table: per firm, before (2026.1) and after (2027.1) — overall, the
three area scores with their level (or n/a), the credit-constraint class (2027.1 only), the top
recommendation with its priority, and the cross-border e-commerce priority.

    .venv/bin/python scripts/compare_firms.py [--markdown]

Scores are shown as integers, as the report shows them to people. A top recommendation that is
tied with the next is marked "=".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey.core.questionnaire import load_questionnaire  # noqa: E402
from survey.core.scoring import ScoredAssessment, assess  # noqa: E402

EXAMPLES = ROOT / "docs" / "examples"
VERSIONS = ("2026.1", "2027.1")
AREAS = (("financing", "Financing"), ("digital_technology", "Digital"),
         ("overseas_markets", "Overseas"))
SHORT_REC = {
    "digital_infrastructure": "infrastructure",
    "financial_support": "financial support",
    "ip_protection": "IP protection",
    "digital_talent": "digital talent",
    "cross_border_ecommerce": "cross-border e-com",
}


def _load(version: str) -> list[dict[str, Any]]:
    path = EXAMPLES / f"firms-{version}.json"
    firms = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(firms, list) or not all("name" in f and "answers" in f for f in firms):
        raise SystemExit(f"{path}: expected a list of {{\"name\": …, \"answers\": {{…}}}}")
    return firms


def _score(score: float | None, level: str | None, status: str | None = None) -> str:
    if status == "not_applicable":
        return "n/a"
    if score is None:
        return "null"
    return f"{round(score)} {level or ''}".strip()


def _row(version: str, a: ScoredAssessment) -> list[str]:
    cells = [version, _score(a.overall_score, a.overall_level)]
    for area_id, _ in AREAS:
        area = a.areas[area_id]
        cells.append(_score(area.score, area.level, area.status))
    cells.append(a.indicators.get("credit_constraint", "–") if version != "2026.1" else "–")
    top = a.recommendations[0]
    tie = "=" if top.tied else ""
    need = "" if top.need is None else f" {round(top.need)}"
    cells.append(f"{SHORT_REC.get(top.id, top.id)}{tie} ({top.priority}{need})")
    cb = a.recommendation("cross_border_ecommerce")
    cb_need = "" if cb.need is None else f" {round(cb.need)}"
    cells.append(f"{cb.priority}{cb_need}")
    return cells


HEADER = ["Firm", "Version", "Overall", "Financing", "Digital", "Overseas", "Credit class",
          "Top recommendation (priority need)", "Cross-border e-com"]


def build() -> list[list[str]]:
    questionnaires = {v: load_questionnaire(v) for v in VERSIONS}
    firms = {v: _load(v) for v in VERSIONS}
    if len(firms["2026.1"]) != len(firms["2027.1"]):
        raise SystemExit("the two example files must list the same firms in the same order")
    rows = []
    for i, (before, after) in enumerate(zip(firms["2026.1"], firms["2027.1"], strict=True), 1):
        name = f"{i}. {after['name']}"
        for version, firm in (("2026.1", before), ("2027.1", after)):
            a = assess(questionnaires[version], firm["answers"])
            rows.append([name if version == "2026.1" else "", *_row(version, a)])
    return rows


def _plain(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    widths[0] = min(widths[0], 48)

    def line(cells: list[str]) -> str:
        first = cells[0] if len(cells[0]) <= widths[0] else cells[0][: widths[0] - 1] + "…"
        return "  ".join(c.ljust(w) for c, w in zip([first, *cells[1:]], widths, strict=True))

    out = [line(HEADER), "  ".join("-" * w for w in widths)]
    for r in rows:
        if r[0] and len(out) > 2:
            out.append("")
        out.append(line(r))
    return "\n".join(out)


def _markdown(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main(argv: list[str]) -> None:
    rows = build()
    print(_markdown(rows) if "--markdown" in argv else _plain(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
