"""An attacker for suppressed tables, written independently of the suppression engine.

It sees only what is published: the inner cells and the totals (rows whose group columns hold
"(total)"), with suppressed values empty. It tries two attacks:
- peeling: a row or column total with one unknown cell gives that cell; repeat with what was
  learnt, so chains of single unknowns are followed;
- linear algebra: a cell is recovered when its unit vector lies in the row space of the
  "cells of a line sum to its total" equations restricted to the unknowns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOTAL = "(total)"


def published_cube(published: pd.DataFrame, by: list[str], value: str) -> np.ndarray:
    """Array with one extra 'total' position per axis; NaN where suppressed."""
    levels = [[v for v in pd.unique(published[name]) if v != TOTAL] + [TOTAL] for name in by]
    cube = np.full([len(level) for level in levels], np.nan)
    for row in published.itertuples(index=False):
        record = row._asdict()
        index = tuple(levels[i].index(record[name]) for i, name in enumerate(by))
        cube[index] = np.nan if record["suppressed"] else float(record[value])
    return cube


def _lines(shape: tuple[int, ...]):
    for axis in range(len(shape)):
        for position in np.ndindex(*(shape[:axis] + shape[axis + 1 :])):
            selector: list = list(position)
            selector.insert(axis, slice(None))
            yield tuple(selector)


def peel(cube: np.ndarray) -> dict[tuple[int, ...], float]:
    known = cube.copy()
    recovered: dict[tuple[int, ...], float] = {}
    progress = True
    while progress:
        progress = False
        for selector in _lines(known.shape):
            values = known[selector]
            missing = np.flatnonzero(np.isnan(values))
            if len(missing) != 1:
                continue
            spot = missing[0]
            inner = np.delete(values[:-1], spot) if spot < len(values) - 1 else values[:-1]
            guess = values[-1] - inner.sum() if spot < len(values) - 1 else inner.sum()
            cell = np.argwhere(np.isnan(known) & _mask(known.shape, selector))[0]
            known[tuple(cell)] = guess
            recovered[tuple(int(i) for i in cell)] = float(guess)
            progress = True
    return recovered


def _mask(shape: tuple[int, ...], selector: tuple) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    mask[selector] = True
    return mask


def linear_attack(cube: np.ndarray) -> list[tuple[int, ...]]:
    unknown = [tuple(int(i) for i in cell) for cell in np.argwhere(np.isnan(cube))]
    if not unknown:
        return []
    column = {cell: j for j, cell in enumerate(unknown)}
    rows = []
    for selector in _lines(cube.shape):
        mask = _mask(cube.shape, selector)
        cells = [tuple(int(i) for i in c) for c in np.argwhere(mask & np.isnan(cube))]
        if not cells:
            continue
        row = np.zeros(len(unknown))
        total_cell = tuple(int(i) for i in np.argwhere(mask)[-1])
        for cell in cells:
            row[column[cell]] = -1.0 if cell == total_cell else 1.0
        rows.append(row)
    system = np.array(rows) if rows else np.zeros((0, len(unknown)))
    rank = np.linalg.matrix_rank(system) if rows else 0
    found = []
    for cell, j in column.items():
        probe = np.zeros((1, len(unknown)))
        probe[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([system, probe])) == rank:
            found.append(cell)
    return found
