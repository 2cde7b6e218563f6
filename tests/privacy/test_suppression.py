from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from privacy.engine.audit import GIVEN
from privacy.engine.suppression import (
    SuppressionError,
    aggregate,
    suppress,
    suppress_source,
    suppress_statistic,
)
from tests.publishing.recovery import linear_attack, peel, published_cube

OCME = Path(__file__).parents[1] / "data" / "ocme_drug_deaths_sample.csv"


def _grid(shape: tuple[int, ...], values: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    by = [f"dim{axis}" for axis in range(len(shape))]
    index = pd.MultiIndex.from_product(
        [[f"c{i:02d}" for i in range(size)] for size in shape], names=by
    )
    frame = index.to_frame(index=False)
    frame["count"] = values.reshape(-1).astype(int)
    frame["records"] = frame["count"]
    return frame, by


def _assert_safe(result, threshold: int) -> None:
    """No small value shown, and no suppressed inner cell recovered, except the cells the audit
    names as given away by the line totals themselves (no suppression can hide those). A hidden
    total may be recomputed: the audit assumes every total is known anyway."""
    published = result.published(totals=True)
    shown = published.loc[~published["suppressed"], result.value].astype(float)
    assert not ((shown >= 1) & (shown <= threshold)).any(), "a small value is published"
    assert published.loc[published["suppressed"], result.value].isna().all()
    given = {item.cell for item in result.audit.failures}
    assert all(item.problem == GIVEN for item in result.audit.failures)
    cube = published_cube(published, result.by, result.value)
    inner = [size - 1 for size in cube.shape]
    peeled = {cell for cell in peel(cube) if all(i < n for i, n in zip(cell, inner, strict=True))}
    solved = {c for c in linear_attack(cube) if all(i < n for i, n in zip(c, inner, strict=True))}
    assert peeled <= given, "a suppressed cell was recovered by peeling"
    assert solved <= given, "a suppressed cell was recovered by linear algebra"


def _random_tables():
    rng = np.random.default_rng(20261123)
    for case in range(40):
        ndim = 2 if case % 3 else 3
        shape = tuple(int(n) for n in rng.integers(2, 7 if ndim == 2 else 4, size=ndim))
        scale = rng.choice([2.0, 5.0, 20.0])
        values = rng.poisson(scale, size=shape) * (rng.random(shape) > 0.2)
        yield case, shape, values, int(rng.choice([3, 5, 10]))


@pytest.mark.parametrize(("case", "shape", "values", "threshold"), list(_random_tables()))
def test_random_tables_are_protected_against_both_attacks(case, shape, values, threshold):
    frame, by = _grid(shape, values)
    result = suppress(frame, by, "count", threshold, strict=False)
    _assert_safe(result, threshold)
    table = result.table
    truth = values.reshape(-1)
    small = (truth >= 1) & (truth <= threshold)
    assert table["suppressed"].to_numpy()[small].all(), "a primary cell was left visible"
    # With known line totals a row such as (1, 0, 0) needs a hidden zero: zeros may be
    # complements, never primary cells.
    assert not (table["reason"].to_numpy()[truth == 0] == "primary").any(), "a zero is primary"
    visible = ~table["suppressed"].to_numpy()
    assert (table["count"].to_numpy()[visible].astype(int) == truth[visible]).all()


def _extended(inner: np.ndarray) -> np.ndarray:
    cube = np.zeros([n + 1 for n in inner.shape])
    cube[:-1, :-1] = inner
    cube[:-1, -1] = inner.sum(axis=1)
    cube[-1, :-1] = inner.sum(axis=0)
    cube[-1, -1] = inner.sum()
    return cube


def test_attacker_recovers_a_cell_left_alone_in_its_row():
    cube = _extended(np.array([[3.0, 40, 50], [30, 60, 70]]))
    cube[0, 0] = np.nan  # primary suppression only
    assert peel(cube) == {(0, 0): 3.0}
    assert linear_attack(cube) == [(0, 0)]


def test_attacker_follows_a_chain_of_single_unknowns():
    # Row 1 gives (1,1); then (0,1) is alone in column 1; then (0,0) is alone in row 0.
    cube = _extended(np.array([[3.0, 40, 50], [30, 2, 70]]))
    cube[0, 0] = cube[0, 1] = cube[1, 1] = np.nan
    assert peel(cube) == {(1, 1): 2.0, (0, 1): 40.0, (0, 0): 3.0}
    assert sorted(linear_attack(cube)) == [(0, 0), (0, 1), (1, 1)]


def test_linear_attack_finds_a_cell_that_peeling_misses():
    # Two 2x2 blocks of suppressed cells joined by a bridge cell: every line has two or more
    # unknowns, yet the bridge follows from the totals.
    inner = np.zeros((4, 4))
    inner[0:2, 0:2] = 7.0
    inner[2:4, 2:4] = 7.0
    inner[1, 2] = 9.0
    cube = _extended(inner)
    for cell in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        cube[cell] = np.nan
    assert peel(cube) == {}
    assert linear_attack(cube) == [(1, 2)]


@pytest.mark.parametrize(
    "by",
    [
        ["DeathCounty", "Sex"],
        ["ResidenceCounty", "Sex"],
        ["DeathCounty", "Sex", "Date:year"],
        ["Race", "Sex"],
        ["Age:band10", "Sex"],
    ],
)
@pytest.mark.parametrize("threshold", [5, 10])
def test_ocme_groupings_publish_no_small_value_and_hide_every_suppressed_one(by, threshold):
    # Three-way groupings of 800 records have cells their two-way totals give away: strict=False
    # returns them, flagged by the audit, instead of refusing.
    result = suppress_source(OCME, by, threshold=threshold, strict=False)
    _assert_safe(result, threshold)
    assert int(result.table["records"].sum()) == 800
    assert result.table["suppressed"].any()


def test_ocme_county_by_sex_counts_match_a_plain_groupby():
    result = suppress_source(OCME, ["DeathCounty", "Sex"], chunksize=97)
    raw = pd.read_csv(OCME, dtype=str).fillna({"DeathCounty": "(missing)", "Sex": "(missing)"})
    expected = raw.groupby(["DeathCounty", "Sex"]).size()
    table = result.table.set_index(["DeathCounty", "Sex"])
    assert int(table["records"].sum()) == len(raw)
    for key, count in expected.items():
        row = table.loc[key]
        assert row["records"] == count
        assert bool(row["suppressed"]) or row["count"] == count
    assert (table.loc[~table.index.isin(expected.index), "records"] == 0).all()


PAYMENT_GROUPS = [
    ("Avon", "2020", 1000, 12),
    ("Bethel", "2020", 200, 9),
    ("Bethel", "2021", 300, 8),
    ("Cheshire", "2020", 50, 30),
    ("Cheshire", "2021", 70, 25),
    ("Avon", "2022", 10, 7),
    ("Bethel", "2022", 20, 6),
    ("Cheshire", "2022", 30, 40),
]


def test_sum_of_a_value_column_is_suppressed_on_few_records(tmp_path):
    source = tmp_path / "payments.csv"
    rows = ["town,year,amount", "Avon,2021,5000"]
    sums: dict[tuple[str, str], int] = {("Avon", "2021"): 5000}
    for town, year, base, n in PAYMENT_GROUPS:
        rows += [f"{town},{year},{base + i}" for i in range(n)]
        sums[(town, year)] = sum(base + i for i in range(n))
    source.write_text("\n".join(rows) + "\n")
    result = suppress_source(source, ["town", "year"], value="amount")
    table = result.table.set_index(["town", "year"])
    # One payment: the cell's sum is that person's payment, whatever its size.
    assert table.loc[("Avon", "2021"), "reason"] == "primary"
    assert (table["reason"] == "primary").sum() == 1
    assert not table["suppressed"].all()
    for key, total in sums.items():
        assert bool(table.loc[key, "suppressed"]) or table.loc[key, "amount"] == total
    assert table["suppressed"].sum() >= 2
    _assert_safe(result, 5)


def test_unknown_columns_and_bad_threshold_are_refused(tmp_path):
    with pytest.raises(SuppressionError, match="Nope"):
        aggregate(OCME, ["Nope", "Sex"])
    frame, by = _grid((2, 2), np.array([[1, 2], [3, 4]]))
    with pytest.raises(SuppressionError, match="threshold"):
        suppress(frame, by, "count", 0)


def test_statistics_are_suppressed_on_small_numerators_or_denominators():
    numerator = pd.Series([5, 6, 30, 12, 40])
    denominator = pd.Series([100, 100, 19, 20, 200])
    hidden = suppress_statistic(numerator, denominator, count_suppressed=pd.Series([0, 0, 0, 0, 1]))
    assert hidden.tolist() == [True, False, True, False, True]


def test_a_lone_small_cell_whose_lines_hold_only_zeros_is_given_by_the_totals():
    # (0, 0, 0) is the only non-zero cell on each of its three lines: each line total is its
    # value, so with known totals no suppression hides it. The audit says so, and strict
    # suppression refuses the table rather than publish it as protected.
    values = np.full((3, 3, 2), 20)
    values[0, :, :] = 0
    values[:, 0, :] = 0
    values[:, :, 0] = 0
    values[0, 0, 0] = 1
    frame, by = _grid(values.shape, values)
    result = suppress(frame, by, "count", threshold=5, strict=False)
    _assert_safe(result, 5)
    assert [(item.cell, item.problem) for item in result.audit.failures] == [((0, 0, 0), GIVEN)]
    with pytest.raises(SuppressionError, match="cannot be protected"):
        suppress(frame, by, "count", threshold=5)
