"""Audit of a suppressed table: what can an attacker who knows every line total learn?

Threat model: the attacker sees the published (visible) cells and knows the total of every line
of the table, whether or not we publish it: the row and column totals of a two-way table, the
(n-1)-way margins of an n-way table (the sum over each single axis). Counts and sums of
non-negative values are known to be non-negative. For each suppressed cell the audit computes
the interval [low, high] of values the cell can take in a table consistent with all of that,
by linear programming (HiGHS through scipy), and judges it:

- no suppressed cell may be pinned to one value (for counts: one integer);
- a primary cell (a count from 1 to the threshold K) must not be narrowed to within 1..K: its
  interval has to reach 0 or go beyond K, so nobody can tell that the cell is small.

Zeros: a published zero is known. A suppressed zero is treated as a *sampling* zero, unknown to
the attacker; a cell on a line whose total is 0 is a zero everyone can deduce from the margins
(a *structural* zero here), so it is fixed at 0 and never counts as protection.
The LP relaxation ignores integrality (the standard audit, as in tau-ARGUS); intervals of counts
are rounded inwards to whole numbers before they are judged.

Speed: the system splits into independent blocks (cells linked by shared lines). Cheap outer
bounds (line residuals) and a few LPs with random objectives (feasible tables that witness
values) settle most bounds at once; one LP per bound is solved only where those disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .bounds import Block, System

_EPS = 1e-6
_WITNESS_ROUNDS = 3  # targeted random objectives per direction before one LP per cell
PINNED = "pinned"
NARROW = "within 1..K"
GIVEN = "given by the totals"  # the line totals alone give it away: no suppression can help


@dataclass(frozen=True)
class CellInterval:
    cell: tuple[int, ...]  # position in the table (one index per group column)
    low: float
    high: float
    primary: bool
    problem: str = ""  # "" when safe, else PINNED, NARROW or GIVEN
    # A safe cell can take every value in [low, high] (the truth may be wider unless `exact`);
    # an unsafe one can take no value outside it.
    exact: bool = True

    @property
    def safe(self) -> bool:
        return not self.problem


@dataclass
class Audit:
    """The audit of one suppressed table; `added` counts complementary suppressions."""

    threshold: int
    intervals: list[CellInterval] = field(default_factory=list)
    added: int = 0
    lps: int = 0  # linear programs solved, for the benchmark

    @property
    def passed(self) -> bool:
        return all(item.safe for item in self.intervals)

    @property
    def failures(self) -> list[CellInterval]:
        return [item for item in self.intervals if not item.safe]


def structural_zeros(values: np.ndarray) -> np.ndarray:
    """Cells on a line whose total is 0: zero for anyone who knows the margins."""
    known = np.zeros(values.shape, dtype=bool)
    for axis in range(values.ndim):
        known |= values.sum(axis=axis, keepdims=True) == 0
    return known & (values == 0)


@dataclass
class Givens:
    """What the line totals give away before anything is published."""

    known: np.ndarray  # cells whose value follows from the totals (structural zeros included)
    exposed: np.ndarray  # primary cells pinned, or narrowed to within 1..K, by the totals


def given_by_totals(
    values: np.ndarray, primary: np.ndarray, *, threshold: int, counts: bool = True
) -> Givens:
    """Outer bounds with every cell suppressed: what no suppression pattern can protect (a town
    with one death in the table: its town × year and town × sex totals name year and sex)."""
    zeros = structural_zeros(values)
    system = System.build(values, ~zeros, integral=counts)
    low, high = np.zeros(system.size), np.zeros(system.size)
    for members in system.blocks():
        low[members], high[members] = system.block(members).outer()
    known, exposed = zeros.copy(), np.zeros(values.shape, dtype=bool)
    cells = tuple(np.array(system.cells).T) if system.size else ()
    if system.size:
        known[cells] = _pinned(low, high, counts)
        failing = _problems(low, high, primary[cells], threshold, counts) != ""
        exposed[cells] = failing & primary[cells]
    return Givens(known, exposed)


def audit_table(
    values: np.ndarray,
    suppressed: np.ndarray,
    primary: np.ndarray,
    *,
    threshold: int,
    counts: bool = True,
    givens: Givens | None = None,
    cache: dict | None = None,
) -> Audit:
    """Interval and verdict for every suppressed cell of `values` (an n-way table).

    `givens` defaults to `given_by_totals(...)`; `cache` keeps the results of unchanged blocks
    between audits of the same table (the complementary loop re-audits after each round).
    """
    if givens is None:
        givens = given_by_totals(values, primary, threshold=threshold, counts=counts)
    cache = {} if cache is None else cache
    result = Audit(threshold=threshold)
    system = System.build(values, suppressed & ~givens.known, integral=counts)
    found: dict[tuple[int, ...], CellInterval] = {}
    for members in system.blocks():
        key = system.flat[members].tobytes()
        if key not in cache:
            block = system.block(members)
            cells = [system.cells[j] for j in members]
            cache[key] = _judge_block(block, cells, primary, threshold, counts)
            result.lps += block.solved
        found.update((item.cell, item) for item in cache[key])
    for cell in map(tuple, np.argwhere(suppressed).tolist()):
        item = found.get(cell) or _known(values, givens, primary, cell)
        if item.problem and givens.exposed[cell]:
            item = replace(item, problem=GIVEN)  # no complement can fix it: say so
        result.intervals.append(item)
    return result


def _known(values: np.ndarray, givens: Givens, primary: np.ndarray, cell: tuple) -> CellInterval:
    exact = float(values[cell])
    # A known small count is a disclosure; a known zero or large value is merely no protection.
    problem = GIVEN if givens.exposed[cell] else ""
    return CellInterval(tuple(int(i) for i in cell), exact, exact, bool(primary[cell]), problem)


def _judge_block(
    block: Block, cells: list[tuple], primary: np.ndarray, threshold: int, counts: bool
) -> list[CellInterval]:
    """Decide each cell with as few LPs as possible: pass when the inner bounds pass, fail when
    the outer bounds fail, and solve for the exact bound only in between."""
    first = np.array([bool(primary[cell]) for cell in cells])
    outer_low, outer_high = block.outer()
    low, high = block.truth.copy(), block.truth.copy()
    rng = np.random.default_rng(len(cells))  # fixed seed: the same table, the same audit

    def undecided() -> np.ndarray:
        passes = _problems(low, high, first, threshold, counts) == ""
        fails = _problems(outer_low, outer_high, first, threshold, counts) != ""
        return ~passes & ~fails

    for _ in range(_WITNESS_ROUNDS):
        open_ = undecided()
        if not open_.any():
            break
        for sense in (1.0, -1.0):  # push the undecided cells down, then up
            point = block.witness(sense * rng.random(len(cells)) * open_)
            if point is not None:
                low, high = np.minimum(low, point), np.maximum(high, point)
    for j in np.flatnonzero(undecided()):
        for sense in (1.0, -1.0):
            if not undecided()[j]:
                break
            objective = np.zeros(len(cells))
            objective[j] = sense
            point = block.witness(objective)
            if point is None:  # unbounded in this direction: the outer bound is the answer
                (low if sense > 0 else high)[j] = (outer_low if sense > 0 else outer_high)[j]
                continue
            low, high = np.minimum(low, point), np.maximum(high, point)
            (outer_low if sense > 0 else outer_high)[j] = point[j]  # now exact
    problems = _problems(low, high, first, threshold, counts)
    failed = problems != ""
    # For a failing cell report the outer bounds (proven limits); for a passing one the inner.
    shown_low, shown_high = np.where(failed, outer_low, low), np.where(failed, outer_high, high)
    exact = (np.abs(low - outer_low) <= _EPS) & (np.abs(high - outer_high) <= _EPS)
    if counts:
        shown_low, shown_high = np.ceil(shown_low - _EPS), np.floor(shown_high + _EPS)
    problems = np.where(failed, _problems(outer_low, outer_high, first, threshold, counts), "")
    return [
        CellInterval(cell, float(lo) + 0.0, float(hi) + 0.0, bool(p), str(problem), bool(ex))
        for cell, lo, hi, p, problem, ex in zip(
            cells, shown_low, shown_high, first, problems, exact, strict=True
        )
    ]


def _pinned(low: np.ndarray, high: np.ndarray, counts: bool) -> np.ndarray:
    if counts:
        return np.floor(high + _EPS) <= np.ceil(low - _EPS)
    return high - low <= _EPS * np.maximum(1.0, np.maximum(np.abs(low), np.abs(high)))


def _problems(
    low: np.ndarray, high: np.ndarray, primary: np.ndarray, threshold: int, counts: bool
) -> np.ndarray:
    """The rule per cell: "" (safe), PINNED, or NARROW (a primary count kept within 1..K)."""
    pinned = _pinned(low, high, counts)
    narrow = np.zeros(len(low), dtype=bool)
    if counts:
        narrow = primary & (np.ceil(low - _EPS) >= 1) & (np.floor(high + _EPS) <= threshold)
    return np.where(pinned, PINNED, np.where(narrow, NARROW, ""))
