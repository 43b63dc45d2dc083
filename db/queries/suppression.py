"""Small-cell suppression for public tables built from record-level data (no SQL, no Dash).

A two-way table of counts is published with its margins: row totals, column totals and the
grand total. Think of it as an (R+1) x (C+1) grid whose last row and column are the totals.

- Primary suppression: every entry from 1 to `threshold - 1` (margins included) is hidden.
- Complementary suppression: hiding one entry of a line whose total is known gives nothing
  away only if a second entry of that line is hidden too; in general a hidden entry can be
  worked out exactly from the published ones iff it is a *bridge* of the graph whose nodes are
  the grid's rows and columns and whose edges are the hidden entries (an edge on no cycle).
  While some hidden entry is a bridge, the cheapest cycle of four entries through it (the
  smallest sum of newly hidden counts, never a zero) is hidden as well.

Zeros are published (the CDC WONDER rule) and never chosen as complements: a hidden zero lets
an attacker use non-negativity to pin the other entries of its cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PUBLISHED, PRIMARY, COMPLEMENTARY = 0, 1, 2
STATUS_NAMES = {PUBLISHED: "", PRIMARY: "primary", COMPLEMENTARY: "complementary"}


@dataclass(frozen=True)
class SuppressedTable:
    """The grid with its margins (last row and column) and each entry's status."""

    values: np.ndarray  # (R+1, C+1) integer counts, margins last
    status: np.ndarray  # (R+1, C+1): PUBLISHED, PRIMARY or COMPLEMENTARY

    @property
    def hidden(self) -> np.ndarray:
        return self.status != PUBLISHED


def with_margins(cells: np.ndarray) -> np.ndarray:
    """The (R+1) x (C+1) grid: `cells`, row totals in the last column, column totals and the
    grand total in the last row."""
    cells = np.asarray(cells, dtype=np.int64)
    rows, columns = cells.shape
    grid = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    grid[:rows, :columns] = cells
    grid[:rows, columns] = cells.sum(axis=1)
    grid[rows, :columns] = cells.sum(axis=0)
    grid[rows, columns] = cells.sum()
    return grid


def bridges(hidden: np.ndarray) -> list[tuple[int, int]]:
    """The hidden entries that lie on no cycle of the row-column graph (Tarjan's algorithm)."""
    rows, columns = hidden.shape
    adjacency: dict[int, list[int]] = {n: [] for n in range(rows + columns)}
    for i, j in zip(*np.nonzero(hidden)):
        adjacency[int(i)].append(rows + int(j))
        adjacency[rows + int(j)].append(int(i))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    counter = 0
    for root in adjacency:
        if root in order or not adjacency[root]:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nxt in neighbours:
                if nxt == parent:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, node, iter(adjacency[nxt])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if parent >= 0:
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    i, j = (parent, node) if parent < rows else (node, parent)
                    found.append((i, j - rows))
    return sorted(found)


def _cheapest_cycle(values: np.ndarray, hidden: np.ndarray, i: int, j: int) -> list[tuple]:
    """The entries to hide so that (i, j) lies on a cycle (i, j) - (i2, j) - (i2, j2) - (i, j2)."""
    rows, columns = values.shape
    best, best_cost = None, None
    for i2 in range(rows):
        if i2 == i:
            continue
        for j2 in range(columns):
            if j2 == j:
                continue
            corners = [(i, j2), (i2, j), (i2, j2)]
            new = [c for c in corners if not hidden[c]]
            if any(values[c] == 0 for c in new):
                continue
            cost = sum(int(values[c]) for c in new)
            if best_cost is None or cost < best_cost:
                best, best_cost = new, cost
    if best is None:  # cannot happen for a consistent grid with margins: see the module doc
        raise ValueError(f"no complementary cells available for entry {(i, j)}")
    return best


def suppress_table(cells: np.ndarray, threshold: int) -> SuppressedTable:
    """Primary and complementary suppression of `cells` (R x C counts) with its margins."""
    values = with_margins(cells)
    status = np.where((values >= 1) & (values < threshold), PRIMARY, PUBLISHED).astype(np.int8)
    if threshold <= 1:
        return SuppressedTable(values, status)
    while True:
        exposed = bridges(status != PUBLISHED)
        if not exposed:
            return SuppressedTable(values, status)
        i, j = exposed[0]
        for cell in _cheapest_cycle(values, status != PUBLISHED, i, j):
            status[cell] = COMPLEMENTARY


def derivable(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden entries that the published entries determine exactly, by linear algebra on the
    line equations (each row and column of the grid sums to its margin). For tests and audits."""
    rows, columns = values.shape
    unknowns = [tuple(map(int, c)) for c in zip(*np.nonzero(hidden))]
    if not unknowns:
        return []
    index = {c: k for k, c in enumerate(unknowns)}
    equations = []
    for i in range(rows):  # sum of row i's cells equals its margin
        line = np.zeros(len(unknowns))
        for j in range(columns):
            if (i, j) in index:
                line[index[(i, j)]] = -1.0 if j == columns - 1 else 1.0
        equations.append(line)
    for j in range(columns):
        line = np.zeros(len(unknowns))
        for i in range(rows):
            if (i, j) in index:
                line[index[(i, j)]] = -1.0 if i == rows - 1 else 1.0
        equations.append(line)
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    out = []
    for cell, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            out.append(cell)
    return sorted(out)
