"""Complementary suppression on an n-dimensional table extended with its totals.

The table is extended by one "total" position on every axis, so each row, column (any 1-D line)
ends in its own total, and totals of totals up to the grand total are cells too. Every line
satisfies one equation: sum of its cells = its total. Totals are cells like any other: a total
from 1 to the threshold is suppressed (CT rule 1, "totals included") and may need a complement.

Two passes, repeated until stable:
1. the CT line rule: a line with exactly one suppressed cell gets a second one, the smallest
   non-zero visible cell, inner cells before totals (rule 3, keep totals where possible);
2. a linear-algebra check: a suppressed cell whose value is fixed by the line equations and the
   visible cells (its unit vector lies in the row space of the system) gets a further complement.
Zeros are never suppressed (rule 4). The process always ends: once every non-zero cell is
suppressed the system is homogeneous and any multiple of the table satisfies it.
"""

from __future__ import annotations

import numpy as np

_TOLERANCE = 1e-10  # relative, on squared singular values


def extend(cube: np.ndarray) -> np.ndarray:
    """Append a total position to each axis (the last index on that axis)."""
    extended = cube.astype(float)
    for axis in range(cube.ndim):
        extended = np.concatenate([extended, extended.sum(axis=axis, keepdims=True)], axis=axis)
    return extended


def line(ndim: int, axis: int, position: tuple[int, ...]) -> tuple:
    """Index selecting the 1-D line along `axis` at `position` on the other axes."""
    selector: list[int | slice] = list(position)
    selector.insert(axis, slice(None))
    return tuple(selector)


def line_equations(shape: tuple[int, ...]):
    """Yield (axis, selector) for every line; its last cell is the total of the others."""
    for axis in range(len(shape)):
        others = shape[:axis] + shape[axis + 1 :]
        for position in np.ndindex(*others):
            yield axis, line(len(shape), axis, position)


def determined_cells(extended: np.ndarray, suppressed: np.ndarray) -> list[tuple[int, ...]]:
    """Suppressed cells whose value follows from the visible cells and the line equations."""
    unknown = np.argwhere(suppressed)
    if not len(unknown):
        return []
    number = np.full(extended.shape, -1)
    number[suppressed] = np.arange(len(unknown))
    equations = []  # (ids of the unknowns in the line, their coefficients)
    for _axis, selector in line_equations(extended.shape):
        ids = number[selector]
        if (ids >= 0).any():
            coefficients = np.ones(len(ids))
            coefficients[-1] = -1.0  # the line's total
            equations.append((ids[ids >= 0], coefficients[ids >= 0]))
    determined: list[int] = []
    for members, rows in _components(len(unknown), equations):
        determined += _fixed_in(members, rows)
    return [tuple(int(i) for i in unknown[j]) for j in sorted(determined)]


def _components(count: int, equations: list) -> list[tuple[np.ndarray, list]]:
    """Split the system into independent blocks (unknowns linked by a shared line)."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ids, _ in equations:
        for other in ids[1:]:
            parent[root(int(other))] = root(int(ids[0]))
    blocks: dict[int, list] = {}
    for ids, coefficients in equations:
        blocks.setdefault(root(int(ids[0])), []).append((ids, coefficients))
    members = np.array([root(i) for i in range(count)])
    return [(np.flatnonzero(members == key), rows) for key, rows in blocks.items()]


def _fixed_in(members: np.ndarray, rows: list) -> list[int]:
    position = {int(j): k for k, j in enumerate(members)}
    system = np.zeros((len(rows), len(members)))
    for r, (ids, coefficients) in enumerate(rows):
        system[r, [position[int(j)] for j in ids]] = coefficients
    # Eigenvectors of AᵀA with eigenvalue ~0 span the null space of A: the directions in which
    # the unknowns can move without changing any published total. (Several times faster than a
    # full SVD of A, which also builds the large left factor.)
    eigenvalues, vectors = np.linalg.eigh(system.T @ system)
    scale = max(float(eigenvalues[-1]), 1.0)
    null_space = vectors[:, eigenvalues < _TOLERANCE * scale]
    free = np.zeros(len(members), dtype=bool)
    if null_space.size:
        free = np.linalg.norm(null_space, axis=1) > 1e-6
    return [int(members[k]) for k in np.flatnonzero(~free)]


def protect(extended: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Extend `suppressed` (the primary cells) until no suppressed cell can be recovered."""
    while True:
        _apply_line_rule(extended, suppressed)
        determined = determined_cells(extended, suppressed)
        if not determined:
            return suppressed
        before = suppressed.copy()
        for cell in determined:
            # A complement added this round on one of the cell's lines may already free it:
            # leave it to the next check rather than over-suppress.
            if any(
                (suppressed[line] & ~before[line]).any() for line in _lines_through(extended, cell)
            ):
                continue
            _complement_near(extended, suppressed, cell)
        changed = bool((suppressed & ~before).any())
        if not changed and not _suppress_smallest(extended, suppressed, [(Ellipsis,)]):
            # Unreachable by the argument in the module docstring; fail loudly, not silently.
            raise ValueError(f"cell {determined[0]} cannot be protected without suppressing zeros")


def _complement_near(extended: np.ndarray, suppressed: np.ndarray, cell: tuple) -> bool:
    """Suppress the nearest visible non-zero cell: first on the cell's own lines, then on the
    lines of the suppressed cells its value is chained to, breadth first."""
    seen, frontier = {cell}, [cell]
    while frontier:
        lines = [selector for item in frontier for selector in _lines_through(extended, item)]
        if _suppress_smallest(extended, suppressed, lines):
            return True
        following = []
        for selector in lines:
            mask = np.zeros(extended.shape, dtype=bool)
            mask[selector] = True
            for found in map(tuple, np.argwhere(mask & suppressed).tolist()):
                if found not in seen:
                    seen.add(found)
                    following.append(found)
        frontier = following
    return False


def _apply_line_rule(extended: np.ndarray, suppressed: np.ndarray) -> None:
    changed = True
    while changed:
        changed = False
        for axis in range(extended.ndim):
            for position in np.argwhere(suppressed.sum(axis=axis) == 1):
                selector = line(extended.ndim, axis, tuple(int(i) for i in position))
                if suppressed[selector].sum() == 1:
                    changed |= _suppress_smallest(extended, suppressed, [selector])


def _lines_through(extended: np.ndarray, cell: tuple[int, ...]) -> list[tuple]:
    return [
        line(extended.ndim, axis, cell[:axis] + cell[axis + 1 :]) for axis in range(extended.ndim)
    ]


def _suppress_smallest(extended: np.ndarray, suppressed: np.ndarray, selectors: list) -> bool:
    """Suppress one visible non-zero cell on the lines: inner cells first, then the smallest."""
    last = np.array(extended.shape) - 1
    best: tuple | None = None
    for selector in selectors:
        mask = np.zeros(extended.shape, dtype=bool)
        mask[selector] = True
        for cell in np.argwhere(mask & ~suppressed & (extended != 0)):
            key = (int((cell == last).sum()), abs(float(extended[tuple(cell)])), tuple(cell))
            best = key if best is None or key < best else best
    if best is None:
        return False
    suppressed[best[2]] = True
    return True
