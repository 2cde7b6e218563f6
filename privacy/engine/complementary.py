"""Complementary suppression for an n-way table whose line totals are public anyway.

The attacker is assumed to know every line total (see audit.py), so totals are never used as
complements: protection comes from inner cells only. Steps:

1. the CT line rule, quickly: a line with exactly one suppressed cell gets a second one;
2. the audit (linear programming): every cell that is pinned, or narrowed to within 1..K,
   gets a complement on one of its lines, or if those are exhausted on the lines of the
   suppressed cells it is chained to; then the line rule and the audit again, until it passes.

Choosing a complement: a cell that opens no new line with a single suppression first (it would
need a complement of its own), then a non-zero cell before a zero (CT rule 4, "do not suppress
zeros", is kept wherever a non-zero cell can do the job), then the smallest value.
Zeros are used only when a line has nothing else: with known totals, a row such as (1, 0, 0)
cannot be protected otherwise. A structural zero (on a line whose total is 0) is never used: the
margins give it away. Some cells cannot be protected by suppression at all, when the margins
alone determine them (a town with one death in the whole table: its town × year and town × sex
totals give the year and the sex); the audit then fails and says which cells, and the caller
must group more coarsely.
"""

from __future__ import annotations

import numpy as np

from .audit import GIVEN, Audit, audit_table, given_by_totals

MAX_ROUNDS = 25
_NEW_LINE = 4.0  # score weights: opening a new single-suppression line outweighs the rest
_ZERO = 2.0


def protect(
    values: np.ndarray,
    primary: np.ndarray,
    *,
    threshold: int,
    counts: bool = True,
    audited: bool = True,
) -> tuple[np.ndarray, Audit | None]:
    """The suppression mask (primary cells plus complements) and its final audit.

    `audited=False` applies the line rule only, without linear programs (and returns no audit):
    for the published totals, which the audit assumes known anyway.
    """
    suppressed = primary.copy()
    givens = given_by_totals(values, primary, threshold=threshold, counts=counts)
    usable = ~givens.known
    apply_line_rule(values, suppressed, usable)
    if not audited:
        return suppressed, None
    cache: dict = {}
    options = {"threshold": threshold, "counts": counts, "givens": givens, "cache": cache}
    result = audit_table(values, suppressed, primary, **options)
    for _ in range(MAX_ROUNDS):
        fixable = [item for item in result.failures if item.problem != GIVEN]
        before = suppressed.copy()
        for item in fixable:
            # A complement added this round next to the cell may already free it: check first.
            if not (suppressed & ~before & _star(values.shape, [item.cell])).any():
                _complement_near(values, suppressed, usable, item.cell)
        if not (suppressed & ~before).any():
            break  # passed, or nothing left to suppress near the failures
        apply_line_rule(values, suppressed, usable)
        result = audit_table(values, suppressed, primary, **options)
    result.added = int((suppressed & ~primary).sum())
    return suppressed, result


def apply_line_rule(values: np.ndarray, suppressed: np.ndarray, usable: np.ndarray) -> None:
    """Until stable: every line with exactly one suppressed cell gets a complement on it."""
    changed = True
    while changed:
        changed = False
        for axis in range(values.ndim):
            alone = suppressed.sum(axis=axis, keepdims=True) == 1
            if not alone.any():
                continue
            score = np.where(usable & ~suppressed, _scores(values, suppressed), np.inf)
            best = np.argmin(score, axis=axis, keepdims=True)
            found = np.take_along_axis(score, best, axis=axis) < np.inf
            chosen = np.zeros(values.shape, dtype=bool)
            np.put_along_axis(chosen, best, alone & found, axis=axis)
            changed |= bool(chosen.any())
            suppressed |= chosen


def _scores(values: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Lower is better: new single-suppression lines opened, zero or not, then the value."""
    opened = np.zeros(values.shape)
    for axis in range(values.ndim):
        opened += suppressed.sum(axis=axis, keepdims=True) == 0
    magnitude = np.abs(values)
    relative = magnitude / (magnitude.max() + 1.0)  # in [0, 1): breaks ties only
    return opened * _NEW_LINE + (values == 0) * _ZERO + relative


def _star(shape: tuple[int, ...], cells: list[tuple[int, ...]]) -> np.ndarray:
    """The cells sharing a line with any of `cells` (those included)."""
    marked = np.zeros(shape, dtype=bool)
    marked[tuple(np.array(cells).T)] = True
    near = np.zeros(shape, dtype=bool)
    for axis in range(len(shape)):
        near |= marked.any(axis=axis, keepdims=True)
    return near


def _complement_near(
    values: np.ndarray, suppressed: np.ndarray, usable: np.ndarray, cell: tuple[int, ...]
) -> bool:
    """Suppress the best visible cell on the cell's lines; failing that, breadth first on the
    lines of the suppressed cells it is chained to."""
    seen, frontier = {cell}, [cell]
    score = np.where(usable & ~suppressed, _scores(values, suppressed), np.inf)
    while frontier:
        near = _star(values.shape, frontier)
        candidates = np.where(near, score, np.inf)
        best = np.unravel_index(int(np.argmin(candidates)), values.shape)
        if np.isfinite(candidates[best]):
            suppressed[best] = True
            return True
        following = [tuple(c) for c in np.argwhere(near & suppressed).tolist()]
        frontier = [item for item in following if item not in seen]
        seen.update(frontier)
    return False
