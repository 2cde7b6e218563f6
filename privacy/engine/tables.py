"""Sources whose rows are cells of an aggregate table, judged by the cell rules.

A table such as `suppress` writes (group columns, one count column, a `suppressed` flag) has one
row per cell; k-anonymity of its rows means nothing (every row is unique by construction). It is
judged instead as a published table:

- no visible count from 1 to K (the CT rule);
- no suppressed cell recoverable from the line totals, which the attacker is assumed to know.
  The hidden values are unknown here, so the check is the value-free one: a hidden cell is
  recoverable when its unit vector lies in the row space of the line equations restricted to the
  hidden cells (for every possible set of totals). The suppression engine's own audit is
  stronger (it also uses non-negativity), so its output passes this check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .classify import name_words

COUNT_WORDS = {"count", "counts", "n", "number", "total", "records", "frequency", "deaths", "cases"}
FLAG_NAMES = {"suppressed", "suppression", "flag"}
MAX_AUDITED = 3000  # hidden cells per block checked by dense linear algebra
_TRUE = {"true", "1", "yes", "y", "t"}


@dataclass
class CellTable:
    by: list[str]  # group columns
    count: str  # the count column
    flag: str | None = None  # the suppression flag column, when there is one


@dataclass
class CellTableReport:
    by: list[str]
    count: str
    threshold: int
    cells: int
    hidden: int
    small_visible: int  # visible counts from 1 to K
    recoverable: int  # hidden cells the line totals give back
    examples: list[str] = field(default_factory=list)  # labels of offending cells
    skipped_blocks: int = 0  # blocks too large for the dense check (not audited)

    @property
    def safe(self) -> bool:
        return not self.small_visible and not self.recoverable


def detect_cell_table(frame: pd.DataFrame) -> CellTable | None:
    """A cell table: one count column (by name), whole non-negative numbers or empty, and the
    other columns (less a suppression flag) unique together on every row."""
    names = [str(name) for name in frame.columns]
    counts = [name for name in names if set(name_words(name)) & COUNT_WORDS]
    if len(counts) != 1 or len(names) < 2 or not len(frame):
        return None
    count = counts[0]
    flag = next((name for name in names if name.lower() in FLAG_NAMES), None)
    by = [name for name in names if name not in {count, flag}]
    numbers = pd.to_numeric(frame[count], errors="coerce")
    given = frame[count].notna() & (frame[count].astype(str).str.strip() != "")
    if not by or numbers[given].isna().any() or (numbers[given] < 0).any():
        return None
    if not np.allclose(numbers[given], np.round(numbers[given])):
        return None
    if frame.duplicated(subset=by).any():
        return None
    return CellTable(by, count, flag)


def judge_cell_table(frame: pd.DataFrame, spec: CellTable, threshold: int) -> CellTableReport:
    """The cell rules applied to a detected cell table (see the module docstring)."""
    numbers = pd.to_numeric(frame[spec.count], errors="coerce")
    hidden = numbers.isna().to_numpy().copy()  # pandas may hand out a read-only view
    if spec.flag is not None:
        hidden |= frame[spec.flag].astype(str).str.strip().str.lower().isin(_TRUE).to_numpy()
    small = (~hidden) & (numbers >= 1).to_numpy() & (numbers <= threshold).to_numpy()
    # Missing labels are a group of their own (astype(str) alone keeps them missing).
    by = frame[spec.by]
    labels = by.astype(object).where(by.notna(), "(missing)").astype(str)
    codes = [pd.factorize(labels[name])[0] for name in spec.by]
    recoverable, skipped = _recoverable(codes, hidden)
    offending = np.flatnonzero(small | recoverable)[:3]
    examples = [" × ".join(labels.iloc[i].tolist())[:60] for i in offending]
    return CellTableReport(
        by=spec.by,
        count=spec.count,
        threshold=threshold,
        cells=len(frame),
        hidden=int(hidden.sum()),
        small_visible=int(small.sum()),
        recoverable=int(recoverable.sum()),
        examples=examples,
        skipped_blocks=skipped,
    )


def _recoverable(codes: list[np.ndarray], hidden: np.ndarray) -> tuple[np.ndarray, int]:
    """Hidden cells fixed by the line equations whatever the totals, and blocks not checked."""
    found = np.zeros(len(hidden), dtype=bool)
    rows = np.flatnonzero(hidden)
    if not len(rows):
        return found, 0
    lines = []  # per axis: the line of each hidden cell (its codes on the other axes)
    for axis in range(len(codes)):
        others = [code[rows] for i, code in enumerate(codes) if i != axis]
        key = pd.MultiIndex.from_arrays([*others, np.full(len(rows), axis)])
        lines.append(pd.factorize(key)[0])
    offsets = np.cumsum([0] + [int(line.max()) + 1 for line in lines])
    ids = np.concatenate([line + offset for line, offset in zip(lines, offsets, strict=False)])
    matrix = np.zeros((int(offsets[-1]), len(rows)))
    matrix[ids, np.tile(np.arange(len(rows)), len(codes))] = 1.0
    if len(rows) > MAX_AUDITED:
        return found, 1
    from scipy.linalg import null_space  # lazily: see bounds.py

    free = null_space(matrix)
    pinned = np.linalg.norm(free, axis=1) < 1e-8 if free.size else np.ones(len(rows), bool)
    found[rows[pinned]] = True
    return found, 0
