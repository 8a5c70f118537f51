"""survey.core.suppression: small groups never shown, and never recoverable from what is shown.

The property tests hold `suppress_table` to `leaks` and to an independent oracle (exact
linear algebra over the line equations), on random tables.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.core.suppression import (
    MARGIN,
    augmented_counts,
    leaks,
    recoverable_lines,
    suppress_line,
    suppress_table,
    table_lines,
)


def test_one_way_secondary_suppression() -> None:
    """a = 5 is hidden; with the total shown it would be total − the others, so the next
    smallest (d = 12) is hidden too."""
    assert suppress_line({"a": 5, "b": 50, "c": 40, "d": 12}, 10) == {"a", "d"}
    # 5 + 3 hidden together are still a group of 8 (total − 40): the 40 must go as well
    assert suppress_line({"a": 5, "b": 3, "c": 40}, 10) == {"a", "b", "c"}
    assert suppress_line({"a": 5, "b": 6, "c": 40}, 10) == {"a", "b"}  # 11 together
    assert suppress_line({"a": 15, "b": 30}, 10) == set()
    assert suppress_line({"a": 0, "b": 30}, 10) == set()  # nobody is not a group


def test_two_way_secondary_suppression() -> None:
    cells = {("x", "s"): 5, ("x", "m"): 30, ("y", "s"): 20, ("y", "m"): 40,
             ("z", "s"): 15, ("z", "m"): 3}
    hidden = suppress_table(cells, 10)
    assert hidden == {("x", "s"), ("x", "m"), ("z", "s"), ("z", "m")}


def test_small_margins_are_hidden_and_protected() -> None:
    cells = {("x", "s"): 4, ("x", "m"): 4, ("y", "s"): 40, ("y", "m"): 40, ("z", "s"): 30,
             ("z", "m"): 30}
    hidden = suppress_table(cells, 10)
    assert (("x", MARGIN)) in hidden  # a row of 8 is a group of 8
    assert recoverable_lines(hidden, ["x", "y", "z"], ["s", "m"]) == []


def test_everything_hidden_when_the_table_is_small() -> None:
    hidden = suppress_table({("a", "b"): 3, ("a", "c"): 4}, 10)
    assert ("a", "b") in hidden and (MARGIN, MARGIN) in hidden


def test_hidden_cells_together_must_be_a_group_too() -> None:
    """The tester's case: Other × Medium and Other × Large (1 firm each) hidden, but the row
    total (78) minus the shown cells (48 and 28) gave the pair away: n = 2 and, from the sums,
    their mean. Now a further cell of the row is hidden so the hidden ones number ≥ 10."""
    cells = {("other", "micro"): 48, ("other", "small"): 28, ("other", "medium"): 1,
             ("other", "large"): 1,
             ("retail", "micro"): 60, ("retail", "small"): 40, ("retail", "medium"): 30,
             ("retail", "large"): 25}
    rows, cols = ["other", "retail"], ["micro", "small", "medium", "large"]
    hidden = suppress_table(cells, 10, rows=rows, cols=cols)
    other_hidden = [cells[k] for k in hidden if k[0] == "other" and MARGIN not in k]
    assert len(other_hidden) >= 3 and sum(other_hidden) >= 10
    assert ("other", MARGIN) not in hidden and (MARGIN, MARGIN) not in hidden
    assert leaks(hidden, cells, 10, rows, cols) == []


def test_leaks_finds_what_the_old_rule_missed() -> None:
    """Two hidden cells of one firm each in a shown row: no line has a lone hidden member,
    yet the row gives the pair away."""
    cells = {("x", "a"): 1, ("x", "b"): 1, ("x", "c"): 40, ("y", "a"): 1, ("y", "b"): 1,
             ("y", "c"): 40}
    old = {("x", "a"), ("x", "b"), ("y", "a"), ("y", "b"), (MARGIN, "a"), (MARGIN, "b")}
    assert recoverable_lines(old, ["x", "y"], ["a", "b", "c"]) == []
    assert any("small group" in problem for problem in leaks(old, cells, 10, ["x", "y"],
                                                               ["a", "b", "c"]))


def test_a_hidden_cell_worked_out_across_lines_is_a_leak() -> None:
    """b (20) is hidden only to protect a (3) in column c1, but b is the lone hidden cell of
    its row, so the row gives b and then the column gives a = 23 − 20."""
    cells = {("r1", "c1"): 3, ("r1", "c2"): 30, ("r2", "c1"): 20, ("r2", "c2"): 30}
    sneaky = {("r1", "c1"), ("r2", "c1")}
    assert leaks(sneaky, cells, 10, ["r1", "r2"], ["c1", "c2"])
    safe = suppress_table(cells, 10)
    assert leaks(safe, cells, 10, ["r1", "r2"], ["c1", "c2"]) == []


def _solvable(hidden: set[tuple[str, str]], counts: dict[tuple[str, str], int],
              lines: list[list[tuple[str, str]]]) -> set[tuple[str, str]]:
    """Independent oracle: hidden members fixed by the line equations (exact linear algebra).

    Each line says Σ members − total = 0; shown values move to the right-hand side. A hidden
    member x_i is determined iff the unit vector e_i lies in the row space of the system.
    """
    unknowns = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for line in lines:
        coeffs = [Fraction(0)] * len(unknowns)
        for pos, k in enumerate(line):
            if k in index:
                coeffs[index[k]] += -1 if pos == len(line) - 1 else 1
        if any(coeffs):
            matrix.append(coeffs)

    def rank(m: list[list[Fraction]]) -> int:
        m = [row[:] for row in m]
        r = 0
        for c in range(len(unknowns)):
            pivot = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
            if pivot is None:
                continue
            m[r], m[pivot] = m[pivot], m[r]
            for i in range(len(m)):
                if i != r and m[i][c] != 0:
                    f = m[i][c] / m[r][c]
                    m[i] = [a - f * b for a, b in zip(m[i], m[r], strict=True)]
            r += 1
        return r

    base = rank(matrix)
    out = set()
    for k, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if rank([*matrix, unit]) == base:
            out.add(k)
    return out


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[tuple[str, str], int], list[str], list[str]]:
    rows = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    cols = [f"c{j}" for j in range(draw(st.integers(1, 5)))]
    counts = draw(st.lists(st.integers(0, 40), min_size=len(rows) * len(cols),
                           max_size=len(rows) * len(cols)))
    cells = {(r, c): counts[i * len(cols) + j]
             for i, r in enumerate(rows) for j, c in enumerate(cols)}
    return cells, rows, cols


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(2, 15), st.booleans())
def test_suppression_never_leaves_a_small_group_to_find(
    table: tuple[dict[tuple[str, str], int], list[str], list[str]], k: int, col_totals: bool
) -> None:
    cells, rows, cols = table
    hidden = suppress_table(cells, k, rows=rows, cols=cols, col_totals=col_totals)
    counts = augmented_counts(cells, rows, cols)
    lines = table_lines(rows, cols, row_totals=True, col_totals=col_totals)
    shown_lines = [line for line in lines if line[-1] not in hidden]
    for key, v in counts.items():
        if v == 0:
            assert key not in hidden  # empty cells are shown as empty
        elif v < k and (MARGIN not in key or any(key in line for line in lines)):
            assert key in hidden, (key, v)  # no shown cell or total below k
    for line in shown_lines:  # a shown total: the hidden members together are 0 or ≥ k
        together = sum(counts[m] for m in line[:-1] if m in hidden)
        assert not 0 < together < k, (line, together)
    assert _solvable(set(hidden), counts, lines) == set()  # nothing hidden can be solved for
    assert leaks(hidden, cells, k, rows, cols, col_totals=col_totals) == []
    if counts[(MARGIN, MARGIN)] >= k:
        assert (MARGIN, MARGIN) not in hidden


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1),
       st.integers(2, 15))
def test_one_way_suppression_never_leaves_one_hidden(counts: dict[str, int], k: int) -> None:
    hidden = suppress_line(counts, k)
    if sum(counts.values()) >= k:
        assert len(hidden) != 1
        assert not 0 < sum(counts[key] for key in hidden) < k
    assert all(counts[key] > 0 for key in hidden)
    assert all(key in hidden for key, v in counts.items() if 0 < v < k)
