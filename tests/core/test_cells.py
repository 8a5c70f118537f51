"""survey.core.cells: the key and measures of the pre-aggregated cells."""

from __future__ import annotations

import pytest

from survey.core import cells


def test_measure_names_are_unique_and_fit_a_postgresql_identifier() -> None:
    assert len(set(cells.MEASURE_NAMES)) == len(cells.MEASURE_NAMES)
    assert all(len(n) <= 63 for n in cells.MEASURE_NAMES)
    assert {m.kind for m in cells.MEASURES} == {"count", "sum"}


def test_every_grain_is_a_subset_of_the_key_and_the_finest_is_the_whole_key() -> None:
    for dims in cells.GRAINS.values():
        assert set(dims) <= set(cells.DIMENSIONS)
        assert "is_demo" in dims  # the demo filter applies at every grain
    assert cells.GRAINS["all"] == cells.DIMENSIONS


@pytest.mark.parametrize(("needed", "grain"), [
    (set(), "period"),
    ({"is_demo"}, "period"),
    ({"month", "wave_id", "questionnaire_version"}, "period"),
    ({"industry", "size_class", "region"}, "segment"),
    ({"industry", "size_class", "region", "method_version"}, "segment"),
    ({"industry", "month"}, "place_period"),
    ({"industry", "size_class", "region", "wave_id", "month", "is_demo"}, "place_period"),
    ({"export_status"}, "all"),
    ({"industry", "method_version", "month"}, "all"),
])
def test_a_view_reads_the_smallest_grain_holding_what_it_groups_and_filters_by(
        needed: set[str], grain: str) -> None:
    assert cells.grain_for(needed) == grain


def test_no_grain_for_a_dimension_the_cells_do_not_keep() -> None:
    with pytest.raises(ValueError, match="province"):
        cells.grain_for({"province"})


def test_thresholds_hold_every_band_bound_above_zero() -> None:
    assert set(cells.BANDS) - {0.0} <= set(cells.THRESHOLDS)
