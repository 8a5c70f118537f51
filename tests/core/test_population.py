"""Population margins: a file must cite its source and hold fractions; none ships, and none
is ever made up. The margins here are fictitious."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.core import population
from survey.core.population import MarginError, load_margins, parse

SOURCE = {"en": "FICTITIOUS TEST MARGIN", "zh": "虚构的测试数据"}


def test_no_margin_ships_yet() -> None:
    """Only a cited, published table may go here: the folder holds the how-to and nothing
    else until someone adds one with its source."""
    assert load_margins(population.DATA_DIR) == {}
    assert (population.DATA_DIR / "README.md").is_file()


def test_a_margin_reads_with_its_source_and_rest() -> None:
    m = parse({"dimension": "size", "source": SOURCE, "url": "https://example.invalid/",
               "shares": {"micro": 0.6, "small": 0.3}})
    assert m.share("micro") == 0.6 and m.share("large") is None and m.share(None) is None
    assert m.source.get("zh") == "虚构的测试数据"
    assert m.other == pytest.approx(0.1)
    whole = parse({"dimension": "region", "source": SOURCE,
                   "shares": {"east": 0.499, "west": 0.5}})
    assert whole.other == 0.0  # published rounding, not a missing category


@pytest.mark.parametrize("raw, message", [
    ({"dimension": "province", "source": SOURCE, "shares": {"a": 1}}, "dimension"),
    ({"dimension": "size", "shares": {"micro": 1}}, "source"),
    ({"dimension": "size", "source": {"en": "x", "zh": ""}, "shares": {"micro": 1}}, "source"),
    ({"dimension": "size", "source": SOURCE}, "shares"),
    ({"dimension": "size", "source": SOURCE, "shares": {"micro": 80}}, "fraction"),
    ({"dimension": "size", "source": SOURCE, "shares": {"micro": True}}, "fraction"),
    ({"dimension": "size", "source": SOURCE, "shares": {"micro": 0.7, "small": 0.4}}, "sum"),
])
def test_a_bad_margin_is_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(MarginError, match=message):
        parse(raw)


def test_files_by_dimension_and_no_two_for_one(tmp_path: Path) -> None:
    body = ('dimension = "size"\nsource = {en = "FICTITIOUS", zh = "虚构"}\n'
            "[shares]\nmicro = 0.5\n")
    (tmp_path / "a.toml").write_text(body, encoding="utf-8")
    assert set(load_margins(tmp_path)) == {"size"}
    (tmp_path / "b.toml").write_text(body, encoding="utf-8")
    with pytest.raises(MarginError, match="second margin"):
        load_margins(tmp_path)
    (tmp_path / "b.toml").write_text("not = [toml", encoding="utf-8")
    with pytest.raises(MarginError, match="TOML"):
        load_margins(tmp_path)
    assert load_margins(tmp_path / "missing") == {}
