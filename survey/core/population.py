"""National SME population margins, for setting the sample's composition beside them (pure).

The sample is self-selected, so the first question a reader asks of the brief is "how does
this sample compare with SMEs in general?". Only a published margin answers that, and only one
with its source stated: a figure without a citation is worse than none. So margins are data
files, never constants in code, and each must name its source; none ships yet (see
`DATA_DIR / "README.md"` for how to add one, e.g. from the national economic census tables).

A margin file is TOML, one per dimension:

    dimension = "size"                      # "size", "industry" or "region"
    source = {en = "…", zh = "…"}           # publisher, table, year: printed under the table
    url = "https://…"                       # optional: printed in full
    reference_period = "2018"               # optional: the period the figures describe
    [shares]                                # the sample's own codes of that dimension
    micro = 0.80
    small = 0.17

Shares are fractions of the population and must sum to at most 1 (a category the
questionnaire does not use may be left out, and the rest is then shown as "other").
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.core.questionnaire.schema import Text

DATA_DIR = Path(__file__).parent / "questionnaire" / "data" / "population"
DIMENSIONS = ("size", "industry", "region")
TOLERANCE = 0.005
"""Published shares are rounded: a margin may sum to 1 ± this."""


class MarginError(ValueError):
    """A margin file that cannot be used as it stands (the message says why)."""


@dataclass(frozen=True)
class Margin:
    dimension: str
    source: Text
    shares: Mapping[str, float]
    url: str | None = None
    reference_period: str | None = None

    def share(self, key: Any) -> float | None:
        return None if key is None else self.shares.get(str(key))

    @property
    def other(self) -> float:
        """The part of the population in categories the file leaves out."""
        rest = 1.0 - sum(self.shares.values())
        return rest if rest > TOLERANCE else 0.0


def parse(raw: Mapping[str, Any], origin: str = "<margin>") -> Margin:
    """A margin from parsed TOML; MarginError names the first thing wrong."""
    dimension = raw.get("dimension")
    if dimension not in DIMENSIONS:
        raise MarginError(f"{origin}: dimension must be one of {DIMENSIONS}, not {dimension!r}")
    source = raw.get("source")
    if not (isinstance(source, Mapping) and str(source.get("en", "")).strip()
            and str(source.get("zh", "")).strip()):
        raise MarginError(f"{origin}: a margin needs its source, in English and Chinese")
    shares = raw.get("shares")
    if not isinstance(shares, Mapping) or not shares:
        raise MarginError(f"{origin}: no [shares]")
    clean: dict[str, float] = {}
    for key, value in shares.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                math.isfinite(value) and 0 <= value <= 1):
            raise MarginError(f"{origin}: share of {key!r} must be a fraction in [0, 1]")
        clean[str(key)] = float(value)
    if sum(clean.values()) > 1 + TOLERANCE:
        raise MarginError(f"{origin}: shares sum to {sum(clean.values()):.3f}, more than 1")
    url = raw.get("url")
    period = raw.get("reference_period")
    return Margin(str(dimension), Text(str(source["en"]), str(source["zh"])), clean,
                  str(url) if url else None, str(period) if period else None)


def load_margins(folder: Path = DATA_DIR) -> dict[str, Margin]:
    """Every margin file in `folder`, by dimension (empty when there are none). Two files for
    one dimension are an error: the brief would have to pick one silently."""
    out: dict[str, Margin] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise MarginError(f"{path}: not valid TOML: {exc}") from exc
        margin = parse(raw, str(path))
        if margin.dimension in out:
            raise MarginError(f"{path}: a second margin for {margin.dimension!r}")
        out[margin.dimension] = margin
    return out
