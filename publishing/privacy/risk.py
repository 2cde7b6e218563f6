"""k-anonymity over a quasi-identifier combination, computed from streamed group counts.

Each chunk contributes `value_counts` of its quasi-identifier tuples; partial counts are summed
every few chunks, so memory grows with the number of *distinct* tuples, never with the rows.
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


class TupleCounter:
    """Streaming counts of quasi-identifier tuples."""

    def __init__(self, columns: list[str], combine_every: int = 8) -> None:
        self.columns = list(columns)
        self.combine_every = combine_every
        self.rows = 0
        self._parts: list[pd.Series] = []

    def add(self, chunk: pd.DataFrame) -> None:
        self.rows += len(chunk)
        if not self.columns:
            return
        part = chunk[self.columns].fillna(MISSING).value_counts(sort=False)
        self._parts.append(part)
        if len(self._parts) >= self.combine_every:
            self._parts = [self._combine()]

    def counts(self) -> pd.Series:
        """Class size per distinct tuple (MultiIndex named after the columns)."""
        if not self.columns:
            return pd.Series([self.rows] if self.rows else [], dtype="int64")
        if not self._parts:
            return pd.Series([], dtype="int64")
        self._parts = [self._combine()]
        return self._parts[0]

    def _combine(self) -> pd.Series:
        if len(self._parts) == 1:
            return self._parts[0]
        joined = pd.concat(self._parts)
        return joined.groupby(level=list(range(len(self.columns))), sort=False).sum()


def at_risk_share(counts: pd.Series, threshold: int) -> float:
    total = int(counts.sum())
    return float(counts[counts < threshold].sum() / total) if total else 0.0


def assess(counts: pd.Series, columns: list[str], threshold: int) -> RiskReport:
    records = int(counts.sum())
    small = counts[counts < threshold]
    report = RiskReport(
        quasi_identifiers=list(columns),
        threshold=threshold,
        records=records,
        classes=len(counts),
        k=int(counts.min()) if len(counts) else 0,
        records_at_risk=round(float(small.sum() / records), 6) if records else 0.0,
        records_at_risk_count=int(small.sum()),
        class_sizes=class_size_buckets(counts, threshold),
    )
    if len(columns) > 1:
        report.drivers = drivers(counts, columns, threshold)
        report.removal_path = removal_path(counts, columns, threshold)
    return report


def class_size_buckets(counts: pd.Series, threshold: int) -> list[ClassSizeBucket]:
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


def project(counts: pd.Series, columns: list[str], keep: list[str]) -> pd.Series:
    """Counts over a subset of the columns (classes merge when a column is left out)."""
    if not keep:
        return pd.Series([int(counts.sum())], dtype="int64")
    levels = [columns.index(name) for name in keep]
    return counts.groupby(level=levels, sort=False).sum()


def drivers(counts: pd.Series, columns: list[str], threshold: int) -> list[Driver]:
    found = []
    for name in columns:
        rest = [other for other in columns if other != name]
        share = at_risk_share(project(counts, columns, rest), threshold)
        distinct = _distinct(counts, columns, name)
        found.append(Driver(name, distinct, round(share, 6)))
    # Most protective first: the column whose absence leaves the fewest records at risk.
    return sorted(found, key=lambda item: (item.records_at_risk_without, -item.distinct_values))


def removal_path(
    counts: pd.Series, columns: list[str], threshold: int, steps: int = 3
) -> list[Driver]:
    """Greedy: leave out, one at a time, the column whose absence protects the most records."""
    path: list[Driver] = []
    current, remaining = counts, list(columns)
    while len(path) < steps and len(remaining) > 1 and at_risk_share(current, threshold) > 0:
        options = [(name, [c for c in remaining if c != name]) for name in remaining]
        scored = [(at_risk_share(project(current, remaining, rest), threshold), name, rest)
                  for name, rest in options]  # fmt: skip
        share, name, rest = min(scored, key=lambda item: item[0])
        path.append(Driver(name, _distinct(current, remaining, name), round(share, 6)))
        current, remaining = project(current, remaining, rest), rest
    return path


def _distinct(counts: pd.Series, columns: list[str], name: str) -> int:
    index = counts.index
    if isinstance(index, pd.MultiIndex):
        return int(index.get_level_values(columns.index(name)).nunique())
    return int(index.nunique())


def generalised_risk(
    counts: pd.Series, columns: list[str], plan: dict[str, str], threshold: int
) -> GeneralisedRisk:
    """Risk if each planned column were generalised (or dropped), from the raw tuple counts."""
    keep = [name for name in columns if plan.get(name) != DROP]
    if not keep:
        return GeneralisedRisk(plan, int(counts.sum()), 0.0)
    keys = [_generalised_level(counts.index, columns, name, plan.get(name)) for name in keep]
    merged = counts.groupby(keys, sort=False, dropna=False).sum()
    return GeneralisedRisk(plan, int(merged.min()), round(at_risk_share(merged, threshold), 6))


def _generalised_level(index: pd.Index, columns: list[str], name: str, how: str | None):
    position = columns.index(name)
    if isinstance(index, pd.MultiIndex):
        level, codes = index.levels[position], index.codes[position]
    else:
        codes, level = pd.factorize(index)
    values = pd.Series(np.asarray(level, dtype=object), dtype=object)
    if how in GENERALISERS:
        values = GENERALISERS[how](values)
    return values.to_numpy(dtype=object).take(codes)
