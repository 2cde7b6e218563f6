"""Privacy screen of a source: classify columns, measure re-identification risk, recommend.

One pass over the source in chunks. Columns are classified on a bounded sample (the first
`sample_rows` rows); the quasi-identifier tuples are counted over every row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from itertools import chain

import numpy as np
import pandas as pd

from .advice import Recommendation, recommendations
from .classify import (
    FREE_TEXT,
    QUASI_IDENTIFIER,
    SENSITIVE,
    UNIQUE_IDENTIFIER,
    ColumnReport,
    classify_column,
    name_words,
)
from .risk import DROP, CountTable, RiskReport, TupleCounter, assess, generalised_risk
from .sources import DEFAULT_CHUNKSIZE, Source, iter_chunks, source_label
from .tables import CellTableReport, detect_cell_table, judge_cell_table

DEFAULT_THRESHOLD = 5
DEFAULT_SAMPLE_ROWS = 10_000
HIGH_RISK_SHARE = 0.05  # more than 5% of records in small classes: not publishable as is
FINE_GEOGRAPHY = {"city", "town", "geo", "latitude", "longitude", "lat", "lon", "lng", "tract"}


@dataclass
class ScreenReport:
    source: str
    rows: int
    sample_rows: int
    threshold: int
    columns: list[ColumnReport]
    quasi_identifiers: list[str]
    k: int
    records_at_risk: float
    verdict: str
    recommendations: list[Recommendation] = field(default_factory=list)
    risk: RiskReport | None = None
    table: CellTableReport | None = None  # set when the rows are cells of an aggregate table

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def column(self, name: str) -> ColumnReport:
        return next(column for column in self.columns if column.name == name)


def screen_source(
    source: Source,
    *,
    quasi: list[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    chunksize: int = DEFAULT_CHUNKSIZE,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    progress: Callable[[int], None] | None = None,
    chunks: Iterable[pd.DataFrame] | None = None,
) -> ScreenReport:
    """`progress(rows_counted)` is called after each chunk; `chunks` replaces reading `source`
    (which then only labels the report)."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    chunks = iter(chunks) if chunks is not None else iter_chunks(source, chunksize)
    head, sample = _take_sample(chunks, sample_rows)
    columns = [classify_column(str(name), sample[name]) for name in sample.columns]
    qi = _quasi_identifiers(columns, quasi)
    counter = TupleCounter(qi)
    for chunk in chain(head, chunks):
        counter.add(chunk)
        if progress is not None:
            progress(counter.rows)
    if counter.rows == len(sample) and (spec := detect_cell_table(sample)) is not None:
        return _table_report(source, sample, columns, spec, threshold)
    table = counter.table()
    risk = assess(table, threshold)
    plan = generalisation_plan(columns, qi)
    if plan and len(table):
        risk.generalised = generalised_risk(table, plan, threshold)
    report = ScreenReport(
        source=source_label(source),
        rows=counter.rows,
        sample_rows=len(sample),
        threshold=threshold,
        columns=columns,
        quasi_identifiers=qi,
        k=risk.k,
        records_at_risk=risk.records_at_risk,
        verdict=verdict(columns, risk),
        risk=risk,
    )
    report.recommendations = recommend(report, table)
    return report


def _table_report(
    source: Source, sample: pd.DataFrame, columns: list[ColumnReport], spec, threshold: int
) -> ScreenReport:
    """A cell table is judged by the cell rules, not by k-anonymity of its rows."""
    judged = judge_cell_table(sample, spec, threshold)
    numbers = pd.to_numeric(sample[spec.count], errors="coerce")
    visible = numbers[numbers > 0]
    small = visible[visible <= threshold]
    report = ScreenReport(
        source=source_label(source),
        rows=len(sample),
        sample_rows=len(sample),
        threshold=threshold,
        columns=columns,
        quasi_identifiers=[],
        k=int(visible.min()) if len(visible) else 0,
        records_at_risk=round(float(small.sum() / visible.sum()), 6) if len(visible) else 0.0,
        verdict=table_verdict(columns, judged),
        table=judged,
    )
    report.recommendations = recommend(report, CountTable([], [], [], np.zeros(0, np.int64)))
    return report


def table_verdict(columns: list[ColumnReport], judged: CellTableReport) -> str:
    if not judged.safe:
        return "high"
    classes = {column.classification for column in columns}
    if UNIQUE_IDENTIFIER in classes:
        return "high"
    return "medium" if judged.skipped_blocks or classes & {FREE_TEXT} else "low"


def _take_sample(chunks, sample_rows: int) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    head: list[pd.DataFrame] = []
    taken = 0
    for chunk in chunks:
        head.append(chunk)
        taken += len(chunk)
        if taken >= sample_rows:
            break
    if not head:
        return [], pd.DataFrame()
    return head, pd.concat(head).head(sample_rows)


def _quasi_identifiers(columns: list[ColumnReport], quasi: list[str] | None) -> list[str]:
    names = [column.name for column in columns]
    if quasi is None:
        return [column.name for column in columns if column.classification == QUASI_IDENTIFIER]
    unknown = [name for name in quasi if name not in names]
    if unknown:
        raise ValueError(f"unknown quasi-identifier column(s): {', '.join(unknown)}")
    return list(quasi)


def generalisation_plan(columns: list[ColumnReport], qi: list[str]) -> dict[str, str]:
    """How each quasi-identifier could be coarsened; town-level geography yields to a county."""
    has_county = any("county" in name_words(name) for name in qi)
    plan: dict[str, str] = {}
    for column in (column for column in columns if column.name in qi):
        shares = {item.pattern: item.share for item in column.evidence}
        words = set(name_words(column.name))
        if "numeric ages" in column.reasons:
            plan[column.name] = "band10"
        elif shares.get("full_date", 0) >= 0.5:
            plan[column.name] = "year"
        elif shares.get("zip_code", 0) >= 0.5:
            plan[column.name] = "zip3"
        elif has_county and (words & FINE_GEOGRAPHY or shares.get("coordinates", 0) >= 0.5):
            plan[column.name] = DROP
    return plan


def verdict(columns: list[ColumnReport], risk: RiskReport) -> str:
    classes = {column.classification for column in columns}
    if UNIQUE_IDENTIFIER in classes or risk.records_at_risk > HIGH_RISK_SHARE:
        return "high"
    if risk.records_at_risk > 0 or classes & {SENSITIVE, FREE_TEXT}:
        return "medium"
    return "low"


def recommend(report: ScreenReport, table: CountTable) -> list[Recommendation]:
    # Imported here: advice builds Recommendation objects defined in this module.

    return recommendations(report, table)
