"""Suppression against an attacker who knows every line total, checked by an independent LP.

The attacker here is written apart from the engine: dense equations built cell by cell, one
scipy LP per bound, no shuttle bounds, no blocks, no witnesses.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from privacy.engine.audit import GIVEN, NARROW, PINNED, audit_table
from privacy.engine.suppression import SuppressionError, describe_method, suppress


def _frame(values: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    by = [f"d{axis}" for axis in range(values.ndim)]
    grid = list(itertools.product(*[[f"v{i}" for i in range(n)] for n in values.shape]))
    frame = pd.DataFrame(grid, columns=by)
    frame["count"] = values.reshape(-1).astype(int)
    frame["records"] = frame["count"]
    return frame, by


def attacker_intervals(values: np.ndarray, hidden: np.ndarray) -> dict[tuple, tuple[int, int]]:
    """Whole-number [min, max] of each hidden cell given the visible cells and all line totals."""
    cells = [tuple(int(i) for i in cell) for cell in np.argwhere(hidden)]
    if not cells:
        return {}
    column = {cell: j for j, cell in enumerate(cells)}
    rows, rhs = [], []
    for axis in range(values.ndim):
        for rest in itertools.product(*[range(n) for i, n in enumerate(values.shape) if i != axis]):
            line = [(*rest[:axis], k, *rest[axis:]) for k in range(values.shape[axis])]
            row = np.zeros(len(cells))
            total = sum(values[cell] for cell in line)
            for cell in line:
                if cell in column:
                    row[column[cell]] = 1.0
                else:
                    total -= values[cell]
            if row.any():
                rows.append(row)
                rhs.append(total)
    found = {}
    for cell, j in column.items():
        bounds = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(cells))
            objective[j] = sense
            result = linprog(objective, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None))
            assert result.status == 0
            bounds.append(sense * result.fun)
        found[cell] = (int(np.ceil(bounds[0] - 1e-6)), int(np.floor(bounds[1] + 1e-6)))
    return found


def _check(values: np.ndarray, threshold: int) -> None:
    frame, by = _frame(values)
    result = suppress(frame, by, "count", threshold, strict=False)
    hidden = result.table["suppressed"].to_numpy().reshape(values.shape)
    small = (values >= 1) & (values <= threshold)
    assert hidden[small].all()
    given_cells = {item.cell for item in result.audit.failures}
    assert all(item.problem == GIVEN for item in result.audit.failures)
    for cell, (low, high) in attacker_intervals(values, hidden).items():
        if cell in given_cells:
            continue
        assert high > low, f"{cell} is pinned to {low}"
        if small[cell]:
            assert low < 1 or high > threshold, f"{cell} narrowed to {low}..{high}"
    # What the audit calls given by the totals really is: hide every cell, still narrow.
    everything = attacker_intervals(values, np.ones(values.shape, dtype=bool))
    for cell in given_cells:
        low, high = everything[cell]
        assert high == low or (low >= 1 and high <= threshold)


@st.composite
def _cubes(draw):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    size = int(np.prod(shape))
    values = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 20, 40]), min_size=size,
                           max_size=size))  # fmt: skip
    return np.array(values, dtype=float).reshape(shape)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cubes(), st.integers(1, 5))
def test_random_tables_resist_an_attacker_who_knows_every_total(values, threshold):
    _check(values, threshold)


def test_a_lone_one_in_a_row_of_zeros_gets_a_hidden_zero_beside_it():
    # The USA line of the issue: Female 1, every other cell 0; its total gives the 1 away
    # unless a zero of the line is hidden as well.
    values = np.array([[1, 0, 0], [40, 60, 3], [30, 50, 20]], dtype=float)
    frame, by = _frame(values)
    result = suppress(frame, by, "count", 5)
    hidden = result.table["suppressed"].to_numpy().reshape(values.shape)
    assert hidden[0].sum() >= 2
    assert result.audit.passed
    _check(values, 5)


def test_a_single_suppressed_cell_in_a_line_is_never_left_alone():
    # TOLLAND of the issue: one suppressed cell in its line.
    values = np.array([[3, 40, 50], [30, 60, 70], [25, 45, 80]], dtype=float)
    frame, by = _frame(values)
    hidden = suppress(frame, by, "count", 5).table["suppressed"].to_numpy().reshape(3, 3)
    assert hidden[0].sum() >= 2
    assert hidden[:, 0].sum() >= 2


def test_audit_finds_a_cell_pinned_by_its_line_total():
    values = np.array([[3.0, 40, 50], [30, 60, 70]])
    primary = np.zeros(values.shape, dtype=bool)
    primary[0, 0] = True
    audit = audit_table(values, primary, primary, threshold=5)
    assert [(item.cell, item.problem, item.low, item.high) for item in audit.failures] == [
        ((0, 0), PINNED, 3.0, 3.0)
    ]


def test_audit_finds_a_primary_cell_narrowed_to_within_one_to_k():
    # Hidden block [[2, 3], [40, 1]]: with x00 = t the others are 5 - t, 42 - t and t - 1, so
    # t lies in 1..5: never 0, never above 5, so "a small count" is disclosed.
    values = np.array([[2.0, 3, 50], [40, 1, 60], [30, 20, 10]])
    hidden = np.zeros(values.shape, dtype=bool)
    hidden[:2, :2] = True
    primary = (values >= 1) & (values <= 5)
    by_cell = {item.cell: item for item in audit_table(values, hidden, primary, threshold=5)
               .intervals}  # fmt: skip
    assert (by_cell[(0, 0)].low, by_cell[(0, 0)].high, by_cell[(0, 0)].problem) == (1, 5, NARROW)
    assert (by_cell[(0, 1)].low, by_cell[(0, 1)].high, by_cell[(0, 1)].problem) == (0, 4, "")
    assert attacker_intervals(values, hidden)[(0, 0)] == (1, 5)


def test_strict_suppression_refuses_a_table_the_totals_give_away():
    values = np.array([[[1.0, 0], [0, 0]], [[0, 20], [20, 20]]])
    frame, by = _frame(values)
    with pytest.raises(SuppressionError, match="cannot be protected"):
        suppress(frame, by, "count", 5)


def test_method_sentence_states_the_audit():
    values = np.array([[1.0, 0, 0], [40, 60, 3], [30, 50, 20]])
    frame, by = _frame(values)
    text = describe_method(suppress(frame, by, "count", 5))
    assert "passed" in text
    assert "between 1 and 5" in text
