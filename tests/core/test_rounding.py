"""survey.core.rounding: half away from zero on the decimal a number stands for."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.rounding import half_up, half_up_int, round_decimal


def test_hand_worked_cases_that_round_would_get_wrong() -> None:
    assert round(2.675, 2) == 2.67 and half_up(2.675, 2) == 2.68  # binary 2.67499…
    assert round(52.5) == 52 and half_up(52.5) == 53.0  # half to even
    assert round(0.5) == 0 and half_up(0.5) == 1.0
    assert half_up(-0.5) == -1.0 and half_up(-2.5) == -3.0  # away from zero
    assert half_up(0.285 * 100) == 29.0  # 28.499999999999996: noise, not a decimal
    assert half_up(-0.04, 1) == 0.0 and str(half_up(-0.04, 1)) == "0.0"  # never "-0.0"
    assert half_up_int(62.5) == 63 and isinstance(half_up_int(62.5), int)


decimals = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=6,
                       allow_nan=False, allow_infinity=False)


@settings(max_examples=500, deadline=None)
@given(decimals, st.integers(0, 4))
def test_half_up_is_decimal_exact(d: Decimal, digits: int) -> None:
    """For every decimal of up to 12 significant digits, rounding its float is rounding the
    decimal itself, half away from zero — whatever binary approximation the float holds."""
    expected = d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    assert round_decimal(float(d), digits) == expected
    assert half_up(float(d), digits) == float(expected)


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(0, 3))
def test_exact_halves_go_away_from_zero(whole: int, digits: int) -> None:
    """x.…5 at the last kept place always moves away from zero by half a unit."""
    unit = Decimal(1).scaleb(-digits)
    d = Decimal(whole) * unit + (unit / 2 if whole >= 0 else -unit / 2)
    assert Decimal(repr(half_up(float(d), digits))) == d + (unit / 2 if whole >= 0
                                                           else -unit / 2)


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False), st.integers(0, 3))
def test_never_further_than_half_a_unit(x: float, digits: int) -> None:
    """On the scales shown (scores, percents, counts up to 10⁴) the 12 digits kept leave
    eight decimals, so cleaning the noise never moves a result by more than a hair."""
    assert abs(half_up(x, digits) - x) <= 0.5 * 10.0 ** -digits * (1 + 1e-9) + 1e-6
