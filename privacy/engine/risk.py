"""k-anonymity over a quasi-identifier combination, computed from streamed group counts.

Each chunk contributes counts of its quasi-identifier tuples (as integer codes); partial counts
are merged every few chunks, so memory grows with the number of *distinct* tuples, never with
the rows.
Every later question (risk without a column, risk after generalising) is answered from those
counts alone, without reading the source again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .generalise import GENERALISERS

MISSING = "(missing)"  # a missing value is a category an attacker can see, so it forms classes
DROP = "drop"
_SIZE_EDGES = (10, 50, 100, 1000)


@dataclass
class ClassSizeBucket:
    sizes: str  # "1", "2", "5-9", "1000+"
    classes: int
    records: int


@dataclass
class Driver:
    column: str
    distinct_values: int
    records_at_risk_without: float  # share at risk if this column were left out


@dataclass
class GeneralisedRisk:
    plan: dict[str, str]  # column → band10 | year | zip3 | drop
    k: int
    records_at_risk: float


@dataclass
class RiskReport:
    quasi_identifiers: list[str]
    threshold: int
    records: int
    classes: int
    k: int
    records_at_risk: float
    records_at_risk_count: int
    class_sizes: list[ClassSizeBucket] = field(default_factory=list)
    drivers: list[Driver] = field(default_factory=list)
    removal_path: list[Driver] = field(default_factory=list)
    generalised: GeneralisedRisk | None = None


class CountTable:
    """Class sizes over quasi-identifier columns: per column, the value code of each class."""

    def __init__(
        self, columns: list[str], values: list[np.ndarray], codes: list[np.ndarray], counts
    ) -> None:
        self.columns = list(columns)
        self.values = values  # per column: the distinct values, indexed by code
        self.codes = codes  # one int64 array per column, one entry per class
        self.counts = counts  # (classes,) int64

    def __len__(self) -> int:
        return len(self.counts)

    def project(self, keep: list[str]) -> np.ndarray:
        """Class sizes over a subset of the columns (classes merge when a column is left out)."""
        if not keep or not len(self.counts):
            return np.array([int(self.counts.sum())], dtype=np.int64)
        positions = [self.columns.index(name) for name in keep]
        sizes = [len(self.values[i]) for i in positions]
        return class_sizes([self.codes[i] for i in positions], sizes, self.counts)

    def distinct(self, name: str) -> int:
        position = self.columns.index(name)
        present = np.bincount(self.codes[position], minlength=len(self.values[position]))
        return int(np.count_nonzero(present))


def group_ids(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """Dense group number for each row of a list of code columns."""
    return pd.factorize(radix_key(codes, sizes)[0])[0]


def radix_key(
    columns: list[np.ndarray], sizes: list[int], limit: int = 2**62
) -> tuple[np.ndarray, int]:
    """One int64 per row of the code columns, equal exactly when the rows are equal, and below
    `limit` (the key is re-factorised when the mixed-radix number would grow past it)."""
    key = columns[0].astype(np.int64)
    bound = max(sizes[0], 1)
    for column, size in zip(columns[1:], sizes[1:], strict=True):
        if bound * max(size, 1) >= limit:
            key, uniques = pd.factorize(key)
            bound = max(len(uniques), 1)
        key = key * max(size, 1) + column
        bound *= max(size, 1)
    return key, bound


def class_sizes(codes: list[np.ndarray], sizes: list[int], weights: np.ndarray) -> np.ndarray:
    """Summed weights per distinct code row, in no particular order.

    Key and weight are packed into one int64 and sorted, which is several times faster than
    hashing a million distinct keys; this runs once per column in the driver analysis.
    """
    weight_bits = max(int(weights.max()).bit_length(), 1)
    key, _ = radix_key(codes, sizes, limit=2 ** (62 - weight_bits))
    packed = np.sort((key << weight_bits) | weights)
    keys = packed >> weight_bits
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return np.add.reduceat(packed & ((1 << weight_bits) - 1), starts)


def _decode(keys: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Inverse of an un-factorised `radix_key`: the code columns of each key."""
    columns = []
    for size in reversed(sizes):
        keys, code = np.divmod(keys, size)
        columns.append(code)
    return columns[::-1]


class TupleCounter:
    """Streaming counts of quasi-identifier tuples, held as integer codes.

    Each column's values get a code from a growing vocabulary; a chunk becomes code columns
    (kept as separate arrays: row-major copies of a million rows were a third of the run time)
    whose distinct rows are counted with numpy. Partial counts are merged once the pending rows
    outgrow both `combine_rows` and twice the merged table, so the work stays linear even when
    every tuple is distinct, and memory stays within (distinct tuples + combine_rows) rows.
    """

    def __init__(self, columns: list[str], combine_rows: int = 1_000_000) -> None:
        self.columns = list(columns)
        self.combine_rows = combine_rows
        self.rows = 0
        self._vocab: list[dict] = [{} for _ in self.columns]
        self._parts: list[tuple[list[np.ndarray], np.ndarray]] = []
        self._merged = 0  # rows in the merged part (the first), 0 before any merge

    def add(self, chunk: pd.DataFrame) -> None:
        self.rows += len(chunk)
        if not self.columns or not len(chunk):
            return
        codes = [
            self._encode(chunk[name], vocab)
            for name, vocab in zip(self.columns, self._vocab, strict=True)
        ]
        self._parts.append(self._distinct_rows(codes, np.ones(len(chunk), dtype=np.int64)))
        pending = sum(len(part[1]) for part in self._parts) - self._merged
        if pending > max(self.combine_rows, 2 * self._merged):
            self._parts = [self._combine()]
            self._merged = len(self._parts[0][1])

    @staticmethod
    def _encode(column: pd.Series, vocab: dict) -> np.ndarray:
        codes, uniques = pd.factorize(column)  # missing values get code -1
        known = [vocab.setdefault(value, len(vocab)) for value in uniques]
        mapped = np.array([*known, vocab.setdefault(MISSING, len(vocab))], dtype=np.int64)
        return mapped[codes]  # code -1 picks the last entry: MISSING

    def _distinct_rows(self, codes: list[np.ndarray], weights: np.ndarray):
        sizes = [max(len(vocab), 1) for vocab in self._vocab]
        weight_bits = max(int(weights.max()).bit_length(), 1)
        if int(np.prod(sizes, dtype=object)) < 2 ** (62 - weight_bits):
            # Sorting packed (key, weight) numbers beats hashing a million distinct keys.
            key, _ = radix_key(codes, sizes)
            packed = np.sort((key << weight_bits) | weights)
            keys = packed >> weight_bits
            starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
            counts = np.add.reduceat(packed & ((1 << weight_bits) - 1), starts)
            return _decode(keys[starts], sizes), counts
        groups = group_ids(codes, sizes)
        counts = np.bincount(groups, weights=weights).astype(np.int64)
        first = np.empty(len(counts), dtype=np.int64)
        first[groups[::-1]] = np.arange(len(groups) - 1, -1, -1)  # first row of each group
        return [column[first] for column in codes], counts

    def _combine(self) -> tuple[np.ndarray, np.ndarray]:
        if len(self._parts) == 1:
            return self._parts[0]
        codes = [
            np.concatenate([part[0][i] for part in self._parts]) for i in range(len(self.columns))
        ]
        weights = np.concatenate([part[1] for part in self._parts])
        return self._distinct_rows(codes, weights)

    def table(self) -> CountTable:
        # The vocabulary is built before `table()` is called, so MISSING has its code already.
        values = [np.array(list(vocab), dtype=object) for vocab in self._vocab]
        if not self.columns:
            counts = np.array([self.rows] if self.rows else [], dtype=np.int64)
            return CountTable([], [], [], counts)
        if not self._parts:
            empty = [np.zeros(0, dtype=np.int64) for _ in self.columns]
            return CountTable(self.columns, values, empty, np.zeros(0, dtype=np.int64))
        self._parts = [self._combine()]
        codes, counts = self._parts[0]
        return CountTable(self.columns, values, codes, counts)


def at_risk_share(counts: np.ndarray, threshold: int) -> float:
    total = int(counts.sum())
    return float(counts[counts < threshold].sum() / total) if total else 0.0


def assess(table: CountTable, threshold: int) -> RiskReport:
    counts = table.counts
    records = int(counts.sum())
    small = counts[counts < threshold]
    report = RiskReport(
        quasi_identifiers=list(table.columns),
        threshold=threshold,
        records=records,
        classes=len(counts),
        k=int(counts.min()) if len(counts) else 0,
        records_at_risk=round(float(small.sum() / records), 6) if records else 0.0,
        records_at_risk_count=int(small.sum()),
        class_sizes=class_size_buckets(counts, threshold),
    )
    if len(table.columns) > 1 and len(counts):
        report.drivers = drivers(table, threshold)
        report.removal_path = removal_path(table, threshold, first=report.drivers[0])
    return report


def class_size_buckets(counts: np.ndarray, threshold: int) -> list[ClassSizeBucket]:
    edges = sorted({*range(1, threshold + 1), *(e for e in _SIZE_EDGES if e > threshold)})
    buckets = []
    for low, high in zip(edges, [*edges[1:], None], strict=True):
        inside = counts[(counts >= low) & ((counts < high) if high else True)]
        if len(inside):
            buckets.append(ClassSizeBucket(_size_label(low, high), len(inside), int(inside.sum())))
    return buckets


def _size_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if high == low + 1 else f"{low}-{high - 1}"


def drivers(table: CountTable, threshold: int) -> list[Driver]:
    found = []
    for name in table.columns:
        rest = [other for other in table.columns if other != name]
        share = at_risk_share(table.project(rest), threshold)
        found.append(Driver(name, table.distinct(name), round(share, 6)))
    # Most protective first: the column whose absence leaves the fewest records at risk.
    return sorted(found, key=lambda item: (item.records_at_risk_without, -item.distinct_values))


def removal_path(
    table: CountTable, threshold: int, steps: int = 3, first: Driver | None = None
) -> list[Driver]:
    """Greedy: leave out, one at a time, the column whose absence protects the most records.

    `first` is the best of `drivers()`, which is the first step already computed.
    """
    path: list[Driver] = []
    remaining = list(table.columns)
    share = at_risk_share(table.counts, threshold)
    if first is not None and share > 0:
        path.append(first)
        remaining.remove(first.column)
        share = first.records_at_risk_without
    while len(path) < steps and len(remaining) > 1 and share > 0:
        scored = []
        for name in remaining:
            rest = [other for other in remaining if other != name]
            scored.append((at_risk_share(table.project(rest), threshold), name, rest))
        share, name, remaining = min(scored, key=lambda item: item[0])
        path.append(Driver(name, table.distinct(name), round(share, 6)))
    return path


def generalised_risk(table: CountTable, plan: dict[str, str], threshold: int) -> GeneralisedRisk:
    """Risk if each planned column were generalised (or dropped), from the class counts alone."""
    keep = [name for name in table.columns if plan.get(name) != DROP]
    if not keep:
        return GeneralisedRisk(plan, int(table.counts.sum()), 0.0)
    columns, sizes = [], []
    for name in keep:
        position = table.columns.index(name)
        values = pd.Series(table.values[position], dtype=object)
        if plan.get(name) in GENERALISERS:
            values = GENERALISERS[plan[name]](values)
        recode, uniques = pd.factorize(values.to_numpy(dtype=object))
        columns.append(recode[table.codes[position]])
        sizes.append(len(uniques))
    merged = class_sizes(columns, sizes, table.counts)
    return GeneralisedRisk(plan, int(merged.min()), round(at_risk_share(merged, threshold), 6))
