"""Bounds on the suppressed cells of a table whose line totals are known (see audit.py).

The unknowns are the suppressed cells; each line holding any of them gives one equation
(its unknowns sum to the line total minus its visible cells). Two kinds of bound:

- outer bounds, which every consistent table respects, by the shuttle algorithm (Buzzigoli and
  Giusti): each unknown is at most its line's rest minus the other unknowns' lower bounds, at
  least the rest minus their upper bounds, repeated until nothing moves. Cheap and often sharp;
  a cell that fails the rules on its outer bounds certainly fails.
- inner bounds, values some consistent table actually gives the cell, from linear programs
  (HiGHS through scipy.optimize.linprog): the true table itself, a few tables with random
  objectives, then one LP per bound that is still in doubt. A cell that passes on its inner
  bounds certainly passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

# scipy is imported where it is used: loading it costs about 0.3 s, and every process that
# sets Django up imports this module (privacy's tasks), most of them never auditing a table.

SHUTTLE_ROUNDS = 50


@dataclass
class System:
    cells: list[tuple[int, ...]]
    flat: np.ndarray  # flat positions of the unknowns in the table
    truth: np.ndarray  # the true values: one consistent table
    matrix: sparse.csr_matrix  # lines × unknowns, 0/1
    rhs: np.ndarray  # line total minus its visible (or known) cells
    nonnegative: bool
    integral: bool  # counts: bounds may be rounded inwards to whole numbers

    @property
    def size(self) -> int:
        return len(self.cells)

    @classmethod
    def build(cls, values: np.ndarray, unknown: np.ndarray, *, integral: bool) -> System:
        flat = np.flatnonzero(unknown)
        coords = np.unravel_index(flat, values.shape)
        truth = values.reshape(-1)[flat].astype(float)
        keys = [_line_keys(values.shape, coords, axis) for axis in range(values.ndim)]
        unique, rows = np.unique(np.concatenate(keys), return_inverse=True)
        columns = np.tile(np.arange(len(flat)), values.ndim)
        from scipy import sparse

        matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(unique), len(flat))
        )
        cells = [tuple(int(c[i]) for c in coords) for i in range(len(flat))]
        nonnegative = bool((values >= 0).all())
        return cls(cells, flat, truth, matrix, matrix @ truth, nonnegative, integral)

    def blocks(self) -> list[np.ndarray]:
        """Indices of the unknowns of each independent block (linked through shared lines)."""
        lines, size = self.matrix.shape
        if not size:
            return []
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        graph = sparse.bmat([[None, self.matrix], [self.matrix.T, None]], format="csr")
        labels = connected_components(graph, directed=False)[1][lines:]
        order = np.argsort(labels, kind="stable")
        return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)

    def block(self, members: np.ndarray) -> Block:
        rows = np.unique(self.matrix[:, members].nonzero()[0])
        matrix = self.matrix[rows][:, members].tocsr()
        return Block(matrix, self.rhs[rows], self.truth[members], self.nonnegative, self.integral)


@dataclass
class Block:
    matrix: sparse.csr_matrix
    rhs: np.ndarray
    truth: np.ndarray
    nonnegative: bool
    integral: bool
    solved: int = 0  # LPs, for the benchmark

    def outer(self) -> tuple[np.ndarray, np.ndarray]:
        """Shuttle bounds: every consistent table lies within them."""
        size = len(self.truth)
        if not self.nonnegative:
            return np.full(size, -np.inf), np.full(size, np.inf)
        coo = self.matrix.tocoo()
        rows, cols, count = coo.row, coo.col, self.matrix.shape[0]
        low, high = np.zeros(size), np.full(size, np.inf)
        np.minimum.at(high, cols, self.rhs[rows])  # every unknown lies on a line: all finite
        for _ in range(SHUTTLE_ROUNDS):
            before = (low.copy(), high.copy())
            low_sum = np.bincount(rows, weights=low[cols], minlength=count)
            np.minimum.at(high, cols, self.rhs[rows] - (low_sum[rows] - low[cols]))
            high_sum = np.bincount(rows, weights=high[cols], minlength=count)
            np.maximum.at(low, cols, self.rhs[rows] - (high_sum[rows] - high[cols]))
            if self.integral:
                low, high = np.ceil(low - 1e-9), np.floor(high + 1e-9)
            if np.array_equal(before[0], low) and np.array_equal(before[1], high):
                break
        return low, high

    def witness(self, objective: np.ndarray) -> np.ndarray | None:
        """A consistent table minimising `objective`, or None when the LP is unbounded."""
        from scipy.optimize import linprog

        floor = 0.0 if self.nonnegative else None
        result = linprog(
            objective, A_eq=self.matrix, b_eq=self.rhs, bounds=(floor, None), method="highs"
        )
        self.solved += 1
        if result.status == 3:
            return None
        if result.status != 0:
            raise RuntimeError(f"audit LP failed: {result.message}")
        return result.x


def _line_keys(shape: tuple[int, ...], coords: tuple, axis: int) -> np.ndarray:
    """One id per (axis, position on the other axes): the line along `axis` through a cell."""
    others = [c for i, c in enumerate(coords) if i != axis]
    other_shape = shape[:axis] + shape[axis + 1 :]
    position = np.ravel_multi_index(others, other_shape) if others else np.zeros_like(coords[0])
    return position.astype(np.int64) * len(shape) + axis
