"""Aggregate a source and apply the CT small-cell suppression rules (CT SDE model).

Rules: (1) suppress any cell from 1 to the threshold; (2) complementary suppression, so that no
suppressed cell can be recovered from the published margins; (4) never suppress a zero;
(5) show every category, even when empty. Statistics are suppressed when the numerator is at
most 5 or the denominator under 20.

Margin model: the table is extended with all its totals (each row and column total, and the
totals of totals up to the grand total), and those are treated as published cells as well. So a
total from 1 to the threshold is suppressed (rule 1, "totals included"), and complementary
suppression covers totals too, preferring inner cells (rule 3, keep totals where possible). A
suppression is safe when no suppressed cell, inner or total, is determined by the visible cells
and the "cells of a line sum to its total" equations; see complementary.py.

When summing a value column, a cell is also suppressed when it has 1 to threshold contributing
records: a sum over two people is about those two people, whatever its size. Values that are not
numbers count as 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .audit import Audit, CellInterval
from .complementary import protect
from .generalise import apply_to_column, parse_column_spec
from .risk import MISSING
from .sources import DEFAULT_CHUNKSIZE, Source, iter_chunks

MAX_CELLS = 2_000_000  # the full grid of categories (rule 5) must stay a sane size
PRIMARY = "primary"
COMPLEMENTARY = "complementary"
TOTAL = "(total)"


class SuppressionError(ValueError):
    """The table cannot be protected under the rules (or cannot be built)."""


@dataclass
class SuppressedTable:
    table: pd.DataFrame  # inner cells: group columns, value column, `suppressed`, `reason`
    margins: pd.DataFrame  # the totals, same columns, TOTAL in the summed group columns
    by: list[str]
    value: str
    threshold: int
    audit: Audit | None = None  # what an attacker who knows every line total can learn

    def published(self, *, totals: bool = False) -> pd.DataFrame:
        """What may be released: the value is empty wherever `suppressed` is true."""
        frame = pd.concat([self.table, self.margins]) if totals else self.table
        return frame[[*self.by, self.value, "suppressed"]].reset_index(drop=True)

    @staticmethod
    def _interval(item: CellInterval) -> tuple:
        return item.low, item.high, item.primary, item.problem

    def audit_frame(self) -> pd.DataFrame:
        """One row per suppressed cell: its labels, the interval it can take, any problem."""
        columns = [*self.by, "low", "high", "primary", "problem"]
        if self.audit is None:
            return pd.DataFrame(columns=columns)
        levels = [pd.unique(self.table[name]) for name in self.by]
        rows = [
            [*(levels[i][k] for i, k in enumerate(item.cell)), *self._interval(item)]
            for item in self.audit.intervals
        ]
        return pd.DataFrame(rows, columns=columns)


def aggregate(
    source: Source | None,
    by: list[str],
    *,
    value: str | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    chunks: Iterable[pd.DataFrame] | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Counts (or sums of `value`) per group over every category combination, and row counts.

    `by` items may carry a generalisation: `Date:year`, `Age:band10` (see generalise.py).
    `chunks` replaces reading `source` (a caller that reads its own source, e.g. SQL);
    `progress` is called with the rows read so far after every chunk.
    Returns columns: the group labels, `value` (or `count`), and `records`.
    """
    specs = [parse_column_spec(item) for item in by]
    labels = [name if how is None else f"{name}_{how}" for name, how in specs]
    parts, rows = [], 0
    for chunk in iter_chunks(source, chunksize) if chunks is None else chunks:
        parts.append(_chunk_totals(chunk, specs, labels, value))
        rows += len(chunk)
        if progress is not None:
            progress(rows)
    if not parts:
        raise SuppressionError("the source has no rows")
    totals = pd.concat(parts).groupby(level=list(range(len(labels))), sort=True).sum()
    return _complete(totals, labels).reset_index().rename(columns={"__value": value or "count"})


def _chunk_totals(chunk: pd.DataFrame, specs, labels: list[str], value: str | None) -> pd.DataFrame:
    missing = [name for name, _ in specs if name not in chunk.columns]
    if value and value not in chunk.columns:
        missing.append(value)
    if missing:
        raise SuppressionError(f"unknown column(s): {', '.join(missing)}")
    keys = {
        label: apply_to_column(chunk[name], how).fillna(MISSING).astype(str)
        for label, (name, how) in zip(labels, specs, strict=True)
    }
    frame = pd.DataFrame(keys, index=chunk.index)
    frame["__value"] = pd.to_numeric(chunk[value], errors="coerce").fillna(0) if value else 1
    frame["records"] = 1
    return frame.groupby(labels, sort=False).sum()


def _complete(totals: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    levels = [totals.index.get_level_values(i).unique().sort_values() for i in range(len(labels))]
    size = int(np.prod([len(level) for level in levels]))
    if size > MAX_CELLS:
        raise SuppressionError(f"{size} category combinations; group by fewer or coarser columns")
    grid = pd.MultiIndex.from_product(levels, names=labels)
    if len(labels) == 1:
        # One group column: the totals have a flat index, which a one-level MultiIndex would
        # match nowhere (every count came out 0).
        grid = grid.get_level_values(0)
    return totals.reindex(grid, fill_value=0)


def suppress(
    aggregated: pd.DataFrame, by: list[str], value: str, threshold: int = 5, *, strict: bool = True
) -> SuppressedTable:
    """Apply primary and complementary suppression to an aggregated, complete, sorted grid.

    `strict` refuses (SuppressionError) a table whose audit fails, which happens only when the
    line totals alone give a cell away; with `strict=False` the table comes back with the failed
    audit for the caller to show.
    """
    if threshold < 1:
        raise SuppressionError("threshold must be at least 1")
    values = _cube(aggregated, by, value)
    records = _cube(aggregated, by, "records") if "records" in aggregated else values
    primary = _small(values, records, threshold)
    counts = bool(np.array_equal(values, records))  # a sum table is judged on its value only
    mask, audit = protect(values, primary, threshold=threshold, counts=counts)
    full = _extended_frame(aggregated, by, value, extend(values))
    hidden, first = _with_totals(values, records, mask, primary, threshold=threshold)
    full["records"] = extend(records).reshape(-1).astype("int64")
    full["suppressed"] = hidden.reshape(-1)
    full["reason"] = np.where(hidden.reshape(-1), COMPLEMENTARY, "")
    full.loc[first.reshape(-1), "reason"] = PRIMARY
    whole = np.allclose(values, np.round(values))
    full[value] = full[value].astype("Int64" if whole else "Float64").mask(full["suppressed"])
    is_total = (full[by] == TOTAL).any(axis=1)
    table = full[~is_total].reset_index(drop=True)
    margins = full[is_total].reset_index(drop=True)
    result = SuppressedTable(table, margins, list(by), value, threshold, audit)
    if strict and not audit.passed:
        raise SuppressionError(unprotectable(result))
    return result


def _small(values: np.ndarray, records: np.ndarray, threshold: int) -> np.ndarray:
    """Primary cells: a value, or a number of contributing records, from 1 to the threshold."""
    small = ((values > 0) & (values <= threshold)) | ((records > 0) & (records <= threshold))
    return small & (values != 0)


def extend(cube: np.ndarray) -> np.ndarray:
    """Append a total position to each axis (the last index on that axis)."""
    extended = cube.astype(float)
    for axis in range(cube.ndim):
        extended = np.concatenate([extended, extended.sum(axis=axis, keepdims=True)], axis=axis)
    return extended


def _with_totals(
    values: np.ndarray, records: np.ndarray, mask: np.ndarray, primary: np.ndarray, *, threshold
) -> tuple[np.ndarray, np.ndarray]:
    """Suppression and primary masks over the table extended with its totals.

    The audit assumes the totals are known anyway; when we publish them (`--totals`) they still
    follow the rules one dimension down: each margin (the sum over some axes) is a table of its
    own, suppressed and complemented against its own line totals, so a small total we hide is
    not recomputed from the others.
    """
    hidden = np.zeros(extend(values).shape, dtype=bool)
    first = np.zeros_like(hidden)
    counts = bool(np.array_equal(values, records))
    for summed in itertools.product([False, True], repeat=values.ndim):
        axes = tuple(axis for axis, total in enumerate(summed) if total)
        spot = tuple(-1 if total else slice(0, -1) for total in summed)
        if not axes:
            hidden[spot], first[spot] = mask, primary
            continue
        margin, margin_records = values.sum(axis=axes), records.sum(axis=axes)
        small = _small(margin, margin_records, threshold)
        if margin.ndim:
            small |= protect(margin, small, threshold=threshold, counts=counts, audited=False)[0]
        hidden[spot], first[spot] = small, _small(margin, margin_records, threshold)
    return hidden, first


def unprotectable(result: SuppressedTable) -> str:
    failures = result.audit_frame()
    failures = failures[failures["problem"] != ""]
    example = " × ".join(str(failures.iloc[0][name]) for name in result.by)
    return (
        f"{len(failures)} cell(s) cannot be protected: the line totals alone give them away "
        f"(e.g. {example}). Group by fewer or coarser columns."
    )


def _extended_frame(
    aggregated: pd.DataFrame, by: list[str], value: str, extended: np.ndarray
) -> pd.DataFrame:
    levels = [[*pd.unique(aggregated[name]), TOTAL] for name in by]
    grid = pd.MultiIndex.from_product(levels, names=by).to_frame(index=False)
    grid[value] = extended.reshape(-1)
    return grid


def _cube(aggregated: pd.DataFrame, by: list[str], column: str) -> np.ndarray:
    shape = tuple(aggregated[name].nunique() for name in by)
    ordered = aggregated.sort_values(by, kind="stable")
    if not ordered.index.equals(aggregated.index):
        raise SuppressionError("the aggregated table must be sorted by its group columns")
    if int(np.prod(shape)) != len(aggregated):
        raise SuppressionError("the aggregated table must hold every category combination")
    return aggregated[column].to_numpy(dtype=float).reshape(shape)


def suppress_source(
    source: Source,
    by: list[str],
    *,
    value: str | None = None,
    threshold: int = 5,
    chunksize: int = DEFAULT_CHUNKSIZE,
    chunks: Iterable[pd.DataFrame] | None = None,
    progress: Callable[[int], None] | None = None,
    strict: bool = True,
) -> SuppressedTable:
    """Aggregate and suppress; the audit is on the result (see `suppress` for `strict`)."""
    aggregated = aggregate(
        source, by, value=value, chunksize=chunksize, chunks=chunks, progress=progress
    )
    labels = [
        column for column in aggregated.columns if column not in {value or "count", "records"}
    ]
    return suppress(aggregated, labels, value or "count", threshold, strict=strict)


def describe_method(table: SuppressedTable) -> str:
    """The method in a sentence or two, for a dataset description (the services add the date
    and the source)."""
    audit = table.audit
    checked = ""
    if audit is not None and audit.passed:
        checked = (
            " An audit by linear programming, assuming every row, column and other line total is "
            "known, passed: no suppressed cell can be recovered, and none can be shown to lie "
            f"between 1 and {table.threshold}."
        )
    elif audit is not None:
        checked = (
            " An audit by linear programming, assuming every line total is known, failed for "
            f"{len(audit.failures)} cell(s): this table is not safe to publish."
        )
    return (
        f"Cells from 1 to {table.threshold} are suppressed (left empty, flagged in the "
        f"`suppressed` column), with {audit.added if audit else 'further'} complementary "
        f"suppression(s), zeros only where a line has nothing else to hide." + checked
    )


def suppress_statistic(
    numerator: pd.Series,
    denominator: pd.Series,
    *,
    count_suppressed: pd.Series | None = None,
    numerator_max: int = 5,
    denominator_min: int = 20,
) -> pd.Series:
    """True where a rate or percentage must be withheld (CT SDE rule for statistics)."""
    hidden = (numerator <= numerator_max) | (denominator < denominator_min)
    if count_suppressed is not None:
        hidden |= count_suppressed.astype(bool)
    return hidden.fillna(True).astype(bool)
