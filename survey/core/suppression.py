"""Small-group suppression: which cells of a table (and its margins) to hide.

Pure (no Flask, no SQLAlchemy), split from survey.core.stats, which re-exports it. A group of
fewer than PRIVACY_MIN_GROUP SMEs is never shown, and neither is anything that lets a reader
work one out from what is shown: a total minus its shown parts, or sums combined across rows
and columns. The rules are written once here and checked by `leaks`, which the property tests
hold every suppression to.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

MARGIN = "__all__"
"""The key of a margin (row or column total) in a suppressed table."""

K = TypeVar("K", bound=Hashable)

Cell = tuple[Hashable, Hashable]


def _sort_key(key: Any) -> tuple[int, str]:
    return (1, "") if key is None else (0, str(key))


def table_lines(
    rows: Sequence[Hashable], cols: Sequence[Hashable], *, row_totals: bool, col_totals: bool
) -> list[list[Cell]]:
    """Every set of cells bound by "these add up to that shown total", totals included.

    A table is seen with its margins: cell (r, MARGIN) is row r's total, (MARGIN, c) column c's and
    (MARGIN, MARGIN) the grand total. A line is a row or column of that augmented table; in each
    line the last member is the sum of the others, so one hidden member alone can be recovered.
    """
    lines: list[list[Cell]] = []
    if row_totals:
        lines += [[(r, c) for c in cols] + [(r, MARGIN)] for r in rows]
    if col_totals:
        lines += [[(r, c) for r in rows] + [(MARGIN, c)] for c in cols]
    if row_totals and len(rows) > 1:
        margins: list[Cell] = [(r, MARGIN) for r in rows]
        lines.append(margins + [(MARGIN, MARGIN)])
    if col_totals and len(cols) > 1:
        col_margins: list[Cell] = [(MARGIN, c) for c in cols]
        lines.append(col_margins + [(MARGIN, MARGIN)])
    return lines


def augmented_counts(
    cells: Mapping[Cell, int], rows: Sequence[Hashable], cols: Sequence[Hashable]
) -> dict[Cell, int]:
    out: dict[Cell, int] = {}
    for r in rows:
        for c in cols:
            out[(r, c)] = int(cells.get((r, c), 0))
    for r in rows:
        out[(r, MARGIN)] = sum(out[(r, c)] for c in cols)
    for c in cols:
        out[(MARGIN, c)] = sum(out[(r, c)] for r in rows)
    out[(MARGIN, MARGIN)] = sum(out[(r, MARGIN)] for r in rows)
    return out


def suppress_table(
    cells: Mapping[Cell, int],
    min_group: int,
    *,
    rows: Sequence[Hashable] | None = None,
    cols: Sequence[Hashable] | None = None,
    row_totals: bool = True,
    col_totals: bool = True,
    forced: Iterable[Cell] = (),
) -> frozenset[Cell]:
    """The cells (and margins, keyed with MARGIN) to hide so no small group shows or leaks.

    Primary: every non-empty cell or shown margin with fewer than `min_group` members, and
    every non-empty one in `forced` (hidden for a reason outside the table: another filter
    setting could isolate it, survey.core.disclosure). A forced grand total hides everything:
    shown parts would add up to it.
    Secondary, repeated until nothing changes (see `leaks` for what counts as a leak):

    - in a line whose total is shown, the hidden members *together* must number 0 or at least
      `min_group` — otherwise the total minus the shown members gives away a small group
      (two hidden firms of 1 each are a group of 2, mean included). The line's smallest shown
      non-empty member is hidden next (cells before margins on ties);
    - no hidden member may be worked out exactly by combining lines (see `determined`; one
      hidden member alone in a line is the simplest case). The cheapest set of shown members
      that protects it — fewest SMEs hidden — is hidden next.

    Empty cells are never hidden — "nobody" is not a group — and the grand total never is
    unless the whole table is below `min_group`, in which case everything non-empty is hidden.
    """
    rows = list(rows) if rows is not None else sorted({r for r, _ in cells}, key=_sort_key)
    cols = list(cols) if cols is not None else sorted({c for _, c in cells}, key=_sort_key)
    counts = augmented_counts(cells, rows, cols)
    forced = {k for k in forced if counts.get(k, 0) > 0}
    if counts[(MARGIN, MARGIN)] < min_group or (MARGIN, MARGIN) in forced:
        return frozenset(k for k, v in counts.items() if v > 0)
    lines = table_lines(rows, cols, row_totals=row_totals, col_totals=col_totals)
    shown_margins = {k for line in lines for k in line if MARGIN in k}
    hidden = {
        k for k, v in counts.items()
        if 0 < v < min_group and (MARGIN not in k or k in shown_margins)
    } | forced
    while True:
        line = next((ln for ln in lines if _small_hidden_sum(ln, counts, hidden, min_group)),
                    None)
        if line is not None:
            candidates = [k for k in line[:-1] if k not in hidden and counts[k] > 0]
            hidden.add(min(candidates or [line[-1]], key=lambda k: _cost(k, counts)))
            continue
        bridges = determined(hidden, lines)
        if not bridges:
            return frozenset(hidden)
        bridge = min(bridges, key=lambda k: _cost(k, counts))
        hidden |= _protecting(bridge, lines, counts, hidden)


def _cost(key: Cell, counts: Mapping[Cell, int]) -> tuple[float, bool, tuple[int, str],
                                                          tuple[int, str]]:
    """Order of preference for hiding: fewest SMEs, cells before margins, the grand total
    never while anything else would do, then a stable order."""
    n = counts.get(key, 0) + (10**12 if key == (MARGIN, MARGIN) else 0)
    return (n, MARGIN in key, _sort_key(key[0]), _sort_key(key[1]))


def _graph(lines: Sequence[Sequence[Cell]], members: Iterable[Cell]
           ) -> dict[int, list[tuple[int, Cell]]]:
    """Lines as nodes and members as edges (see `determined`); node len(lines) is the free
    node that members lying in one line only attach to."""
    members = set(members)
    ends: dict[Cell, list[int]] = {}
    for i, line in enumerate(lines):
        for k in line:
            if k in members:
                ends.setdefault(k, []).append(i)
    free = len(lines)
    adjacency: dict[int, list[tuple[int, Cell]]] = {}
    for k, at in ends.items():
        a, b = (at[0], at[1]) if len(at) > 1 else (at[0], free)
        adjacency.setdefault(a, []).append((b, k))
        adjacency.setdefault(b, []).append((a, k))
    return adjacency


def _protecting(bridge: Cell, lines: Sequence[Sequence[Cell]], counts: Mapping[Cell, int],
                hidden: set[Cell]) -> set[Cell]:
    """The shown members to hide so `bridge` lies on a cycle of hidden members.

    A cheapest path (Dijkstra; hidden members cost nothing, shown ones their n) between the
    bridge's two lines that does not use the bridge itself. One always exists: in the full
    table no non-empty member is a bridge, since a flow across a bridge would have to be zero.
    """
    adjacency = _graph(lines, [k for k, v in counts.items() if v > 0])
    start, goal = _ends(adjacency, bridge)
    best: dict[int, float] = {start: 0.0}
    back: dict[int, tuple[int, Cell]] = {}
    queue: list[tuple[float, int]] = [(0.0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best.get(node, math.inf):
            continue
        for nxt, key in adjacency.get(node, []):
            if key == bridge:
                continue
            step = 0.0 if key in hidden else counts[key] + (0.5 if MARGIN in key else 0.0) + (
                10**12 if key == (MARGIN, MARGIN) else 0.0)
            if cost + step < best.get(nxt, math.inf):
                best[nxt] = cost + step
                back[nxt] = (node, key)
                heapq.heappush(queue, (cost + step, nxt))
    out: set[Cell] = set()
    node = goal
    while node in back:
        node, key = back[node]
        if key not in hidden:
            out.add(key)
    return out


def _ends(adjacency: Mapping[int, list[tuple[int, Cell]]], key: Cell) -> tuple[int, int]:
    """The two nodes an edge joins."""
    for node, edges in adjacency.items():
        for other, k in edges:
            if k == key:
                return node, other
    raise KeyError(key)


def _small_hidden_sum(line: Sequence[Cell], counts: Mapping[Cell, int], hidden: set[Cell],
                      min_group: int) -> bool:
    """A shown total whose hidden members add up to a small group (1 … min_group − 1)."""
    if line[-1] in hidden:
        return False
    together = sum(counts.get(k, 0) for k in line[:-1] if k in hidden)
    return 0 < together < min_group


def determined(hidden: Iterable[Cell], lines: Sequence[Sequence[Cell]]) -> set[Cell]:
    """Hidden members whose exact value follows from the shown numbers and the lines' sums.

    Every member lies in at most two lines, and each line says "the members add up to the
    last one", so the table is a flow network: a line is a node, a member an edge between its
    two lines (or to one free node when it lies in only one line). Given the shown edges, the
    hidden ones can still vary exactly along cycles of hidden edges; a hidden edge on no such
    cycle — a bridge of the hidden edges — has one possible value, which a reader can work
    out however many lines it takes.
    """
    return _bridges(_graph(lines, hidden))


def _bridges(adjacency: Mapping[int, list[tuple[int, Cell]]]) -> set[Cell]:
    """Bridges of a multigraph given as node -> [(neighbour, edge key)] (iterative Tarjan)."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    out: set[Cell] = set()
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, i = stack[-1]
            edges = adjacency[node]
            if i < len(edges):
                stack[-1] = (node, via, i + 1)
                nxt, key = edges[i]
                if key == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, key, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent] and via is not None:
                    out.add(via)
    return out


def leaks(
    hidden: Iterable[Cell],
    cells: Mapping[Cell, int],
    min_group: int,
    rows: Sequence[Hashable],
    cols: Sequence[Hashable],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> list[str]:
    """Every way a reader could recover a small group from what is shown (empty: safe).

    The checks `suppress_table` promises, written out on their own so tests can hold any
    suppression to them: a shown member below `min_group`; a line with a shown total whose
    hidden members add up to 1 … min_group − 1; a hidden member whose value is determined.
    """
    hidden = set(hidden)
    counts = augmented_counts(cells, rows, cols)
    if counts[(MARGIN, MARGIN)] < min_group:
        shown = [k for k, v in counts.items() if v > 0 and k not in hidden]
        return [f"shown {k} in a table under min_group" for k in shown]
    lines = table_lines(rows, cols, row_totals=row_totals, col_totals=col_totals)
    on_show = {k for line in lines for k in line} | {(r, c) for r in rows for c in cols}
    out = [f"small shown {k}={counts[k]}" for k in sorted(on_show, key=repr)
           if k not in hidden and 0 < counts[k] < min_group]
    out += [f"hidden members of {line} add up to a small group" for line in lines
            if _small_hidden_sum(line, counts, hidden, min_group)]
    out += [f"{k} can be worked out" for k in sorted(determined(hidden, lines), key=repr)]
    return out


def suppress_line(counts: Mapping[K, int], min_group: int, forced: Iterable[K] = (),
                  total_forced: bool = False) -> frozenset[K]:
    """The categories of a one-way table (whose total is shown) to hide; `forced` as in
    `suppress_table`, `total_forced` when the total itself is (then every category is)."""
    cells: dict[Cell, int] = {(0, k): v for k, v in counts.items()}
    cols = sorted(counts, key=_sort_key)
    hidden = suppress_table(cells, min_group, rows=[0], cols=cols, row_totals=True,
                            col_totals=False,
                            forced=[(0, k) for k in forced] + ([(MARGIN, MARGIN)] if total_forced
                                                               else []))
    return frozenset(k for r, k in hidden if r == 0 and k != MARGIN)  # type: ignore[misc]


def recoverable_lines(
    hidden: Iterable[Cell],
    rows: Sequence[Hashable],
    cols: Sequence[Hashable],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
) -> list[list[Cell]]:
    """Lines with exactly one hidden member: what suppression must never leave behind."""
    hidden = set(hidden)
    return [line for line in table_lines(rows, cols, row_totals=row_totals,
                                         col_totals=col_totals)
            if sum(1 for k in line if k in hidden) == 1]
