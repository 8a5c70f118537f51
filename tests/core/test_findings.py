"""Key findings on hand-made numbers: each finding, each way it can decline to say, and the
"about N more responses" arithmetic."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from survey.core import findings as f
from survey.core.findings import Estimate, SchemeFunnel
from survey.core.stats import Interval, share


def est(key: str, value: float | None, low: float | None = None, high: float | None = None,
        n: int | None = 100) -> Estimate:
    iv = Interval(low, high) if low is not None and high is not None else None
    return Estimate(key, value, iv, n)


def from_share(key: str, count: int, n: int) -> Estimate:
    s = share(count, n)
    return Estimate(key, s.value, s.interval, n)


# --- the arithmetic ----------------------------------------------------------------------


def test_about_rounds_up_to_two_significant_digits() -> None:
    assert f.about(87) == 87
    assert f.about(86.2) == 87
    assert f.about(1234) == 1300
    assert f.about(1200) == 1200
    assert f.about(100.5) == 110
    assert f.about(0) == 0


def test_more_responses_by_hand() -> None:
    """Gap 0.10, facing half-widths 0.10 + 0.10: k = (0.2/0.1)² = 4, so n 200 needs 600 more."""
    a = est("a", 0.50, 0.40, 0.60)
    b = est("b", 0.40, 0.30, 0.50)
    assert f.more_responses(a, b, 200) == 600
    assert f.more_responses(b, a, 200) == 600  # the order does not matter


def test_more_responses_uses_the_facing_sides_of_skewed_intervals() -> None:
    """Only a's lower half (0.05) and b's upper half (0.07) face each other: k = (0.12/0.1)²."""
    a = est("a", 0.50, 0.45, 0.90)
    b = est("b", 0.40, 0.01, 0.47)
    assert f.more_responses(a, b, 1000) == math.ceil(1000 * (1.2 ** 2 - 1))  # 440


def test_more_responses_none_when_equal_zero_when_apart() -> None:
    assert f.more_responses(est("a", 0.5, 0.4, 0.6), est("b", 0.5, 0.45, 0.55), 100) is None
    assert f.more_responses(est("a", 0.8, 0.7, 0.9), est("b", 0.3, 0.2, 0.4), 100) == 0
    assert f.more_responses(est("a", None), est("b", 0.3, 0.2, 0.4), 100) is None


@given(p=st.floats(0.05, 0.95), q=st.floats(0.05, 0.95), n=st.integers(30, 2000))
def test_after_the_more_responses_the_intervals_part(p: float, q: float, n: int) -> None:
    """Symmetric intervals of half-width c/√n: at n + more they no longer overlap."""
    if abs(p - q) < 0.01:
        return
    ca, cb = 1.96 * math.sqrt(p * (1 - p)), 1.96 * math.sqrt(q * (1 - q))
    a = est("a", p, p - ca / math.sqrt(n), p + ca / math.sqrt(n))
    b = est("b", q, q - cb / math.sqrt(n), q + cb / math.sqrt(n))
    more = f.more_responses(a, b, n)
    assert more is not None
    total = n + more
    assert abs(p - q) > (ca + cb) / math.sqrt(total) - 1e-12 or more == 0
    if more > 1:  # and not much earlier: exact under 100, then rounded up by under 10 %
        fewer = n + (more - 1 if more < 100 else more / 1.12)
        assert abs(p - q) <= (ca + cb) / math.sqrt(fewer) + 1e-9


# --- finding 1: the largest need -----------------------------------------------------------


def test_largest_need_is_clear_when_it_stands_apart() -> None:
    recs = [from_share("talent", 10, 100), from_share("finance", 60, 100),
            from_share("ip", 20, 100)]
    found = f.largest_need(recs, 100)
    assert found.status == f.CLEAR
    assert found.subject is not None and found.subject.key == "finance"
    assert found.other is not None and found.other.key == "ip"


def test_largest_need_overlapping_says_how_many_more() -> None:
    recs = [from_share("finance", 45, 100), from_share("talent", 40, 100)]
    found = f.largest_need(recs, 100)
    assert found.status == f.UNSEPARATED
    assert found.more is not None and found.more > 1000  # 5 points apart at n = 100


def test_largest_need_equal_shares_show_no_difference() -> None:
    found = f.largest_need([from_share("a", 20, 40), from_share("b", 20, 40)], 40)
    assert found.status == f.NO_DIFFERENCE and found.more is None


def test_largest_need_with_one_shown_is_too_few() -> None:
    found = f.largest_need([from_share("a", 20, 40), est("b", None), est("c", None)], 40)
    assert found.status == f.TOO_FEW and found.withheld == 2


# --- finding 2: the segment furthest behind ------------------------------------------------


def test_furthest_behind_against_everyone() -> None:
    everyone = est("all", 55.0, 53.0, 57.0, n=400)
    segs = [est("size:micro", 42.0, 38.0, 46.0, 50), est("region:east", 58.0, 55.0, 61.0, 120)]
    found = f.furthest_behind(segs, everyone, 400, withheld=1)
    assert found.status == f.CLEAR and found.subject == segs[0] and found.other == everyone
    assert found.withheld == 1


def test_furthest_behind_overlapping_or_missing() -> None:
    everyone = est("all", 55.0, 53.0, 57.0, n=400)
    close = f.furthest_behind([est("size:micro", 52.0, 45.0, 59.0, 20)], everyone, 400)
    assert close.status == f.UNSEPARATED and close.more is not None and close.more > 0
    hidden = f.furthest_behind([est("size:micro", None)], everyone, 400)
    assert hidden.status == f.TOO_FEW and hidden.withheld == 1


# --- finding 3: the scheme that fails to reach firms ---------------------------------------


def scheme(key: str, aware: tuple[int, int], reach: tuple[int, int] | None) -> SchemeFunnel:
    return SchemeFunnel(key, from_share(key, *aware),
                        from_share(key, *reach) if reach else est(key, None))


def test_weakest_scheme_by_reach() -> None:
    schemes = [scheme("guarantee", (80, 100), (60, 80)), scheme("subsidy", (70, 100), (7, 70)),
               scheme("tax", (50, 100), (30, 50))]
    found = f.weakest_scheme(schemes, 100)
    assert found.status == f.CLEAR and found.measure == f.REACH
    assert found.subject is not None and found.subject.key == "subsidy"
    assert found.other is not None and found.other.key == "tax"


def test_weakest_scheme_falls_back_to_awareness() -> None:
    schemes = [scheme("guarantee", (80, 100), None), scheme("subsidy", (20, 100), None)]
    found = f.weakest_scheme(schemes, 100)
    assert found.measure == f.AWARENESS and found.status == f.CLEAR
    assert found.subject is not None and found.subject.key == "subsidy"
    assert found.withheld == 0


def test_weakest_scheme_cannot_say() -> None:
    close = f.weakest_scheme([scheme("a", (50, 100), (20, 50)), scheme("b", (50, 100),
                                                                         (22, 50))], 100)
    assert close.status == f.UNSEPARATED and close.more is not None
    assert f.weakest_scheme([], 100).status == f.TOO_FEW
    lone = f.weakest_scheme([scheme("a", (50, 100), (20, 50)),
                             SchemeFunnel("b", est("b", None), est("b", None))], 100)
    assert lone.status == f.TOO_FEW and lone.withheld == 1


@given(counts=st.lists(st.integers(0, 60), min_size=2, max_size=6), n=st.integers(60, 400))
def test_a_need_is_stated_only_when_the_intervals_part(counts: list[int], n: int) -> None:
    """Whatever the shares, CLEAR means no overlap with the runner-up, and anything else
    names how far off it is or why it cannot be."""
    recs = [from_share(f"r{i}", c, n) for i, c in enumerate(counts)]
    found = f.largest_need(recs, n)
    assert found.subject is not None and found.other is not None
    assert found.subject.value == max(e.value or 0.0 for e in recs)
    if found.status == f.CLEAR:
        assert not f.overlap(found.subject, found.other)
    elif found.status == f.UNSEPARATED:
        assert found.more is not None and found.more >= 1
    else:
        assert found.status == f.NO_DIFFERENCE
        assert found.subject.value == found.other.value
